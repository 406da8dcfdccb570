package io.inetkit.sniffer.watch;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.inetkit.sniffer.packet.Address;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the station table across runs ({@code --state FILE}), as arpwatch keeps {@code arp.dat}: read
 * before the capture, written (atomically: a temporary file renamed over the old one) after it.
 * <pre>
 * {"version":1,"stations":[{"ip":"10.0.0.1","mac":"02:00:00:00:00:01","previousMac":null,
 *   "firstSeenMicros":1700000000000012,"lastSeenMicros":1700000000500000,"count":12}]}
 * </pre>
 */
public final class StationStore {

    static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record StoredStation(String ip, String mac, String previousMac, long firstSeenMicros, long lastSeenMicros,
                         long count) {
    }

    record StoredTable(int version, List<StoredStation> stations) {
    }

    private final Path file;

    public StationStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * Loads the saved rows into {@code table}; a missing file is an empty table.
     *
     * @throws IOException naming the problem when the file cannot be read, is not a regular file, or is not
     *                     a station table
     */
    public void load(StationTable table) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return;
        }
        // A FIFO would block the read until some writer opens it (forever, as a rule); a directory or a
        // device is no table either, and the save would replace it.
        if (!attributes.isRegularFile()) {
            throw new IOException("not a regular file ("
                    + (attributes.isDirectory() ? "a directory" : "a FIFO, socket or device") + ")");
        }
        byte[] bytes = Files.readAllBytes(file);
        StoredTable stored;
        try {
            stored = MAPPER.readValue(bytes, StoredTable.class);
        } catch (JacksonException e) {
            throw new IOException("not a station table: " + e.getOriginalMessage());
        }
        if (stored == null || stored.version() != VERSION || stored.stations() == null) {
            throw new IOException("not a version " + VERSION + " station table");
        }
        List<Station> rows = new ArrayList<>(stored.stations().size());
        for (StoredStation s : stored.stations()) {
            try {
                rows.add(new Station(Address.ip(s.ip()), Address.mac(s.mac()),
                        s.previousMac() == null ? null : Address.mac(s.previousMac()),
                        s.firstSeenMicros(), s.lastSeenMicros(), s.count()));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IOException("bad station " + s + ": " + e.getMessage());
            }
        }
        table.restoreAll(rows);
    }

    /** Writes every row of {@code table}, replacing the file at once. */
    public void save(StationTable table) throws IOException {
        List<StoredStation> rows = new ArrayList<>(table.size());
        for (Station s : table.snapshot()) {
            rows.add(new StoredStation(s.ip().toString(), s.mac().toColonHex(),
                    s.previousMac() == null ? null : s.previousMac().toColonHex(),
                    s.firstSeen(), s.lastSeen(), s.count()));
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            MAPPER.writeValue(tmp.toFile(), new StoredTable(VERSION, rows));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
