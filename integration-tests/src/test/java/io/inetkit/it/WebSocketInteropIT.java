package io.inetkit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged server's WebSocket echo against a client no one here wrote: Python's websockets (Debian's
 * python3-websockets, which {@code .ci/run} installs). Text, binary, a fragmented message, a ping, the
 * permessage-deflate it offers by default, its close code answered, and 1009 for a message over the limit.
 */
class WebSocketInteropIT {

    static final int MAX_MESSAGE = 65536;
    /** Debian's interpreter, where python3-websockets lives (a PATH may put another python3 first). */
    static final Path PYTHON = Path.of("/usr/bin/python3");

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
        server = ServerProcess.start("--ws", "0:/echo", "--ws-max-message", String.valueOf(MAX_MESSAGE));
        int port = server.ws.get("ws");
        Path script = dir.resolve("websockets_client.py");
        try (InputStream in = WebSocketInteropIT.class.getResourceAsStream("/ws/websockets_client.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), "ws://127.0.0.1:" + port + "/echo",
                String.valueOf(MAX_MESSAGE)).redirectError(dir.resolve("err.txt").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the client ends").isTrue();
        String err = Files.readString(dir.resolve("err.txt"));
        assertThat(p.exitValue()).as("the client's exit; stderr: " + err).isZero();
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : new String(out, java.nio.charset.StandardCharsets.UTF_8).strip().split("\n")) {
            JsonNode n = json.readTree(line);
            checks.put(n.get("check").asText(), n);
        }
        assertThat(checks).containsOnlyKeys("deflate", "text", "binary", "fragmented", "ping", "close", "too-big");
        assertThat(checks.get("deflate").get("extensions").toString()).contains("permessage-deflate");
        assertThat(checks.get("text").get("equal").asBoolean()).isTrue();
        assertThat(checks.get("text").get("type").asText()).isEqualTo("str");
        assertThat(checks.get("binary").get("equal").asBoolean()).isTrue();
        assertThat(checks.get("binary").get("type").asText()).isEqualTo("bytes");
        assertThat(checks.get("binary").get("size").asInt()).isEqualTo(MAX_MESSAGE / 2);
        assertThat(checks.get("fragmented").get("equal").asBoolean()).isTrue();
        assertThat(checks.get("ping").get("answered").asBoolean()).isTrue();
        assertThat(checks.get("close").get("code").asInt()).as("our close code, answered").isEqualTo(4000);
        assertThat(checks.get("too-big").get("code").asInt()).isEqualTo(1009);

        // the server counted what it echoed and each close, by code and side
        PrometheusText m = server.scrape();
        assertThat(m.value("inetkit_ws_messages_total", "listener", "ws/" + port, "type", "text")).isEqualTo(2.0);
        assertThat(m.value("inetkit_ws_messages_total", "listener", "ws/" + port, "type", "binary")).isEqualTo(1.0);
        assertThat(m.value("inetkit_ws_closes_total", "listener", "ws/" + port, "code", "4000", "by", "client")).isEqualTo(1.0);
        assertThat(m.value("inetkit_ws_closes_total", "listener", "ws/" + port, "code", "1009", "by", "server")).isEqualTo(1.0);
    }
}
