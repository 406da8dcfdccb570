package io.inetkit.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

/** The client's handlers; each looks up the connection's current {@link Exchange} and feeds it. */
final class ClientHandlers {

    private ClientHandlers() {
    }

    /** {@code --raw}: hands the bytes as read to the exchange, before the HTTP decoder sees them. */
    static final class RawTeeHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Exchange ex = ClientConnection.currentExchange(ctx.channel());
            if (ex != null && msg instanceof ByteBuf bytes) {
                ex.onRaw(bytes);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Right after the decoder: reports the response head as received (before a decompressor rewrites its
     * headers) and counts body bytes as they came; a response the decoder refused ends the exchange.
     */
    static final class ResponseObserver extends ChannelInboundHandlerAdapter {
        private final int maxHeaderSize;

        ResponseObserver(int maxHeaderSize) {
            this.maxHeaderSize = maxHeaderSize;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ClientConnection conn = ClientConnection.of(ctx.channel());
            Exchange ex = ClientConnection.currentExchange(ctx.channel());
            if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                if (ex != null) {
                    ex.fail(Failures.decode(o.decoderResult().cause(), maxHeaderSize));
                }
                ctx.close();
                return;
            }
            if (ex == null) {
                ReferenceCountUtil.release(msg); // nothing was asked: a server talking out of turn
                ctx.close();
                return;
            }
            if (msg instanceof HttpResponse response) {
                ex.onHead(copyForOutput(response, conn.isHttp2()), conn.protocol());
            }
            if (msg instanceof HttpContent content) {
                ex.onBodyReceived(content.content().readableBytes());
            }
            ctx.fireChannelRead(msg);
        }

        /**
         * The head with its headers as received. From HTTP/2, Netty's conversion adds x-http2-* bookkeeping
         * and a transfer-encoding that HTTP/2 forbids on the wire: those are left out.
         */
        private static HttpResponse copyForOutput(HttpResponse response, boolean http2) {
            DefaultHttpResponse copy = new DefaultHttpResponse(response.protocolVersion(), response.status());
            response.headers().forEach(h -> {
                boolean synthetic = http2 && (h.getKey().regionMatches(true, 0, "x-http2-", 0, 8)
                        || h.getKey().equalsIgnoreCase("transfer-encoding"));
                if (!synthetic) {
                    copy.headers().add(h.getKey(), h.getValue());
                }
            });
            return copy;
        }
    }

    /** The end of a response pipeline: the (decoded) body to the exchange, and how the stream ended. */
    static final class ExchangeHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                Exchange ex = ClientConnection.currentExchange(ctx.channel());
                if (ex != null && msg instanceof HttpContent content) {
                    ex.onBody(content.content());
                    if (msg instanceof LastHttpContent) {
                        ex.onEnd();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame reset) {
                Exchange ex = ClientConnection.currentExchange(ctx.channel());
                if (ex != null) {
                    ex.fail(new CurlException(CurlException.HTTP2_STREAM, "HTTP/2 stream " + reset.stream().id()
                            + " was reset by the server: " + reset.errorCode() + " (" + errorName(reset.errorCode())
                            + ")"));
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Exchange ex = ClientConnection.currentExchange(ctx.channel());
            if (ex != null) {
                ex.onClosed();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange ex = ClientConnection.currentExchange(ctx.channel());
            if (ex != null) {
                ex.fail(Failures.receive(cause, ex.target()));
            }
            ctx.close();
        }
    }

    /**
     * The end of a connection's pipeline: exceptions nothing else handled fail the current exchange; a
     * GOAWAY marks the HTTP/2 connection as not reusable; the close of the connection ends the exchange.
     */
    static final class ConnectionHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame) {
                ClientConnection conn = ClientConnection.of(ctx.channel());
                if (conn != null) {
                    conn.goAway();
                }
            }
            ReferenceCountUtil.release(msg); // settings, pings: the frame codec answered them already
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Exchange ex = ClientConnection.currentExchange(ctx.channel());
            if (ex != null) {
                ex.onClosed();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ClientConnection conn = ClientConnection.of(ctx.channel());
            if (conn != null) {
                conn.failed(cause);
            }
            ctx.close();
        }
    }

    static String errorName(long code) {
        io.netty.handler.codec.http2.Http2Error e = io.netty.handler.codec.http2.Http2Error.valueOf(code);
        return e == null ? "unknown error" : e.name();
    }
}
