package io.inetkit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged server's WebSocket echo against clients no one here wrote: Python's websockets (Debian's
 * python3-websockets, which {@code .ci/run} installs) and Node's ws (pinned by a lock file, installed with
 * {@code npm ci}); and headless Chromium's own WebSocket, driven over the DevTools protocol. Text, binary, a fragmented message, a ping, the
 * permessage-deflate it offers by default, its close code answered, and 1009 for a message over the limit.
 * The other way round, Python's websockets and Node's ws are the echo servers, and inetkit's client and load
 * generator check every echo they send back.
 */
class WebSocketInteropIT {

    static final int MAX_MESSAGE = 65536;
    /** Debian's interpreter, where python3-websockets lives (a PATH may put another python3 first). */
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path NODE = Path.of("/usr/bin/node");
    static final Path NPM = Path.of("/usr/bin/npm");

    @TempDir
    Path dir;
    private ServerProcess server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static boolean hasWebsockets() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import websockets").redirectErrorStream(true).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void pythonWebsocketsGetsEveryMessageBackAndTheCloseCodesItExpects() throws Exception {
        assumeTrue(hasWebsockets(), "python3-websockets is not installed (Debian: apt-get install python3-websockets); skipped");
        int port = start();
        Path script = copy("/ws/websockets_client.py", dir);
        judge(run(dir, PYTHON.toString(), script.toString(), "ws://127.0.0.1:" + port + "/echo",
                String.valueOf(MAX_MESSAGE)), port);
    }

    @Test
    void nodeWsGetsEveryMessageBackAndTheCloseCodesItExpects() throws Exception {
        assumeTrue(Files.isExecutable(NODE) && Files.isExecutable(NPM),
                "node and npm are not installed (Debian: apt-get install nodejs npm); skipped");
        Path project = Files.createDirectories(dir.resolve("node"));
        for (String f : List.of("package.json", "package-lock.json", "ws_client.js")) {
            copy("/ws/node/" + f, project);
        }
        // ws pinned by the lock file, from the npm registry (or npm's cache)
        Ran install = run(project, NPM.toString(), "ci", "--no-audit", "--no-fund", "--loglevel=error");
        assertThat(install.exit()).as("npm ci: " + install.err()).isZero();
        int port = start();
        judge(run(project, NODE.toString(), "ws_client.js", "ws://127.0.0.1:" + port + "/echo",
                String.valueOf(MAX_MESSAGE)), port);
    }

    @Test
    void headlessChromiumsOwnWebSocketGetsItsMessagesBack() throws Exception {
        assumeTrue(hasWebsockets(), "python3-websockets drives Chromium here and is not installed; skipped");
        Path chromium = Path.of("/usr/bin/chromium");
        assumeTrue(Files.isExecutable(chromium), "chromium is not installed (Debian: apt-get install chromium); skipped");
        int port = start();
        Path page = copy("/ws/chromium_page.html", dir);
        Path cdp = copy("/ws/cdp.py", dir);
        Path profile = Files.createDirectories(dir.resolve("chromium"));
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Ran r = run(dir, PYTHON.toString(), cdp.toString(), profile.toString(),
                    page.toUri() + "?ws=" + java.net.URLEncoder.encode("ws://127.0.0.1:" + port + "/echo/chromium", StandardCharsets.UTF_8));
            assertThat(r.exit()).as("cdp.py: " + r.err()).isZero();
            JsonNode outcome = new ObjectMapper().readTree(r.out());
            assertThat(outcome.get("got").toString()).isEqualTo("[\"text:hello from chromium\",\"binary:0,1,2,255\"]");
            assertThat(outcome.get("code").asInt()).isEqualTo(1000);
            assertThat(outcome.get("extensions").asText()).contains("permessage-deflate");
        } finally {
            browser.descendants().forEach(ProcessHandle::destroy); // its renderer and helper processes
            browser.destroy();
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        }
    }

    @Test
    void inetkitsClientAndLoadAgainstPythonWebsocketsAsTheEchoServer() throws Exception {
        assumeTrue(hasWebsockets(), "python3-websockets is not installed (Debian: apt-get install python3-websockets); skipped");
        Path script = copy("/ws/websockets_server.py", dir);
        // websockets offers and takes permessage-deflate by default
        againstPeer(dir, true, PYTHON.toString(), script.toString(), "0", String.valueOf(MAX_MESSAGE));
    }

    @Test
    void inetkitsClientAndLoadAgainstNodeWsAsTheEchoServer() throws Exception {
        assumeTrue(Files.isExecutable(NODE) && Files.isExecutable(NPM),
                "node and npm are not installed (Debian: apt-get install nodejs npm); skipped");
        Path project = Files.createDirectories(dir.resolve("node"));
        for (String f : List.of("package.json", "package-lock.json", "ws_server.js")) {
            copy("/ws/node/" + f, project);
        }
        Ran install = run(project, NPM.toString(), "ci", "--no-audit", "--no-fund", "--loglevel=error");
        assertThat(install.exit()).as("npm ci: " + install.err()).isZero();
        // ws leaves permessage-deflate off by default; on here, so that both sides of the extension meet a peer
        againstPeer(project, true, NODE.toString(), "ws_server.js", "0", String.valueOf(MAX_MESSAGE), "deflate");
    }

    /**
     * A peer's echo server (it prints its port): inetkit's client sends text and binary and checks every echo
     * and the close, and the load generator runs against it with every echo verified.
     */
    private void againstPeer(Path workDir, boolean deflates, String... command) throws Exception {
        Process peer = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII));
            String first = lines.readLine(); // its port, once it listens; null if it died
            assertThat(first).as("the peer's port line").isNotNull().matches("\\d+");
            String url = "ws://127.0.0.1:" + first + "/";
            try (Program text = Program.start("client", url, "--message", "Hello, peer", "-c", "3", "-v")) {
                assertThat(text.awaitExit(java.time.Duration.ofSeconds(60))).as(text.stderr().toString()).isZero();
                assertThat(String.join("\n", text.stdout())).contains("text message, 11 bytes, matched")
                        .contains("3/3 echoes matched").contains("closed: 1000");
                assertThat(String.join("\n", text.stderr())).contains(deflates ? "permessage-deflate" : "upgraded in");
            }
            byte[] bytes = new byte[MAX_MESSAGE / 2];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i * 31 + 0x80); // not UTF-8: it goes as binary
            }
            Path file = Files.write(dir.resolve("peer.bin"), bytes);
            try (Program binary = Program.start("client", url, "--file", file.toString())) {
                assertThat(binary.awaitExit(java.time.Duration.ofSeconds(60))).as(binary.stderr().toString()).isZero();
                assertThat(String.join("\n", binary.stdout())).contains("binary message, " + bytes.length + " bytes, matched");
            }
            Path json = dir.resolve("peer-load.json");
            try (Program load = Program.start("load", url, "-c", "4", "-t", "1", "-d", "1s", "--warmup", "0", "-q",
                    "--json", json.toString())) {
                assertThat(load.awaitExit(java.time.Duration.ofSeconds(60))).as(load.stderr().toString()).isZero();
            }
            JsonNode r = new ObjectMapper().readTree(Files.readString(json));
            assertThat(r.get("messages").asLong()).isPositive();
            r.get("errors").fields().forEachRemaining(e -> assertThat(e.getValue().asLong()).as(e.getKey()).isZero());
            assertThat(r.get("websocket").get("upgrades").asLong()).isEqualTo(4);
            assertThat(r.get("websocket").get("deflated").asLong()).isEqualTo(deflates ? 4 : 0);
        } finally {
            peer.destroy();
            if (!peer.waitFor(10, TimeUnit.SECONDS)) {
                peer.destroyForcibly();
            }
        }
    }

    private int start() throws IOException {
        server = ServerProcess.start("--ws", "0:/echo", "--ws-max-message", String.valueOf(MAX_MESSAGE));
        return server.ws.get("ws");
    }

    private static Path copy(String resource, Path to) throws IOException {
        Path file = to.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (InputStream in = WebSocketInteropIT.class.getResourceAsStream(resource)) {
            Files.copy(in, file);
        }
        return file;
    }

    private record Ran(int exit, String out, String err) {
    }

    private Ran run(Path workDir, String... command) throws Exception {
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end");
        }
        return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
    }

    /** The client's checks, one JSON line each, then what the server counted of them. */
    private void judge(Ran client, int port) throws IOException {
        assertThat(client.exit()).as("the client's exit; stderr: " + client.err()).isZero();
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : client.out().strip().split("\n")) {
            JsonNode n = json.readTree(line);
            checks.put(n.get("check").asText(), n);
        }
        assertThat(checks).containsOnlyKeys("deflate", "text", "binary", "fragmented", "ping", "close", "too-big");
        assertThat(checks.get("deflate").get("extensions").toString()).contains("permessage-deflate");
        assertThat(checks.get("text").get("equal").asBoolean()).isTrue();
        assertThat(checks.get("binary").get("equal").asBoolean()).isTrue();
        assertThat(checks.get("binary").get("size").asInt()).isEqualTo(MAX_MESSAGE / 2);
        assertThat(checks.get("fragmented").get("equal").asBoolean()).isTrue();
        assertThat(checks.get("ping").get("answered").asBoolean()).isTrue();
        assertThat(checks.get("close").get("code").asInt()).as("our close code, answered").isEqualTo(4000);
        assertThat(checks.get("too-big").get("code").asInt()).isEqualTo(1009);

        // the server counted what it echoed and each close, by code and side
        PrometheusText m = server.scrape();
        String listener = "ws/" + port;
        assertThat(m.value("inetkit_ws_messages_total", "listener", listener, "type", "text")).isEqualTo(2.0);
        assertThat(m.value("inetkit_ws_messages_total", "listener", listener, "type", "binary")).isEqualTo(1.0);
        assertThat(m.value("inetkit_ws_closes_total", "listener", listener, "code", "4000", "by", "client")).isEqualTo(1.0);
        assertThat(m.value("inetkit_ws_closes_total", "listener", listener, "code", "1009", "by", "server")).isEqualTo(1.0);
    }
}
