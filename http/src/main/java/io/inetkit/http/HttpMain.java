package io.inetkit.http;

import io.inetkit.common.cli.Cli;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/** {@code inetkit http}: the HTTP client program. */
public final class HttpMain {

    private HttpMain() {
    }

    public static void main(String[] args) {
        programDefaults();
        Cli.main(new HttpCommand(), args);
    }

    /**
     * Start-up choices of the program (the library leaves them alone). A CLI pays for every class it
     * loads before the first byte goes out, and two of Netty's defaults cost a client run a fifth of its
     * time here: its JFR allocator events load the JDK's whole flight-recorder machinery on the first
     * buffer (~150 ms; {@code -Dio.netty.jfr.enabled=true} brings them back), and its logging through
     * SLF4J starts logback (~100 ms). The client reports its own errors; Netty's rare warnings go to
     * java.util.logging instead, one line each on stderr.
     */
    static void programDefaults() {
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s - %5$s%n");
        }
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }
}
