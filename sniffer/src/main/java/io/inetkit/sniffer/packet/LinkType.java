package io.inetkit.sniffer.packet;

/** The link types ({@code DLT_}/{@code LINKTYPE_} values) whose frames the sniffer decodes. */
public final class LinkType {

    /** Ethernet (DLT_EN10MB). */
    public static final int EN10MB = 1;
    /** Linux cooked capture v1, what {@code tcpdump -i any} wrote before libpcap 1.10. */
    public static final int LINUX_SLL = 113;
    /** Linux cooked capture v2, what {@code -i any} captures with libpcap 1.10 and later. */
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }

    /** True for a link type the sniffer decodes. */
    public static boolean decodable(int dlt) {
        return dlt == EN10MB || dlt == LINUX_SLL || dlt == LINUX_SLL2;
    }
}
