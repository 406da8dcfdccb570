package io.inetkit.http;

import io.netty.buffer.ByteBuf;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where one transfer's output goes: standard output, or a file ({@code -o}) created at the first write,
 * so a failed transfer leaves no empty file behind. Each received buffer is written through at once with
 * NIO (a direct buffer goes to the file or pipe without a copy): nothing of the body is held here, whatever
 * its size.
 */
final class BodySink {

    private final OutputStream stdout;
    private final Path file;
    private WritableByteChannel out;
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
        if (n == 0) {
            return;
        }
        WritableByteChannel channel = channel();
        if (buf.nioBufferCount() == 1) {
            writeFully(channel, buf.nioBuffer(buf.readerIndex(), n));
        } else {
            for (ByteBuffer part : buf.nioBuffers(buf.readerIndex(), n)) {
                writeFully(channel, part);
            }
        }
        written += n;
    }

    void write(byte[] bytes) throws IOException {
        if (bytes.length > 0) {
            writeFully(channel(), ByteBuffer.wrap(bytes));
            written += bytes.length;
        }
    }

    /** Creates the file now even when nothing is written (an empty body still makes an empty file). */
    void touch() throws IOException {
        channel();
    }

    void flush() throws IOException {
        if (stdout != null) {
            stdout.flush();
        }
    }

    /** Closes the file (standard output stays open). */
    void close() throws IOException {
        if (out != null && file != null) {
            out.close();
        } else if (stdout != null) {
            stdout.flush();
        }
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private WritableByteChannel channel() throws IOException {
        if (out == null) {
            if (file != null) {
                out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } else if (stdout instanceof FileOutputStream fos) {
                out = fos.getChannel(); // never closed here: it is the process's stdout
            } else {
                out = Channels.newChannel(stdout);
            }
        }
        return out;
    }
}
