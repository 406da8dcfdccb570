package io.inetkit.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The end of an HTTP/1.1 response, as the handlers right after {@code http-codec} see it written: the
 * {@link LastHttpContent} of a final response. A {@code 100 Continue} is a whole message too, but not the
 * request's answer: the body, and then the answer, follow it.
 */
final class ResponseEnd {

    private ResponseEnd() {
    }

    /** Writes {@code msg}; if it ends a final response, runs {@code onWire} once it has been written. */
    static void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise, Runnable onWire) {
        if (msg instanceof LastHttpContent && !(msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
            ChannelPromise written = promise.unvoid();
            written.addListener(f -> onWire.run());
            ctx.write(msg, written);
            return;
        }
        ctx.write(msg, promise);
    }
}
