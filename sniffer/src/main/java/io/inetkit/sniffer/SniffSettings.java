package io.inetkit.sniffer;

import io.inetkit.sniffer.pipeline.PipelineSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code inetkit sniff} captures and how.
 *
 * @param interfaceName   live capture on this interface ({@code -i}); null when reading a file
 * @param readFile        read this capture file ({@code -r}); null for live capture
 * @param filter          BPF expression ({@code -f}, default {@value #DEFAULT_FILTER}); empty matches all
 * @param count           stop after this many matched frames ({@code -c}); 0 for no limit (default)
 * @param timeout         stop after this long ({@code --timeout}); null for no limit (default)
 * @param snaplen         bytes captured per frame (default {@value #DEFAULT_SNAPLEN})
 * @param promiscuous     put the interface in promiscuous mode (default true)
 * @param writeFile       write matched frames to this pcap file ({@code -w}); null for none
 * @param pipeline        output format and watch settings
 * @param stateFile       station table kept across runs ({@code --state}); null for none
 * @param duplicateWindow two MACs claiming one IP within this are a duplicate (default 10 s)
 */
public record SniffSettings(String interfaceName, Path readFile, String filter, long count, Duration timeout,
                            int snaplen, boolean promiscuous, Path writeFile, PipelineSettings pipeline,
                            Path stateFile, Duration duplicateWindow) {

    public static final String DEFAULT_FILTER = "arp";
    public static final int DEFAULT_SNAPLEN = 262_144;
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofSeconds(10);

    public SniffSettings {
        if ((interfaceName == null) == (readFile == null)) {
            throw new IllegalArgumentException("give either an interface (-i) or a capture file (-r), not "
                    + (interfaceName == null ? "neither" : "both"));
        }
        if (interfaceName != null && interfaceName.isBlank()) {
            throw new IllegalArgumentException("interface name must not be blank");
        }
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be > 0: " + timeout);
        }
        if (snaplen < 1 || snaplen > DEFAULT_SNAPLEN) {
            throw new IllegalArgumentException("snaplen must be 1-" + DEFAULT_SNAPLEN + ": " + snaplen);
        }
        if (duplicateWindow.isNegative()) {
            throw new IllegalArgumentException("duplicateWindow must be >= 0: " + duplicateWindow);
        }
        if (stateFile != null && !pipeline.watch()) {
            throw new IllegalArgumentException("a state file needs watch mode");
        }
    }

    public boolean live() {
        return interfaceName != null;
    }
}
