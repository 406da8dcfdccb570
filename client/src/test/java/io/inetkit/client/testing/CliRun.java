package io.inetkit.client.testing;

import io.inetkit.common.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One run of the program's main, in-process, with its exit code and what it printed. */
public record CliRun(int exit, String out, String err) {

    public static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
