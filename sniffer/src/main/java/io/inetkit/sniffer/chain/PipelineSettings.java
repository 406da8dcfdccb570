package io.inetkit.sniffer.chain;

import io.inetkit.common.cli.DurationConverter;
import io.inetkit.sniffer.output.OutputFormat;
import io.inetkit.sniffer.output.TcpdumpStyle;
import io.inetkit.sniffer.packet.Address;
import io.inetkit.sniffer.watch.LocalNetwork;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * What the handler chain does with decoded frames. Build it with {@link #builder()}, whose fields start at
 * the defaults.
 *
 * @param format        how frames are printed (default {@link #DEFAULT_FORMAT})
 * @param watch         whether the station tracker and the alert handlers run (default false)
 * @param stormRequests a request storm is more than this many requests ... (default
 *                      {@value #DEFAULT_STORM_REQUESTS})
 * @param stormWindow   ... within this (default {@value #DEFAULT_STORM_WINDOW_TEXT})
 * @param zone          the zone times are printed in (default: the system's)
 * @param style         tcpdump's printing options for the line format (default {@link TcpdumpStyle#DEFAULT})
 * @param localNetworks --watch: ARP senders outside these are bogons (default none: no bogon check; a live
 *                      capture uses its interface's subnets when none are given)
 * @param routers       --watch: the MACs allowed to send router advertisements (default none: no check)
 */
public record PipelineSettings(OutputFormat format, boolean watch, int stormRequests, Duration stormWindow,
                               ZoneId zone, TcpdumpStyle style, List<LocalNetwork> localNetworks,
                               List<Address> routers) {

    public static final OutputFormat DEFAULT_FORMAT = OutputFormat.LINE;
    /** The text of {@link #DEFAULT_FORMAT}, for picocli's {@code defaultValue}. */
    public static final String DEFAULT_FORMAT_TEXT = "line";
    public static final int DEFAULT_STORM_REQUESTS = 10;
    public static final String DEFAULT_STORM_WINDOW_TEXT = "10ms";
    public static final Duration DEFAULT_STORM_WINDOW = DurationConverter.parse(DEFAULT_STORM_WINDOW_TEXT);

    public PipelineSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(stormWindow, "stormWindow");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(style, "style");
        localNetworks = List.copyOf(localNetworks);
        routers = List.copyOf(routers);
        if (stormRequests < 1) {
            throw new IllegalArgumentException("stormRequests must be >= 1: " + stormRequests);
        }
        if (stormWindow.isNegative() || stormWindow.isZero() || stormWindow.toNanos() < 1000) {
            throw new IllegalArgumentException("--storm-window must be at least 1us: " + DurationConverter.format(stormWindow));
        }
    }

    /** Line output, no watch, default storm limits, the system zone. */
    public static PipelineSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public PipelineSettings withWatch(boolean w) {
        return new PipelineSettings(format, w, stormRequests, stormWindow, zone, style, localNetworks, routers);
    }

    public PipelineSettings withZone(ZoneId z) {
        return new PipelineSettings(format, watch, stormRequests, stormWindow, z, style, localNetworks, routers);
    }

    public PipelineSettings withLocalNetworks(List<LocalNetwork> nets) {
        return new PipelineSettings(format, watch, stormRequests, stormWindow, zone, style, nets, routers);
    }

    /** Fields start at the defaults; {@link #build()} validates. */
    public static final class Builder {
        private OutputFormat format = DEFAULT_FORMAT;
        private boolean watch;
        private int stormRequests = DEFAULT_STORM_REQUESTS;
        private Duration stormWindow = DEFAULT_STORM_WINDOW;
        private ZoneId zone = ZoneId.systemDefault();
        private TcpdumpStyle style = TcpdumpStyle.DEFAULT;
        private List<LocalNetwork> localNetworks = List.of();
        private List<Address> routers = List.of();

        private Builder() {
        }

        public Builder format(OutputFormat f) {
            this.format = f;
            return this;
        }

        public Builder watch(boolean w) {
            this.watch = w;
            return this;
        }

        public Builder stormRequests(int n) {
            this.stormRequests = n;
            return this;
        }

        public Builder stormWindow(Duration d) {
            this.stormWindow = d;
            return this;
        }

        public Builder zone(ZoneId z) {
            this.zone = z;
            return this;
        }

        public Builder style(TcpdumpStyle s) {
            this.style = s;
            return this;
        }

        public Builder localNetworks(List<LocalNetwork> nets) {
            this.localNetworks = nets;
            return this;
        }

        public Builder routers(List<Address> macs) {
            this.routers = macs;
            return this;
        }

        public PipelineSettings build() {
            return new PipelineSettings(format, watch, stormRequests, stormWindow, zone, style, localNetworks, routers);
        }
    }
}
