package io.inetkit.http;

import ch.qos.logback.classic.Level;
import io.inetkit.common.cli.Main;
import io.inetkit.common.cli.Logging;
import io.inetkit.http.echo.HttpEchoServer;
import io.inetkit.http.echo.HttpEchoSettings;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The build's AppCDS training run (not part of the program): runs the client against an in-process echo
 * listener on 127.0.0.1 the ways people use it (HTTP/1.1, h2c, HTTPS with HTTP/2 and HTTP/1.1, redirects,
 * gzip, a POST, a download to a file) through the program's {@code Main}, so that {@code -XX:ArchiveClassesAtExit} records the classes a
 * client run loads. Exits 0 when every run worked, 1 otherwise (the build then keeps no archive).
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Main.programDefaults(); // the program's start-up, through its own Main below: the same classes load
        Logging.configureConsole(Level.WARN);
        int failures = 0;
        Path file = Files.createTempFile("inetkit-cds", ".bin");
        try (HttpEchoServer http = new HttpEchoServer(HttpEchoSettings.of(0)).start();
             HttpEchoServer https = new HttpEchoServer(HttpEchoSettings.of(0)
                     .withTls(HttpEchoSettings.Tls.selfSigned())).start()) {
            String h = "http://127.0.0.1:" + http.port();
            String s = "https://127.0.0.1:" + https.port();
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
            Files.deleteIfExists(file);
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
