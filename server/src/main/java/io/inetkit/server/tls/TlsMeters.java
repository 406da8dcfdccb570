package io.inetkit.server.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TLS meters of one listener, tagged {@code listener="tcp/5443"}:
 *
 * <pre>
 * inetkit_tls_handshakes_total{result}          ok, not_tls (plaintext to a TLS port), timeout, client_cert, failed,
 *                                               closed (the peer closed during the handshake: DEBUG, not WARN)
 * inetkit_tls_handshakes_resumed_total          the successful ones (result="ok") that resumed a session
 * inetkit_tls_handshake_seconds                 from accept to the handshake's end, successful ones (a summary)
 * inetkit_tls_connections{version,cipher}       live TLS connections: TLSv1.3 / TLS_AES_128_GCM_SHA256, ...
 * inetkit_tls_client_verified_total{subject}    verified client certificates, by subject (the first
 *                                               {@value #MAX_SUBJECTS} subjects; then subject="other")
 * </pre>
 */
public final class TlsMeters {

    static final int MAX_SUBJECTS = 100;

    /** How a handshake ended: the {@code result} tag. */
    public enum Result {
        OK("ok"), NOT_TLS("not_tls"), TIMEOUT("timeout"), CLIENT_CERT("client_cert"), FAILED("failed"),
        /** The peer closed the connection in the middle of the handshake (a health check, a client giving up). */
        CLOSED("closed");

        final String tag;

        Result(String tag) {
            this.tag = tag;
        }
    }

    final String listener;
    private final MeterRegistry registry;
    private final Map<Result, Counter> handshakes = new java.util.EnumMap<>(Result.class);
    final Timer duration;
    final Counter resumed;
    private final Map<String, AtomicInteger> live = new ConcurrentHashMap<>();
    private final Map<String, Counter> subjects = new ConcurrentHashMap<>();

    public TlsMeters(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        for (Result r : Result.values()) {
            handshakes.put(r, Counter.builder("inetkit.tls.handshakes").tag("listener", listener).tag("result", r.tag)
                    .description("TLS handshakes by how they ended").register(registry));
        }
        resumed = Counter.builder("inetkit.tls.handshakes.resumed").tag("listener", listener)
                .description("Successful TLS handshakes that resumed an earlier session").register(registry);
        duration = Timer.builder("inetkit.tls.handshake").tag("listener", listener)
                .description("TLS handshake duration, from accept to done").register(registry);
    }

    public Counter handshakes(Result r) {
        return handshakes.get(r);
    }

    /** One more live connection of this version and cipher; the returned counter goes down on close. */
    AtomicInteger live(String version, String cipher) {
        return live.computeIfAbsent(version + " " + cipher, k -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("inetkit.tls.connections", n, AtomicInteger::get).tag("listener", listener)
                    .tag("version", version).tag("cipher", cipher).strongReference(true)
                    .description("Live TLS connections by protocol version and cipher suite").register(registry);
            return n;
        });
    }

    /** Live connections of {@code version} and {@code cipher} now (for tests and the summary). */
    public int liveCount(String version, String cipher) {
        AtomicInteger n = live.get(version + " " + cipher);
        return n == null ? 0 : n.get();
    }

    /** Counts a verified client subject; true the first time this subject is seen. */
    boolean verified(String subject) {
        boolean[] first = {false};
        String key = subjects.size() >= MAX_SUBJECTS && !subjects.containsKey(subject) ? "other" : subject;
        subjects.computeIfAbsent(key, k -> {
            first[0] = true;
            return Counter.builder("inetkit.tls.client.verified").tag("listener", listener).tag("subject", k)
                    .description("Verified client certificates by subject").register(registry);
        }).increment();
        return first[0];
    }
}
