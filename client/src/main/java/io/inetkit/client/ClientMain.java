package io.inetkit.client;

import io.inetkit.client.load.LoadCommand;
import io.inetkit.client.load.MergeCommand;
import io.inetkit.common.cli.Cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;

/**
 * The entry point of {@code inetkit-client.jar}, which serves two launcher commands: the first argument
 * picks the program.
 *
 * <pre>
 * java -jar inetkit-client.jar client HOST PORT [options]        → {@link ClientCommand}
 * java -jar inetkit-client.jar load HOST PORT [options]          → {@link LoadCommand}
 * java -jar inetkit-client.jar load merge A.hlog B.hlog [options] → {@link MergeCommand}
 * </pre>
 */
public final class ClientMain {

    private ClientMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            // Netty's buffer events for Java Flight Recorder load JFR's metadata on the first allocation:
            // hundreds of milliseconds that would land in the first round trip. -Dio.netty.jfr.enabled=true
            // brings them back for a profiling session.
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, System.getenv(), out, err));
    }

    /** Runs the program that {@code args[0]} names with the rest of {@code args}; returns its exit code. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        if (args.length == 0 || !(args[0].equals("client") || args[0].equals("load"))) {
            err.println("inetkit-client.jar: the first argument must be 'client' or 'load'"
                    + (args.length == 0 ? "" : ", not '" + args[0] + "'"));
            err.println("usage: inetkit client HOST PORT [options] | inetkit load HOST PORT [options]"
                    + " | inetkit load merge FILE.hlog...");
            err.flush();
            return Cli.EXIT_USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("client")) {
            return Cli.run(new ClientCommand(), rest, env, out, err);
        }
        if (rest.length > 0 && rest[0].equals("merge")) {
            return Cli.run(new MergeCommand(), Arrays.copyOfRange(rest, 1, rest.length), env, out, err);
        }
        return Cli.run(new LoadCommand(), rest, env, out, err);
    }
}
