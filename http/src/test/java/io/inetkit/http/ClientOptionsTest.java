package io.inetkit.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientOptionsTest {

    @Test
    void theBuilderStartsAtCurlsDefaults() {
        ClientOptions o = ClientOptions.builder().build();
        assertThat(o.maxRedirects()).isEqualTo(ClientOptions.DEFAULT_MAX_REDIRECTS);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(o.maxTime()).isNull();
        assertThat(o.version()).isEqualTo(ClientOptions.Version.DEFAULT);
        assertThat(o.userAgent()).startsWith("inetkit-http/");
        assertThat(o.maxHeaderSize()).isEqualTo(300 * 1024);
    }

    @Test
    void zeroTimesMeanTheDefaultAsInCurl() {
        ClientOptions o = ClientOptions.builder().connectTimeout(Duration.ZERO).maxTime(Duration.ZERO).build();
        assertThat(o.connectTimeout()).isEqualTo(ClientOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(o.maxTime()).isNull();
    }

    @Test
    void minusOneRedirectsIsNoLimit() {
        assertThat(ClientOptions.builder().maxRedirects(-1).build().mayFollow(Integer.MAX_VALUE)).isTrue();
        assertThat(ClientOptions.builder().maxRedirects(2).build().mayFollow(2)).isFalse();
        assertThat(ClientOptions.builder().maxRedirects(2).build().mayFollow(1)).isTrue();
    }

    @Test
    void theRecordRefusesWhatCannotWorkAndNamesTheValue() {
        assertThatThrownBy(() -> ClientOptions.builder().maxRedirects(-2).build())
                .hasMessage("--max-redirs must be -1 (no limit) or more: -2");
        assertThatThrownBy(() -> ClientOptions.builder().method("GE T").build())
                .hasMessage("not a request method: 'GE T'");
        assertThatThrownBy(() -> ClientOptions.builder().raw(true).version(ClientOptions.Version.HTTP_2).build())
                .hasMessageStartingWith("--raw shows HTTP/1.1 bytes");
        assertThatThrownBy(() -> ClientOptions.builder().maxHeaderSize(0).build())
                .hasMessage("maxHeaderSize must be > 0: 0");
    }

    @Test
    void theCommandTurnsTheRecordsRefusalIntoOneUsageLine() {
        Run r = Run.http("--max-redirs", "-5", "http://127.0.0.1:1/");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr).isEqualTo("inetkit http: --max-redirs must be -1 (no limit) or more: -5\n"
                + "Try 'inetkit http --help' for more information.\n");
    }

    @Test
    void headerEditsFollowCurlsSyntax() {
        assertThat(ClientOptions.HeaderEdit.parse("X-A: 1")).isEqualTo(new ClientOptions.HeaderEdit("X-A", "1"));
        assertThat(ClientOptions.HeaderEdit.parse("Accept:").removes()).isTrue();
        assertThat(ClientOptions.HeaderEdit.parse("X-Empty;")).isEqualTo(new ClientOptions.HeaderEdit("X-Empty", ""));
        assertThatThrownBy(() -> ClientOptions.HeaderEdit.parse("nocolon")).hasMessageContaining("is not 'Name: value'");
        assertThatThrownBy(() -> ClientOptions.HeaderEdit.parse("Bad Name: x")).hasMessageContaining("not a header name");
    }
}
