package io.inetkit.http;

import io.inetkit.common.cli.Cli;

/** {@code inetkit http}: the HTTP client program. */
public final class HttpMain {

    private HttpMain() {
    }

    public static void main(String[] args) {
        Cli.main(new HttpCommand(), args);
    }
}
