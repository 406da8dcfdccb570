package io.inetkit.server.http;

import io.inetkit.server.http.HttpEchoSettings.Tls;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpEchoSettingsTest {

    @Test
    void defaultsAreLoopbackCleartextAndTheDocumentedLimits() {
        HttpEchoSettings s = HttpEchoSettings.of(8080);
        assertThat(s.bindAddress().isLoopbackAddress()).isTrue();
        assertThat(s.isTls()).isFalse();
        assertThat(s.maxRequestSize()).isEqualTo(1024 * 1024);
        assertThat(s.maxHeaderSize()).isEqualTo(8192);
        assertThat(s.maxDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxBytes()).isEqualTo(100L * 1024 * 1024);
    }

    @Test
    void badValuesAreNamedInTheMessage() {
        assertThatThrownBy(() -> HttpEchoSettings.of(70000)).hasMessage("port must be in 0..65535: 70000");
        assertThatThrownBy(() -> HttpEchoSettings.of(0).withMaxHeaderSize(10))
                .hasMessage("maxHeaderSize must be >= 256: 10");
        assertThatThrownBy(() -> HttpEchoSettings.of(0).withMaxBytes(-3)).hasMessage("maxBytes must be >= 0: -3");
        assertThatThrownBy(() -> HttpEchoSettings.of(0).withMaxDelay(Duration.ofMinutes(5)))
                .hasMessageContaining("must be shorter than idleTimeout");
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
