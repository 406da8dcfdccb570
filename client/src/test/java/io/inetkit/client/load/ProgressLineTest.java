package io.inetkit.client.load;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLineTest {

    private final StringWriter out = new StringWriter();

    private void play(ProgressLine p) {
        p.update("t=1.0s msgs/s 9000");
        p.update("t=2.0s msgs/s 10");
        p.println("connect to 127.0.0.1:9: connection refused");
        p.update("t=3.0s");
        p.end();
    }

    @Test
    void onATerminalOneLineIsRewrittenInPlace() {
        play(new ProgressLine(new PrintWriter(out), true));
        String nl = System.lineSeparator();
        assertThat(out.toString()).isEqualTo("\rt=1.0s msgs/s 9000"
                + "\rt=2.0s msgs/s 10  " // spaces over what the longer line left
                + "\rconnect to 127.0.0.1:9: connection refused" + nl // a line that stays
                + "\rt=3.0s" + nl);
    }

    @Test
    void intoAPipeEachUpdateIsALine() {
        play(new ProgressLine(new PrintWriter(out), false));
        assertThat(out.toString()).doesNotContain("\r").isEqualTo(String.join(System.lineSeparator(),
                "t=1.0s msgs/s 9000", "t=2.0s msgs/s 10", "connect to 127.0.0.1:9: connection refused", "t=3.0s", ""));
    }

    @Test
    void terminalsAreTtyAndPtyDevices() {
        assertThat(ProgressLine.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(ProgressLine.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(ProgressLine.isTerminalDevice("pipe:[123456]")).isFalse();
        assertThat(ProgressLine.isTerminalDevice("/tmp/log")).isFalse();
        // surefire reads this JVM's stderr through a pipe
        assertThat(ProgressLine.stderrIsTerminal()).isFalse();
    }
}
