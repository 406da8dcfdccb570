package io.inetkit.server.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Meters of a listener that is not bound, for tests of its handlers, on a registry of their own. */
public final class TestMeters {

    private TestMeters() {
    }

    public static StreamMeters of(String name) {
        return new StreamMeters(new SimpleMeterRegistry(), name, "test", false);
    }

    /** The meters of a listener whose connections start with a PROXY header. */
    public static StreamMeters proxied(String name) {
        return new StreamMeters(new SimpleMeterRegistry(), name, "test", true);
    }

        /** Frames received, as counted. */
    public static long framesIn(StreamMeters meters) {
        return (long) meters.framesIn.count();
    }

    /** Frames echoed, as counted. */
    public static long framesOut(StreamMeters meters) {
        return (long) meters.framesOut.count();
    }
}
