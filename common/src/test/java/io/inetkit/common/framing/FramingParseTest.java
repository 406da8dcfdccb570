package io.inetkit.common.framing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FramingParseTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "raw|raw",
            "RAW|raw",
            "fixed:20|fixed:20",
            "line|line:8192",
            "line:100|line:100",
            "delimiter:\\0|delimiter:\\0:8192",
            "delimiter:\\r\\n:64|delimiter:\\r\\n:64",
            "delimiter:\\x3a|delimiter:\\x3a:8192",
            "length:4|length:4:8192",
            "length:2:1000|length:2:1000",
            "length:8:1048576|length:8:1048576"})
    void parsesToACanonicalSpecThatParsesBackEqual(String spec, String canonical) {
        Framing f = Framing.parse(spec);
        assertThat(f.spec()).isEqualTo(canonical);
        assertThat(Framing.parse(f.spec())).isEqualTo(f);
    }

    @Test
    void unescapesDelimiters() {
        assertThat(((Framing.Delimiter) Framing.parse("delimiter:\\0")).delimiter()).containsExactly(0);
        assertThat(((Framing.Delimiter) Framing.parse("delimiter:\\r\\n")).delimiter()).containsExactly('\r', '\n');
        assertThat(((Framing.Delimiter) Framing.parse("delimiter:\\xff\\t\\\\")).delimiter())
                .containsExactly((byte) 0xff, '\t', '\\');
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty framing spec",
            "bogus|unknown framing 'bogus'",
            "fixed|expected fixed:N",
            "fixed:0|fixed frame size must be > 0: 0",
            "fixed:abc|frame size is not a number: 'abc'",
            "line:-3|MAX must be > 0: -3",
            "line:1:2|expected line or line:MAX",
            "delimiter|expected delimiter:SEQ",
            "delimiter::5|delimiter SEQ must not be empty",
            "delimiter:\\q|unknown escape \\q",
            "delimiter:\\x4|\\x needs two hex digits",
            "length:3|length header width must be 1, 2, 4 or 8: 3",
            "length:1:300|max frame 300 does not fit a 1-byte length header (at most 255)",
            "raw:1|raw takes no arguments"})
    void rejectsBadSpecsNamingTheProblem(String spec, String message) {
        assertThatThrownBy(() -> Framing.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed:7", "line:9", "delimiter:ab:9", "length:4:9"})
    void specsAreValues(String spec) {
        assertThat(Framing.parse(spec)).isEqualTo(Framing.parse(spec)).hasSameHashCodeAs(Framing.parse(spec));
    }
}
