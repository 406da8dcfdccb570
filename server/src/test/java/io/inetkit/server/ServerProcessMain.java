package io.inetkit.server;

import picocli.CommandLine;

/** {@code inetkit server} in a process of its own, for the tests that signal it. */
final class ServerProcessMain {

    private ServerProcessMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServerCommand()).execute(args));
    }
}
