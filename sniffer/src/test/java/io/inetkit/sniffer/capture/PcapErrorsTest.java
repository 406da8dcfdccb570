package io.inetkit.sniffer.capture;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.PcapNativeException;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** libpcap's failures become one line and an exit code, by return code, not by message. */
class PcapErrorsTest {

    @Test
    void anInterfaceFailureIsClassifiedByPcapActivatesReturnCode() {
        assertThat(PcapErrors.openInterface("eth9", new PcapNativeException("whatever", -5)).exitCode())
                .isEqualTo(SniffExit.NO_SUCH_INTERFACE);
        assertThat(PcapErrors.openInterface("eth0", new PcapNativeException("x", -8)).exitCode())
                .isEqualTo(SniffExit.NO_PERMISSION);
        assertThat(PcapErrors.openInterface("eth0", new PcapNativeException("x", -11)).exitCode())
                .isEqualTo(SniffExit.NO_PERMISSION);
    }

    @Test
    void aMessageThatMentionsPermissionDoesNotMakeAPermissionError() {
        UserException e = PcapErrors.openInterface("eth0",
                new PcapNativeException("Error occurred in pcap_findalldevs: permission of something", -1));
        assertThat(e.exitCode()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(e.getMessage()).isEqualTo("cannot capture on eth0: permission of something");
        assertThat(PcapErrors.openInterface("eth0", new PcapNativeException("No such device exists")).exitCode())
                .isEqualTo(Cli.EXIT_RUNTIME);
    }

    @Test
    void theMessageLosesPcap4jsPrefixAndNewlines() {
        assertThat(PcapErrors.message(new PcapNativeException("Error occured: bad\nthing "))).isEqualTo("bad thing");
        assertThat(PcapErrors.message(new PcapNativeException("Error occurred in pcap_compile(): syntax")))
                .isEqualTo("syntax");
    }

    @Test
    void aSourceOfALinkTypeWithoutDecoderFailsAsItsKindDoes() {
        assertThat(PcapErrors.notDecodable(CaptureSource.live("lo0"), "NULL").exitCode()).isEqualTo(Cli.EXIT_RUNTIME);
        assertThat(PcapErrors.notDecodable(CaptureSource.file(Path.of("x.pcap")), "NULL").exitCode())
                .isEqualTo(SniffExit.BAD_CAPTURE_FILE);
    }
}
