package io.inetkit.client.load;

/**
 * What one worker's HTTP connections counted (loop thread only; read at the end): responses by status code,
 * the body bytes of the responses completed in the window, and, for {@code --verify first}, the body every
 * other must equal.
 */
final class HttpCounts {

    /** Responses by status code, 100..599, in the measured window. */
    final long[] statuses = new long[600];
    long bodyBytes;
    /** {@code --verify first}: the first good body of this worker, or null before it. */
    byte[] first;

    /** A response of {@code status} with {@code bytes} of body ended; {@code window} is 1 inside the window. */
    void response(int status, long bytes, int window) {
        if (status >= 0 && status < statuses.length) {
            statuses[status] += window;
        }
        bodyBytes += bytes * window;
    }
}
