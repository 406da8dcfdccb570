package io.inetkit.common.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationConverterTest {

    @ParameterizedTest
    @CsvSource({"0, 0s", "5, 5s", "500ms, 500ms", "1.5s, 1500ms", "2m, 2m", "90s, 90s", "1h, 1h", "PT0S, 0s",
            "PT5M, 5m", "250us, 250us", "7ns, 7ns",
            "1.000001s, 1000001us"}) // parse rounds: in a double, 1.000001 s is 1000000999.99... ns
    void aDurationIsWrittenAsPeopleTypeIt(String typed, String written) {
        Duration d = DurationConverter.parse(typed);
        assertThat(DurationConverter.format(d)).isEqualTo(written);
        assertThat(DurationConverter.parse(written)).isEqualTo(d);
    }
}
