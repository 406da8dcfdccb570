package io.inetkit.server.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Meters of a listener that is not bound, for pipeline tests in other packages. */
public final class TestMeters {

    private TestMeters() {
    }

    public static StreamMeters of(String name) {
        return new StreamMeters(new SimpleMeterRegistry(), name, "test");
    }
}
