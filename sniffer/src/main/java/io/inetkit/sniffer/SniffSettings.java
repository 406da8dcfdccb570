package io.inetkit.sniffer;

import io.inetkit.common.cli.DurationConverter;
import io.inetkit.sniffer.capture.CaptureSource;
import io.inetkit.sniffer.chain.PipelineSettings;
import io.inetkit.sniffer.watch.StationTable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code inetkit sniff} captures and how. Build it with {@link #builder()}, whose fields start at
 * the defaults; {@link Builder#build()} validates (the source in {@link CaptureSource}, the output in
 * {@link PipelineSettings}, the rest here).
 *
 * @param source          the interface or file, filter, snapshot length, promiscuous mode
 * @param count           stop after this many matched frames ({@code -c}); 0 for no limit (default)
 * @param timeout         stop after this long ({@code --timeout}); null for no limit (default)
 * @param writeFile       write matched frames to this pcap file ({@code -w}); null for none
 * @param pipeline        output format and watch settings
 * @param stateFile       station table kept across runs ({@code --state}); null for none
 * @param duplicateWindow two MACs claiming one IP within this are a duplicate (default
 *                        {@value StationTable#DEFAULT_DUPLICATE_WINDOW_TEXT})
 */
record SniffSettings(CaptureSource source, long count, Duration timeout, Path writeFile,
                            PipelineSettings pipeline, Path stateFile, Duration duplicateWindow) {

    public SniffSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be > 0: " + DurationConverter.format(timeout));
        }
        if (duplicateWindow.isNegative()) {
            throw new IllegalArgumentException("--duplicate-window must be >= 0: " + DurationConverter.format(duplicateWindow));
        }
        if (stateFile != null && !pipeline.watch()) {
            throw new IllegalArgumentException("a state file needs watch mode");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fields start at the defaults; give an interface or a file. */
    public static final class Builder {
        private String interfaceName;
        private Path readFile;
        private String filter = CaptureSource.DEFAULT_FILTER;
        private int snaplen = CaptureSource.DEFAULT_SNAPLEN;
        private boolean promiscuous = CaptureSource.DEFAULT_PROMISCUOUS;
        private long count;
        private Duration timeout;
        private Path writeFile;
        private PipelineSettings pipeline = PipelineSettings.defaults();
        private Path stateFile;
        private Duration duplicateWindow = StationTable.DEFAULT_DUPLICATE_WINDOW;

        private Builder() {
        }

        public Builder interfaceName(String name) {
            this.interfaceName = name;
            return this;
        }

        public Builder readFile(Path file) {
            this.readFile = file;
            return this;
        }

        public Builder filter(String f) {
            this.filter = f;
            return this;
        }

        public Builder snaplen(int s) {
            this.snaplen = s;
            return this;
        }

        public Builder promiscuous(boolean p) {
            this.promiscuous = p;
            return this;
        }

        public Builder count(long c) {
            this.count = c;
            return this;
        }

        public Builder timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        public Builder writeFile(Path file) {
            this.writeFile = file;
            return this;
        }

        public Builder pipeline(PipelineSettings p) {
            this.pipeline = p;
            return this;
        }

        public Builder stateFile(Path file) {
            this.stateFile = file;
            return this;
        }

        public Builder duplicateWindow(Duration d) {
            this.duplicateWindow = d;
            return this;
        }

        public SniffSettings build() {
            CaptureSource source = new CaptureSource(interfaceName, readFile, filter, snaplen, promiscuous);
            return new SniffSettings(source, count, timeout, writeFile, pipeline, stateFile, duplicateWindow);
        }
    }
}
