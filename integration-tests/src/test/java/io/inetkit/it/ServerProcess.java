package io.inetkit.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code inetkit server} as a process with its admin listener on a free port: the ports it bound (read from
 * its log), its {@code /metrics} parsed, its {@code /health}, and what the kernel says about it (open fds).
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern TCP = Pattern.compile("listening on tcp [^ ]+:(\\d+) \\((.*)\\)");
    private static final Pattern UDP = Pattern.compile("listening on udp [^ ]+:(\\d+)");
    private static final Pattern HTTP = Pattern.compile("(?<!admin )listening on (https?) [^ ]+:(\\d+) ");
    private static final Pattern WS = Pattern.compile("listening on (wss?) [^ ]+:(\\d+) ");

    final Program program;
    /** Framing spec → port, in the order of the --tcp flags. */
    final Map<String, Integer> tcp = new LinkedHashMap<>();
    final List<Integer> udp = new ArrayList<>();
    /** "http" or "https" → the port of the first such listener. */
    final Map<String, Integer> http = new LinkedHashMap<>();
    /** "ws" or "wss" → the port of the first such listener. */
    final Map<String, Integer> ws = new LinkedHashMap<>();
    final int admin;

    private ServerProcess(Program program, int admin) {
        this.program = program;
        this.admin = admin;
        for (String line : program.stderr()) {
            Matcher t = TCP.matcher(line);
            if (t.find()) {
                tcp.put(t.group(2), Integer.parseInt(t.group(1)));
            }
            Matcher u = UDP.matcher(line);
            if (u.find()) {
                udp.add(Integer.parseInt(u.group(1)));
            }
            Matcher w = WS.matcher(line);
            if (w.find()) {
                ws.putIfAbsent(w.group(1), Integer.parseInt(w.group(2)));
            }
            Matcher h = HTTP.matcher(line);
            if (h.find()) {
                http.putIfAbsent(h.group(1), Integer.parseInt(h.group(2)));
            }
        }
    }

    /** Starts the server with {@code args} plus {@code --admin 127.0.0.1:0}; returns once everything is bound. */
    static ServerProcess start(List<String> jvmOptions, String... args) throws IOException {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--admin");
        all.add("127.0.0.1:0");
        Program p = Program.start(jvmOptions, "server", all.toArray(String[]::new));
        try {
            // the admin listener is bound last: once it is there, every listener is
            int admin = Integer.parseInt(p.awaitStderr("admin listening on http 127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(30)));
            return new ServerProcess(p, admin);
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    static ServerProcess start(String... args) throws IOException {
        return start(List.of(), args);
    }

    int tcpPort() {
        return tcp.values().iterator().next();
    }

    int tcpPort(String framing) {
        Integer port = tcp.get(framing);
        if (port == null) {
            throw new IllegalArgumentException("no tcp listener with framing " + framing + ": " + tcp);
        }
        return port;
    }

    long pid() {
        return program.process.pid();
    }

    /** Open file descriptors of the server process, from /proc. */
    int fdCount() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    /** An HTTP response: status code and body. */
    record Response(int status, String body) {
    }

    /** GET on the admin port (HTTP/1.1, Connection: close, so the server closes its end: no fd left over). */
    Response get(String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", admin), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 ") || headerEnd < 0) {
                throw new IOException("not an HTTP response: " + response);
            }
            return new Response(Integer.parseInt(response.substring(9, 12)), response.substring(headerEnd + 4));
        }
    }

    /** Scrapes and parses {@code /metrics}. */
    PrometheusText scrape() throws IOException {
        Response r = get("/metrics");
        if (r.status() != 200) {
            throw new IOException("/metrics answered " + r.status());
        }
        return PrometheusText.parse(r.body());
    }

    /** Runs a full GC in the server ({@code jcmd PID GC.run}), so heap figures are live data, not garbage. */
    void gc() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), "GC.run").redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd GC.run failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Heap in use plus direct memory in use (the JDK's direct buffers and Netty's own), in bytes. */
    static long heapPlusDirect(PrometheusText m) {
        double heap = m.sum("jvm_memory_used_bytes", "area", "heap");
        double direct = m.value("jvm_buffer_memory_used_bytes", "id", "direct");
        double nettyDirect = m.samples("netty_direct_memory_used_bytes").isEmpty() ? 0
                : m.value("netty_direct_memory_used_bytes");
        return (long) (heap + direct + Math.max(0, nettyDirect));
    }

    /** Lines the server wrote to stderr. */
    List<String> log() {
        return program.stderr();
    }

    @Override
    public void close() {
        program.close();
    }
}
