package io.inetkit.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Netty's aggregator, but leaving the request's headers as the client sent them: the stock one adds a
 * {@code content-length} to every request and drops {@code transfer-encoding: chunked}, and an echo
 * that reports headers the client never sent would mislead. Oversized bodies still get 413.
 */
final class EchoRequestAggregator extends HttpObjectAggregator {

    EchoRequestAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected FullHttpMessage beginAggregation(HttpMessage start, ByteBuf content) throws Exception {
        List<Map.Entry<String, String>> transferEncoding = new ArrayList<>();
        if (HttpUtil.isTransferEncodingChunked(start)) {
            for (Map.Entry<String, String> h : start.headers()) {
                if (h.getKey().equalsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING.toString())) {
                    transferEncoding.add(Map.entry(h.getKey(), h.getValue()));
                }
            }
        }
        FullHttpMessage aggregated = super.beginAggregation(start, content);
        for (Map.Entry<String, String> h : transferEncoding) {
            aggregated.headers().add(h.getKey(), h.getValue()); // as the client spelled it
        }
        return aggregated;
    }

    @Override
    protected void finishAggregation(FullHttpMessage aggregated) {
        // no synthetic content-length: the handler reads the body from content()
    }
}
