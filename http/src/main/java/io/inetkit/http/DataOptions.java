package io.inetkit.http;

import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code -d}, {@code --data-raw} and {@code --data-binary}: the request body, as curl builds it. The values
 * are joined with {@code &} in that order (-d's, then --data-raw's, then --data-binary's):
 *
 * <pre>
 *   -d a=1 -d @form.txt --data-binary @blob   ==&gt;   a=1&amp;[form.txt without CR/LF]&amp;[blob as is]
 *   --data-binary @big.iso                    ==&gt;   big.iso streamed from disk, never whole in memory
 * </pre>
 */
final class DataOptions {

    @Option(names = {"-d", "--data"}, paramLabel = "DATA", description = "POST data; @FILE reads a file "
            + "(newlines stripped), @- stdin. Repeatable, joined with '&'.")
    List<String> data = new ArrayList<>();

    @Option(names = "--data-raw", paramLabel = "DATA", description = "Like -d, but @ is not special.")
    List<String> dataRaw = new ArrayList<>();

    @Option(names = "--data-binary", paramLabel = "DATA", description = "POST data as is; @FILE sends a file "
            + "byte for byte (streamed, never whole in memory). Joined after -d and --data-raw values.")
    List<String> dataBinary = new ArrayList<>();

    private enum Kind { TEXT, RAW, BINARY }

    private record Part(Kind kind, String value) {
        /** {@code @FILE} or {@code @-}: --data-raw takes the {@code @} literally. */
        boolean isFileReference() {
            return kind != Kind.RAW && value.startsWith("@");
        }
    }

    /** The request body, or null when no data option was given. */
    RequestBody body(InputStream stdin) throws CurlException {
        List<Part> parts = new ArrayList<>();
        data.forEach(d -> parts.add(new Part(Kind.TEXT, d)));
        dataRaw.forEach(d -> parts.add(new Part(Kind.RAW, d)));
        dataBinary.forEach(d -> parts.add(new Part(Kind.BINARY, d)));
        if (parts.isEmpty()) {
            return null;
        }
        Part only = parts.get(0);
        if (parts.size() == 1 && only.kind() == Kind.BINARY && only.isFileReference() && !only.value().equals("@-")) {
            Path file = Path.of(only.value().substring(1));
            try {
                return new RequestBody.FileBody(file, Files.size(file));
            } catch (IOException e) {
                throw readError(file.toString(), e);
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Part part : parts) {
            if (all.size() > 0) {
                all.write('&');
            }
            byte[] bytes;
            if (part.isFileReference()) {
                bytes = read(part.value().substring(1), stdin);
                if (part.kind() == Kind.TEXT) {
                    bytes = new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "")
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
            } else {
                bytes = part.value().getBytes(StandardCharsets.UTF_8);
            }
            all.writeBytes(bytes);
        }
        return new RequestBody.Bytes(all.toByteArray());
    }

    /** What an {@code @NAME} argument points to: a file, or standard input for {@code -}. */
    static byte[] read(String name, InputStream stdin) throws CurlException {
        try {
            return name.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(name));
        } catch (IOException e) {
            throw readError(name, e);
        }
    }

    private static CurlException readError(String name, IOException e) {
        return new CurlException(CurlException.READ_ERROR, "Failed to open/read local data from file/application: "
                + name + " (" + Failures.message(e) + ")");
    }
}
