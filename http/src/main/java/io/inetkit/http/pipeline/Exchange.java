package io.inetkit.http.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

import io.inetkit.http.ClientOptions;
import io.inetkit.http.CurlException;
import io.inetkit.http.RequestBody;
import io.inetkit.http.Target;
import io.inetkit.http.output.BodySink;
import io.inetkit.http.output.HeadText;
import io.inetkit.http.output.ProgressMeter;
import io.inetkit.http.output.Trace;
import io.inetkit.http.output.TransferReport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One request and its response, as the response arrives: it decides what of the response goes to the
 * output, writes it there as it comes, and completes {@link #done()} with the outcome.
 *
 * <p>Events come from the connection's event loop in this order: {@link #onRaw} (with {@code --raw}, the
 * bytes as read), {@link #onHead}, {@link #onBodyReceived} and {@link #onBody} per chunk, {@link #onEnd};
 * or {@link #fail} at any point. The first outcome wins; later events are ignored.
 *
 * <p>What goes to the output is decided at the response head:
 * <pre>
 *   1xx                          skipped (shown with -v)
 *   redirect followed (-L)       headers with -i, body read and dropped
 *   status &gt;= 400 with -f        nothing; the exchange ends at once (the connection is closed)
 *   anything else                headers with -i, then the body as it arrives
 * </pre>
 */
public final class Exchange {

    enum Disposition { UNDECIDED, WRITE, DISCARD, FAIL }

    private final Target target;
    private final HttpRequest request;
    private final RequestBody body;
    private final ClientOptions options;
    private final BodySink sink;
    private final Trace trace;
    private final ProgressMeter progress;
    private final CompletableFuture<Exchange> done = new CompletableFuture<>();

    private Disposition disposition = Disposition.UNDECIDED;
    private boolean informational;
    private ByteArrayOutputStream pendingRaw;
    private volatile boolean cancelled;

    private HttpResponse head;
    private String protocol;
    private volatile long bodyReceived;
    private long headerBytes;
    private long firstByteNanos;

    public Exchange(Target target, HttpRequest request, RequestBody body, ClientOptions options, BodySink sink, Trace trace,
             ProgressMeter progress) {
        this.target = target;
        this.request = request;
        this.body = body;
        this.options = options;
        this.sink = sink;
        this.trace = trace;
        this.progress = progress;
    }

    public Target target() {
        return target;
    }

    public HttpRequest request() {
        return request;
    }

    public RequestBody body() {
        return body;
    }

    /** Completes with this exchange when the response is over (or was cut short by -f), or with a CurlException. */
    public CompletableFuture<Exchange> done() {
        return done;
    }

    /** The final response's head as received (before any content decoding); null before it arrived. */
    public HttpResponse head() {
        return head;
    }

    /** {@code HTTP/1.1} or {@code HTTP/2}. */
    String protocol() {
        return protocol;
    }

    public void protocol(String value) {
        protocol = value;
    }

    /** Body bytes received, before content decoding. */
    public long bodyReceived() {
        return bodyReceived;
    }

    long headerBytes() {
        return headerBytes;
    }

    /** When the first byte of the response arrived (System.nanoTime), or 0. */
    public long firstByteNanos() {
        return firstByteNanos;
    }

    public boolean isComplete() {
        return done.isDone();
    }

    /** True when the response ended normally and the whole body was read. */
    public boolean endedCleanly() {
        return done.isDone() && !done.isCompletedExceptionally() && disposition != Disposition.FAIL;
    }

    /** Hands the figures of the exchange, as far as it got, to {@code -w}'s report. */
    public void reportTo(TransferReport report) {
        report.account(bodyReceived, headerBytes, head, protocol);
    }

    /** Stops all output: the caller gave up on this exchange (a timeout) and closes its connection. */
    public void cancel() {
        cancelled = true;
    }

    // ---- events, on the event loop ----

    /** {@code --raw}: bytes as read from the connection, before the HTTP decoder. */
    void onRaw(ByteBuf bytes) {
        if (done.isDone() || cancelled) {
            return;
        }
        markFirstByte();
        try {
            switch (disposition) {
                case UNDECIDED -> {
                    if (pendingRaw == null) {
                        pendingRaw = new ByteArrayOutputStream();
                    }
                    bytes.getBytes(bytes.readerIndex(), pendingRaw, bytes.readableBytes());
                }
                case WRITE, DISCARD -> sink.write(bytes);
                case FAIL -> {
                }
            }
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    void onHead(HttpResponse response, String protocolName) {
        if (done.isDone() || cancelled) {
            return;
        }
        markFirstByte();
        protocol = protocolName;
        trace.response(response, protocolName);
        int code = response.status().code();
        if (code >= 100 && code < 200) {
            informational = true; // 100 Continue, 103 Early Hints: the real answer follows
            return;
        }
        head = response;
        if (options.fail() && code >= 400) {
            disposition = Disposition.FAIL;
            pendingRaw = null;
            done.complete(this);
            return;
        }
        boolean redirectFollowed = options.followRedirects() && isRedirect(code)
                && response.headers().contains(HttpHeaderNames.LOCATION);
        disposition = redirectFollowed ? Disposition.DISCARD : Disposition.WRITE;
        byte[] headText = HeadText.of(response, protocolName);
        headerBytes += headText.length;
        try {
            if (options.raw()) {
                if (pendingRaw != null) {
                    sink.write(pendingRaw.toByteArray());
                    pendingRaw = null;
                }
            } else if (options.include() || options.head()) {
                sink.write(headText);
            }
            if (disposition == Disposition.WRITE) {
                sink.touch();
                if (progress != null) {
                    progress.start(HttpUtil.getContentLength(response, -1L));
                }
            }
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    /** Body bytes as they came off the wire (before decompression): the download size. */
    void onBodyReceived(int bytes) {
        bodyReceived += bytes;
        if (progress != null && disposition == Disposition.WRITE) {
            progress.update(bodyReceived);
        }
    }

    /** Body bytes as the output gets them (decoded with {@code --compressed}). */
    void onBody(ByteBuf content) {
        if (done.isDone() || cancelled || informational || disposition != Disposition.WRITE || options.raw()) {
            return;
        }
        try {
            sink.write(content);
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    void onEnd() {
        if (informational) {
            informational = false;
            return;
        }
        if (done.isDone() || cancelled) {
            return;
        }
        if (head == null) {
            fail(new CurlException(CurlException.WEIRD_SERVER_REPLY, "Weird server reply: a body without a head"));
            return;
        }
        try {
            sink.flush();
        } catch (IOException e) {
            writeFailed(e);
            return;
        }
        if (progress != null && disposition == Disposition.WRITE) {
            progress.finish(bodyReceived);
        }
        done.complete(this);
    }

    /** The connection (or the HTTP/2 stream) closed: the end of a read-until-close body, or a cut. */
    void onClosed() {
        if (done.isDone()) {
            return;
        }
        if (head == null && !informational) {
            fail(new CurlException(CurlException.GOT_NOTHING, "Empty reply from server"));
            return;
        }
        long expected = head == null ? -1 : HttpUtil.getContentLength(head, -1L);
        String of = expected >= 0 ? " of " + expected : "";
        fail(new CurlException(CurlException.RECV_ERROR, "Connection closed by the server after " + bodyReceived
                + of + " bytes of the body (the response is incomplete)"));
    }

    public void fail(CurlException e) {
        if (progress != null) {
            progress.abort();
        }
        done.completeExceptionally(e);
    }

    private void writeFailed(IOException e) {
        fail(sink.writeError(e));
    }

    private void markFirstByte() {
        if (firstByteNanos == 0) {
            firstByteNanos = System.nanoTime();
        }
    }

    public static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
}
