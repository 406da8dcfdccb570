package io.inetkit.http;

import io.inetkit.http.connection.Connector;
import io.inetkit.http.output.Terminal;
import io.inetkit.common.cli.Cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs {@code inetkit http} in-process and keeps what it wrote. */
final class Run {

    final int exitCode;
    final byte[] stdout;
    final String stderr;

    private Run(int exitCode, byte[] stdout, String stderr) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout ---\n" + out() + "\n--- stderr ---\n" + stderr;
    }

    static Run http(String... args) {
        return with(Connector.Resolver.SYSTEM, Terminal.NONE, args);
    }

    static Run with(Connector.Resolver resolver, Terminal terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return into(out, resolver, terminal, args).withStdout(out.toByteArray());
    }

    /** Runs with stdout going to {@code out} (e.g. a counting sink that keeps nothing). */
    static Run into(OutputStream out, Connector.Resolver resolver, Terminal terminal, String... args) {
        StringWriter err = new StringWriter();
        StringWriter text = new StringWriter();
        int code = Cli.run(new HttpCommand(out, new ByteArrayInputStream(new byte[0]), resolver, terminal), args,
                Map.of(), new PrintWriter(text, true), new PrintWriter(err, true));
        return new Run(code, text.toString().getBytes(StandardCharsets.UTF_8), err.toString());
    }

    private Run withStdout(byte[] bytes) {
        return new Run(exitCode, bytes, stderr);
    }
}
