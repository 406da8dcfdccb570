package io.inetkit.http;

import io.netty.buffer.ByteBuf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where one transfer's output goes: standard output, or a file ({@code -o}) created at the first write,
 * so a failed transfer leaves no empty file behind. Bytes go straight through: nothing is buffered beyond
 * one 64 KiB block, whatever the body's size.
 */
final class BodySink {

    private final OutputStream stdout;
    private final Path file;
    private OutputStream out;
    private long written;

    private BodySink(OutputStream stdout, Path file) {
        this.stdout = stdout;
        this.file = file;
    }

    static BodySink stdout(OutputStream stdout) {
        return new BodySink(stdout, null);
    }

    static BodySink file(Path file) {
        return new BodySink(null, file);
    }

    boolean isFile() {
        return file != null;
    }

    Path path() {
        return file;
    }

    long written() {
        return written;
    }

    void write(ByteBuf buf) throws IOException {
        int n = buf.readableBytes();
        if (n > 0) {
            buf.getBytes(buf.readerIndex(), stream(), n);
            written += n;
        }
    }

    void write(byte[] bytes) throws IOException {
        if (bytes.length > 0) {
            stream().write(bytes);
            written += bytes.length;
        }
    }

    /** Creates the file now even when nothing is written (an empty body still makes an empty file). */
    void touch() throws IOException {
        stream();
    }

    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** Flushes; closes the file (standard output stays open). */
    void close() throws IOException {
        if (out == null) {
            return;
        }
        if (file != null) {
            out.close();
        } else {
            out.flush();
        }
    }

    private OutputStream stream() throws IOException {
        if (out == null) {
            out = file != null ? new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024) : stdout;
        }
        return out;
    }
}
