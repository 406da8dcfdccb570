package io.inetkit.client.load;

import io.inetkit.client.testing.CliRun;
import io.inetkit.common.framing.Framing;
import io.inetkit.server.EchoServer;
import io.inetkit.server.ServerSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code --html} report as a person sees it: opened offline in headless Chromium, which must lay out
 * both SVG charts (checked in the rendered DOM) and paint a page that is not blank (checked in the
 * screenshot's pixels).
 */
class HtmlReportChromiumTest {

    @TempDir
    Path dir;

    static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(d, name))) {
                    return Path.of(d, name).toString();
                }
            }
        }
        return null;
    }

    @Test
    void reportRendersInHeadlessChromium() throws Exception {
        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null,
                "SKIPPED: headless Chromium not found on PATH (Debian: apt-get install chromium); CI installs it");
        Path html = dir.resolve("report.html");
        EchoServer server = new EchoServer(ServerSettings.builder().bind("127.0.0.1").ioThreads(1)
                .tcp(0, Framing.parse("line")).build()).start();
        try {
            CliRun r = CliRun.run("load", "127.0.0.1", String.valueOf(server.tcpAddresses().get(0).getPort()),
                    "--framing", "line", "-c", "4", "--pipeline", "2", "--duration", "2s", "--warmup", "0", "-q",
                    "--html", html.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
        } finally {
            server.stop();
        }
        String page = Files.readString(html);
        // offline: nothing to fetch (the only URL is the SVG namespace name, which is never loaded)
        assertThat(page).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=")
                .doesNotContain("url(").doesNotContain("@import").doesNotContain("@font-face");

        String dom = runChromium(chromium, "--dump-dom", html.toUri().toString());
        assertThat(dom).contains("<svg id=\"latency-by-percentile\"").contains("<svg id=\"throughput-over-time\"")
                .contains("class=\"curve\"").contains("99.99%");

        Path png = dir.resolve("report.png");
        runChromium(chromium, "--screenshot=" + png, html.toUri().toString());
        assertThat(png).exists();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1200);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertThat(colours).as("distinct colours in the screenshot: not a blank page").hasSizeGreaterThan(20);
    }

    private String runChromium(String chromium, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1200,900"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
                .redirectError(dir.resolve("chromium.err").toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s");
        }
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("chromium.err"))).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
