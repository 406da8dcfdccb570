package io.inetkit.client.load;

import io.netty.buffer.ByteBuf;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The check of one HTTP response as it arrives, its body in pieces: the status against {@code --ok-status},
 * and the body against {@code --verify} (its length, its SHA-256, or the worker's first body), without keeping
 * the body. One per response in flight (an HTTP/1.1 connection has one at a time, an HTTP/2 one one per stream).
 */
final class ResponseCheck {

    private final HttpLoad http;
    private final HttpCounts counts;
    private final MessageDigest sha;
    private int status;
    private long length;
    private boolean differs;
    /** --verify first, before the worker has its first body: this one, kept. */
    private byte[] collecting;

    ResponseCheck(HttpLoad http, HttpCounts counts) {
        this.http = http;
        this.counts = counts;
        this.sha = http.verify() instanceof HttpLoad.Verify.Sha256 ? HttpLoad.sha256() : null;
    }

    /** A response with {@code status} begins. */
    void begin(int status) {
        this.status = status;
        length = 0;
        differs = false;
        collecting = null;
        if (sha != null) {
            sha.reset();
        }
        if (http.verify() instanceof HttpLoad.Verify.First && counts.first == null) {
            collecting = new byte[0];
        }
    }

    /** A piece of its body. */
    void body(ByteBuf content) {
        int n = content.readableBytes();
        if (n == 0) {
            return;
        }
        if (sha != null) {
            sha.update(content.nioBuffer());
        } else if (collecting != null) {
            int at = collecting.length;
            collecting = Arrays.copyOf(collecting, at + n);
            content.getBytes(content.readerIndex(), collecting, at, n);
        } else if (http.verify() instanceof HttpLoad.Verify.First && !differs) {
            byte[] first = counts.first;
            if (length + n > first.length) {
                differs = true;
            } else {
                for (int i = 0; i < n; i++) {
                    if (content.getByte(content.readerIndex() + i) != first[(int) length + i]) {
                        differs = true;
                        break;
                    }
                }
            }
        }
        length += n;
    }

    /** The response ended; null when it is good, else what is wrong with it. */
    ErrorKind end(int window) {
        counts.response(status, length, window);
        if (!http.ok().get(status)) {
            return ErrorKind.HTTP_STATUS;
        }
        HttpLoad.Verify v = http.verify();
        if (v instanceof HttpLoad.Verify.Length len && len.bytes() != length) {
            return ErrorKind.MISMATCH;
        }
        if (v instanceof HttpLoad.Verify.Sha256 want && !MessageDigest.isEqual(want.digest(), sha.digest())) {
            return ErrorKind.MISMATCH;
        }
        if (v instanceof HttpLoad.Verify.First) {
            if (collecting != null) {
                if (counts.first == null) {
                    counts.first = collecting; // the reference from here on
                } else if (!Arrays.equals(counts.first, collecting)) {
                    return ErrorKind.MISMATCH; // another connection's response became the reference meanwhile
                }
            } else if (differs || length != counts.first.length) {
                return ErrorKind.MISMATCH;
            }
        }
        return null;
    }
}
