package io.inetkit.http.output;

import io.inetkit.http.CurlException;
import io.netty.buffer.ByteBuf;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where one transfer's output goes: standard output, or a file ({@code -o}) created at the first write,
 * so a failed transfer leaves no empty file behind. Each received buffer is written through at once with
 * NIO (a direct buffer goes to the file or pipe without a copy): nothing of the body is held here, whatever
 * its size.
 */
public final class BodySink {

    private final OutputStream stdout;
    private final Path file;
    private WritableByteChannel out;

    private BodySink(OutputStream stdout, Path file) {
        this.stdout = stdout;
        this.file = file;
    }

    public static BodySink stdout(OutputStream stdout) {
        return new BodySink(stdout, null);
    }

    public static BodySink file(Path file) {
        return new BodySink(null, file);
    }

    public boolean isFile() {
        return file != null;
    }

    public void write(ByteBuf buf) throws IOException {
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
    }

    public void write(byte[] bytes) throws IOException {
        if (bytes.length > 0) {
            writeFully(channel(), ByteBuffer.wrap(bytes));
        }
    }

    /** Creates the file now even when nothing is written (an empty body still makes an empty file). */
    public void touch() throws IOException {
        channel();
    }

    public void flush() throws IOException {
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

    /** curl's 23, saying where and why: a missing directory, no permission, a closed pipe. */
    public CurlException writeError(IOException e) {
        String where = file != null ? file.toString() : "standard output";
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such directory";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
            why = fs.getReason();
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new CurlException(CurlException.WRITE_ERROR, "Failure writing output to " + where + ": " + why);
    }

    /** Closes the output after a transfer that worked: a failure to close is curl's 23. */
    public void finish() throws CurlException {
        try {
            close();
        } catch (IOException e) {
            throw writeError(e);
        }
    }

    /** Closes the output after a transfer that failed: that failure is the one to report. */
    public void abandon() {
        try {
            close();
        } catch (IOException ignored) {
            // the transfer's own error is the one to report
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
