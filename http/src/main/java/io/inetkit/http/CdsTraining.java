package io.inetkit.http;

import ch.qos.logback.classic.Level;
import io.inetkit.common.cli.Main;
import io.inetkit.common.cli.Logging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The build's AppCDS training run (not part of the program): runs the client, through the program's
 * {@code Main}, against the server's httpbin-style listener on 127.0.0.1 (the server's jar, {@code args[0]},
 * started as a process of its own: the client's code never imports the server) the ways people use it
 * (HTTP/1.1, h2c, HTTPS with HTTP/2 and HTTP/1.1, redirects,
 * gzip, a POST, a download to a file), so that {@code -XX:ArchiveClassesAtExit} records the classes a
 * client run loads. Exits 0 when every run worked, 1 otherwise (the build then keeps no archive).
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Main.programDefaults(); // the program's start-up, through its own Main below: the same classes load
        Logging.configureConsole(Level.WARN);
        int failures = 0;
        Path file = Files.createTempFile("inetkit-cds", ".bin");
        Process server = new ProcessBuilder(javaBin(), "-jar", args[0], "server", "--http", "0", "--https", "0",
                "--tls", "self-signed", "--admin", "off").redirectErrorStream(true).start();
        try {
            int[] ports = ports(server);
            String h = "http://127.0.0.1:" + ports[0];
            String s = "https://127.0.0.1:" + ports[1];
            List<String[]> runs = new ArrayList<>();
            runs.add(new String[] {"-i", h + "/ip"});
            runs.add(new String[] {"-s", "-o", file.toString(), "-w", "%{http_code} %{time_total}\n", h + "/bytes/100000"});
            runs.add(new String[] {"-v", "-L", h + "/redirect/2", h + "/headers"});
            runs.add(new String[] {"--compressed", h + "/gzip"});
            runs.add(new String[] {"POST", h + "/post", "-d", "a=1", "-H", "X-Training: yes"});
            runs.add(new String[] {"--http2-prior-knowledge", "-i", h + "/stream/3"});
            runs.add(new String[] {"-k", "-i", s + "/get"});
            runs.add(new String[] {"-k", "--http1.1", "--raw", s + "/stream/2"});
            runs.add(new String[] {"-f", "-s", h + "/status/404"});
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            for (String[] run : runs) {
                String[] command = new String[run.length + 1];
                command[0] = "http";
                System.arraycopy(run, 0, command, 1, run.length);
                int code = Main.run(command, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
                boolean expected = run[run.length - 1].endsWith("/status/404") ? code == 22 : code == 0;
                if (!expected) {
                    System.err.println("CDS training: " + String.join(" ", run) + " exited " + code);
                    failures++;
                }
            }
            System.setOut(stdout);
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(file);
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private static final Pattern LISTENING = Pattern.compile("listening on (https?) .*:(\\d+) ");

    /** The HTTP and HTTPS ports from the server's start-up log. */
    private static int[] ports(Process server) throws IOException {
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream()));
        int[] ports = {-1, -1};
        for (String line; (ports[0] < 0 || ports[1] < 0) && (line = log.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                ports[m.group(1).equals("http") ? 0 : 1] = Integer.parseInt(m.group(2));
            }
        }
        if (ports[0] < 0 || ports[1] < 0) {
            throw new IOException("the server did not start");
        }
        // the server's log is not read after start-up: drain it so that it never blocks on a full pipe
        Thread drain = new Thread(() -> log.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return ports;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
