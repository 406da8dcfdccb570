package io.inetkit.http;

import io.inetkit.common.transport.Transport;
import io.inetkit.http.connection.ClientConnection;
import io.inetkit.http.connection.Connector;
import io.inetkit.http.output.BodySink;
import io.inetkit.http.output.ProgressMeter;
import io.inetkit.http.output.Trace;
import io.inetkit.http.output.TransferReport;
import io.inetkit.http.output.TransferTiming;
import io.inetkit.http.pipeline.Exchange;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the transfers of one command line: each URL, its redirects ({@code -L}), and the connections they
 * share. A connection stays open after an exchange that ended cleanly with keep-alive, and the next
 * request to the same origin ({@code scheme://host:port}) reuses it.
 */
final class Transfers implements AutoCloseable {

    private final ClientOptions options;
    private final Trace trace;
    private final EventLoopGroup group;
    private final ExecutorService lookups;
    private final Connector connector;
    private final Map<String, ClientConnection> pool = new HashMap<>();

    Transfers(ClientOptions options, Transport transport, Connector.Resolver resolver, Trace trace) {
        this.options = options;
        this.trace = trace;
        this.group = transport.newGroup(1, "inetkit-http");
        this.lookups = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "inetkit-http-resolver");
            t.setDaemon(true);
            return t;
        });
        this.connector = new Connector(options, group, transport.socketChannelClass(), resolver, lookups, trace);
    }

    /**
     * One URL, redirects included. {@code report} is filled in as the transfer goes, so {@code -w} can
     * show how far a failed one got.
     *
     * @throws CurlException with curl's exit code when the transfer fails
     */
    void transfer(Target first, BodySink sink, ProgressMeter progress, TransferReport report) throws CurlException {
        TransferTiming timing = report.timing();
        long deadline = options.maxTime() == null ? Long.MAX_VALUE
                : Connector.saturatedAdd(timing.start(), options.maxTime().toNanos());
        Target target = first;
        String method = initialMethod();
        RequestBody body = options.head() ? null : options.body();
        int connectsBefore = connector.connections();
        boolean retried = false;
        while (true) {
            report.request(target.url(), method);
            ClientConnection conn = pool.remove(target.origin());
            boolean reused = conn != null && conn.isActive();
            if (reused) {
                trace.info("Re-using existing connection #" + conn.number() + " with host " + target.host());
            } else {
                conn = connector.connect(target, timing, deadline);
            }
            report.connection(connector.connections() - connectsBefore, conn.remoteAddress());
            HttpRequest request = request(target, first, method, body);
            trace.request(request, conn.protocol());
            Exchange ex = new Exchange(target, request, body, options, sink, trace, progress);
            conn.send(ex);
            timing.requestSent();
            report.uploaded(body == null ? 0 : body.length());
            try {
                long wait = deadline - System.nanoTime();
                ex.done().get(Math.max(0, wait), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                ex.cancel();
                conn.close();
                ex.reportTo(report);
                throw new CurlException(CurlException.OPERATION_TIMEDOUT, "Operation timed out after "
                        + timing.elapsedMillis() + " milliseconds with " + ex.bodyReceived() + " bytes received");
            } catch (ExecutionException e) {
                conn.close();
                ex.reportTo(report);
                CurlException failure = e.getCause() instanceof CurlException c ? c
                        : new CurlException(CurlException.RECV_ERROR, Failures.message(e.getCause()));
                if (reused && !retried && ex.firstByteNanos() == 0 && (failure.exitCode() == CurlException.GOT_NOTHING
                        || failure.exitCode() == CurlException.SEND_ERROR)) {
                    // the server closed the kept-alive connection as we reused it: one fresh try, as curl does
                    trace.info("Connection died, retrying a fresh connect");
                    retried = true;
                    report.uploaded(body == null ? 0 : -body.length());
                    continue;
                }
                throw failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                conn.close();
                throw new CurlException(CurlException.OPERATION_TIMEDOUT, "Interrupted");
            }
            timing.firstByte(ex.firstByteNanos());
            ex.reportTo(report);
            if (conn.reusable(ex)) {
                pool.put(target.origin(), conn);
                trace.info("Connection #" + conn.number() + " to host " + target.host() + " left intact");
            } else {
                conn.close();
                trace.info("Closing connection #" + conn.number());
            }
            int code = ex.head().status().code();
            String location = ex.head().headers().get(HttpHeaderNames.LOCATION);
            if (options.followRedirects() && Exchange.isRedirect(code) && location != null) {
                if (!options.mayFollow(report.redirects())) {
                    throw new CurlException(CurlException.TOO_MANY_REDIRECTS, "Maximum (" + options.maxRedirects()
                            + ") redirects followed");
                }
                Target next = target.resolve(location);
                report.redirected();
                trace.info("Issue another request to this URL: '" + next.url() + "'");
                boolean explicitMethod = options.method() != null;
                if ((code == 303 && !method.equals("HEAD"))
                        || ((code == 301 || code == 302) && method.equals("POST") && !explicitMethod)) {
                    method = "GET";
                    body = null;
                }
                target = next;
                timing.redirected();
                continue;
            }
            timing.ended();
            if (options.fail() && code >= 400) {
                throw new CurlException(CurlException.HTTP_RETURNED_ERROR, "The requested URL returned error: " + code);
            }
            return;
        }
    }

    private String initialMethod() {
        if (options.method() != null) {
            return options.method();
        }
        if (options.head()) {
            return "HEAD";
        }
        return options.body() != null ? "POST" : "GET";
    }

    /** The request head: curl's default headers, then the -H edits. */
    private HttpRequest request(Target target, Target first, String method, RequestBody body) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method),
                target.pathAndQuery());
        HttpHeaders h = request.headers();
        // curl's spelling on HTTP/1.1; HTTP/2 lower-cases every name
        h.set("Host", target.authority());
        h.set("User-Agent", options.userAgent());
        h.set("Accept", "*/*");
        if (options.compressed()) {
            h.set("Accept-Encoding", "gzip, deflate");
        }
        if (body != null) {
            h.set("Content-Type", HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED);
            h.set("Content-Length", body.length());
        }
        // curl's rule (CVE-2022-27776, CVE-2022-27774): credentials are for the origin they were given for
        boolean otherOrigin = !options.locationTrusted() && !(target.scheme().equals(first.scheme())
                && target.host().equalsIgnoreCase(first.host()) && target.port() == first.port());
        Map<String, Boolean> replaced = new HashMap<>();
        for (ClientOptions.HeaderEdit edit : options.headers()) {
            String key = edit.name().toLowerCase(Locale.ROOT);
            if (otherOrigin && (key.equals("authorization") || key.equals("cookie"))) {
                continue;
            }
            if (edit.removes()) {
                h.remove(edit.name());
                continue;
            }
            if (replaced.putIfAbsent(key, true) == null) {
                h.remove(edit.name());
            }
            h.add(edit.name(), edit.value());
        }
        return request;
    }

    @Override
    public void close() {
        for (ClientConnection c : pool.values()) {
            c.close();
        }
        pool.clear();
        lookups.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
