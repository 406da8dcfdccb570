package io.inetkit.sniffer.capture;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;
import org.pcap4j.core.PcapNativeException;

/**
 * libpcap's failures as one {@link UserException} line with its {@link SniffExit} code. Opening an
 * interface is told apart by {@code pcap_activate}'s return code, never by its message.
 */
final class PcapErrors {

    /** {@code PCAP_ERROR_NO_SUCH_DEVICE} (pcap/pcap.h). */
    static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    /** {@code PCAP_ERROR_PERM_DENIED}. */
    static final int PCAP_ERROR_PERM_DENIED = -8;
    /** {@code PCAP_ERROR_PROMISC_PERM_DENIED}. */
    static final int PCAP_ERROR_PROMISC_PERM_DENIED = -11;

    private PcapErrors() {
    }

    /** A failure to open interface {@code name}, by libpcap's return code. */
    static UserException openInterface(String name, PcapNativeException e) {
        Integer rc = e.getReturnCode();
        int code = rc == null ? 0 : rc;
        String msg = message(e);
        return switch (code) {
            case PCAP_ERROR_NO_SUCH_DEVICE -> noSuchInterface(name);
            case PCAP_ERROR_PERM_DENIED, PCAP_ERROR_PROMISC_PERM_DENIED -> new UserException(
                    "no permission to capture on " + name
                            + ": run as root, or grant CAP_NET_RAW (and CAP_NET_ADMIN for promiscuous mode), e.g. "
                            + "setcap cap_net_raw,cap_net_admin=eip on the java binary (" + msg + ")",
                    SniffExit.NO_PERMISSION);
            default -> new UserException("cannot capture on " + name + ": " + msg, Cli.EXIT_RUNTIME);
        };
    }

    static UserException noSuchInterface(String name) {
        return new UserException("no such interface: " + name + " (inetkit sniff --list-interfaces lists them)",
                SniffExit.NO_SUCH_INTERFACE);
    }

    static UserException unreadableFile(Object file, PcapNativeException e) {
        return new UserException("cannot read capture file " + file + ": " + message(e), SniffExit.BAD_CAPTURE_FILE);
    }

    /** The source is not Ethernet: a runtime failure live, a bad file otherwise. */
    static UserException notDecodable(CaptureSource source, String linkType) {
        String decodes = "; inetkit sniff decodes Ethernet (EN10MB) and Linux cooked (LINUX_SLL, LINUX_SLL2) ";
        return source.live()
                ? new UserException("interface " + source.interfaceName() + " has link type " + linkType
                        + decodes + "interfaces", Cli.EXIT_RUNTIME)
                : new UserException("capture file " + source.file() + " has link type " + linkType
                        + decodes + "captures", SniffExit.BAD_CAPTURE_FILE);
    }

    static UserException badFilter(String filter, PcapNativeException e) {
        return new UserException("bad BPF filter '" + filter + "': " + message(e), SniffExit.BAD_FILTER);
    }

    /** A read that failed in the middle: the link went away, or the file ends in a damaged record. */
    static UserException readFailed(CaptureSource source, long framesRead, String pcapError) {
        String m = pcapError == null ? "read error" : pcapError.replace('\n', ' ').trim();
        return source.live()
                ? new UserException("capture on " + source.description() + " failed: " + m, Cli.EXIT_RUNTIME)
                : new UserException(source.description() + " is truncated or damaged after " + framesRead
                        + (source.filtered() ? " matching frames: " : " frames: ") + m,
                        SniffExit.BAD_CAPTURE_FILE);
    }

    static UserException unwritable(Object file, Exception e) {
        return new UserException("cannot write " + file + ": " + message(e), SniffExit.FILE);
    }

    /** libpcap's message without pcap4j's prefixes and newlines. */
    static String message(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceFirst("^Error occurr?ed( in \\w+(\\(\\))?)?: ", "").replace('\n', ' ').trim();
    }
}
