package io.inetkit.common.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DurationConverterTest {

    @ParameterizedTest
    @ValueSource(strings = {"0s", "500ms", "2m", "1h", "1.5s", "250us", "7ns", "90s", "1.000001s"})
    void formatWritesWhatParseReadsAsPeopleWriteIt(String text) {
        assertThat(DurationConverter.format(DurationConverter.parse(text))).isEqualTo(text);
    }
}
