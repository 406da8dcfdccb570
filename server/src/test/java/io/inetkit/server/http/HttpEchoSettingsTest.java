package io.inetkit.server.http;

import io.inetkit.server.tls.Tls;
import io.inetkit.server.tls.TlsSettings;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpEchoSettingsTest {

    @Test
    void defaultsAreTheDocumentedLimits() {
        HttpEchoSettings s = HttpEchoSettings.DEFAULT;
        assertThat(s.maxRequestSize()).isEqualTo(1024 * 1024);
        assertThat(s.maxHeaderSize()).isEqualTo(8192);
        assertThat(s.maxDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(s.maxStreamLines()).isEqualTo(1000);
        assertThat(s.bodyBudget()).isEqualTo(64L * 1024 * 1024);
        assertThat(HttpEchoSettings.builder().build()).isEqualTo(s);
    }

    @Test
    void badValuesAreNamedInTheMessage() {
        assertThatThrownBy(() -> HttpEchoSettings.builder().maxHeaderSize(10).build())
                .hasMessage("maxHeaderSize must be >= 256: 10");
        assertThatThrownBy(() -> HttpEchoSettings.builder().maxBytes(-3).build())
                .hasMessage("maxBytes must be >= 0: -3");
        assertThatThrownBy(() -> HttpEchoSettings.builder().maxDelay(Duration.ofSeconds(-1)).build())
                .hasMessage("maxDelay must not be negative: PT-1S");
        assertThatThrownBy(() -> HttpEchoSettings.builder().bodyBudget(1000).build())
                .hasMessage("bodyBudget must be >= maxRequestSize (1048576): 1000");
    }

    @Test
    void tlsModeFromCommandLineOptions() {
        Path cert = Path.of("cert.pem");
        Path key = Path.of("key.pem");
        assertThat(Tls.fromOptions(null, null, null)).isEqualTo(Tls.none());
        assertThat(Tls.fromOptions("self-signed", null, null)).isEqualTo(Tls.selfSigned());
        assertThat(Tls.fromOptions(null, cert, key)).isEqualTo(Tls.pemFiles(cert, key));
        assertThat(Tls.fromOptions("files", cert, key)).isEqualTo(Tls.pemFiles(cert, key));
        assertThatThrownBy(() -> Tls.fromOptions(null, cert, null)).hasMessageContaining("--tls-cert needs --tls-key");
        assertThatThrownBy(() -> Tls.fromOptions("self-signed", cert, key)).hasMessageContaining("contradicts");
        assertThatThrownBy(() -> Tls.fromOptions("acme", null, null)).hasMessageContaining("unknown --tls mode 'acme'");
    }
}
