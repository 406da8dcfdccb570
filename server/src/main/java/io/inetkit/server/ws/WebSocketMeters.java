package io.inetkit.server.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket meters of one listener, tagged {@code listener="ws/8080"}, beside the listener's connection
 * meters ({@code StreamMeters}):
 *
 * <pre>
 * inetkit_ws_messages_total{type}        whole messages echoed: text, binary (fragments reassembled)
 * inetkit_ws_message_bytes_total{type}   their payload bytes
 * inetkit_ws_closes_total{code,by}       closes by RFC 6455 status code (1000, 1001, 1002, 1007, 1009, ...),
 *                                        by="client" (the peer's close frame) or "server" (ours)
 * </pre>
 */
public final class WebSocketMeters {

    /** The {@code type} tag. */
    public enum Type {
        TEXT("text"), BINARY("binary");

        final String tag;

        Type(String tag) {
            this.tag = tag;
        }
    }

    final String listener;
    private final MeterRegistry registry;
    private final Map<Type, Counter> messages = new java.util.EnumMap<>(Type.class);
    private final Map<Type, Counter> bytes = new java.util.EnumMap<>(Type.class);
    private final Map<String, Counter> closes = new ConcurrentHashMap<>();

    public WebSocketMeters(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        for (Type t : Type.values()) {
            messages.put(t, Counter.builder("inetkit.ws.messages").tag("listener", listener).tag("type", t.tag)
                    .description("WebSocket messages echoed, by type").register(registry));
            bytes.put(t, Counter.builder("inetkit.ws.message.bytes").tag("listener", listener).tag("type", t.tag)
                    .baseUnit("bytes").description("Payload bytes of the WebSocket messages echoed, by type")
                    .register(registry));
        }
    }

    void message(Type type, int size) {
        messages.get(type).increment();
        bytes.get(type).increment(size);
    }

    /** A close frame with {@code code}, sent by the server ({@code byServer}) or received from the client. */
    void close(int code, boolean byServer) {
        String key = code + (byServer ? " server" : " client");
        closes.computeIfAbsent(key, k -> Counter.builder("inetkit.ws.closes").tag("listener", listener)
                .tag("code", String.valueOf(code)).tag("by", byServer ? "server" : "client")
                .description("WebSocket closes by status code and by which side sent the close frame")
                .register(registry)).increment();
    }

    /** Messages of {@code type} echoed so far (tests, summary). */
    public long messages(Type type) {
        return (long) messages.get(type).count();
    }

    /** Closes with {@code code} sent by the server or the client so far. */
    public long closes(int code, boolean byServer) {
        Counter c = closes.get(code + (byServer ? " server" : " client"));
        return c == null ? 0 : (long) c.count();
    }
}
