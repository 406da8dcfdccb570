package io.inetkit.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetTest {

    @Test
    void parsesWhatCurlTakes() throws CurlException {
        Target t = Target.parse("https://[::1]:8443/get?a=1#frag");
        assertThat(t).isEqualTo(new Target("https", "::1", 8443, "/get?a=1"));
        assertThat(t.authority()).isEqualTo("[::1]:8443");
        assertThat(t.origin()).isEqualTo("https://[::1]:8443");
        assertThat(Target.parse("127.0.0.1:8080")).isEqualTo(new Target("http", "127.0.0.1", 8080, "/"));
        assertThat(Target.parse("HTTP://Example.COM")).isEqualTo(new Target("http", "example.com", 80, "/"));
        assertThat(Target.parse("http://h:/x").port()).isEqualTo(80);
        assertThat(Target.parse("https://h/").authority()).isEqualTo("h");
        assertThat(Target.parse("http://h/a%20b?q=%41").pathAndQuery()).isEqualTo("/a%20b?q=%41");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://bad host/", "http://h:99999/", "http://", "http://[zz]/", "http://u:p@h/",
            "http://h/%zz", "://x", ""})
    void malformedUrlsAreExitThree(String url) {
        assertThatThrownBy(() -> Target.parse(url)).isInstanceOf(CurlException.class)
                .satisfies(e -> assertThat(((CurlException) e).exitCode()).isEqualTo(3))
                .hasMessageContaining("URL rejected");
    }

    @Test
    void otherSchemesAreExitOne() {
        assertThatThrownBy(() -> Target.parse("ftp://h/")).isInstanceOf(CurlException.class)
                .satisfies(e -> assertThat(((CurlException) e).exitCode()).isEqualTo(1))
                .hasMessage("Protocol \"ftp\" not supported (only http and https)");
    }

    @Test
    void redirectLocationsResolveAgainstTheCurrentUrl() throws CurlException {
        Target t = Target.parse("http://h:8080/a/b?x=1");
        assertThat(t.resolve("/get").url()).isEqualTo("http://h:8080/get");
        assertThat(t.resolve("c").url()).isEqualTo("http://h:8080/a/c");
        assertThat(t.resolve("https://other/").origin()).isEqualTo("https://other:443");
        assertThatThrownBy(() -> t.resolve("http://bad host/")).isInstanceOf(CurlException.class);
    }
}
