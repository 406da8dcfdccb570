package io.inetkit.http;

import java.nio.file.Path;

/** A request body: bytes in memory ({@code -d}), or a file streamed as it is sent ({@code --data-binary @FILE}). */
public sealed interface RequestBody permits RequestBody.Bytes, RequestBody.FileBody {

    long length();

    /** A body held in memory. */
    record Bytes(byte[] data) implements RequestBody {
        @Override
        public long length() {
            return data.length;
        }
    }

    /** A file sent chunk by chunk, never whole in memory. */
    record FileBody(Path path, long length) implements RequestBody {
    }
}
