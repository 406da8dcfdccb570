package io.inetkit.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The listener's JSON: one document per line, with a space after each colon and comma, so that
 * {@code /ip} reads {@code {"origin": "127.0.0.1"}} and every {@code /stream} line is one JSON document.
 */
final class EchoJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER = MAPPER.writer(new OneLinePrinter());

    private EchoJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The document as UTF-8, ending in a newline. */
    static byte[] bytes(JsonNode node) {
        try {
            byte[] json = WRITER.writeValueAsBytes(node);
            byte[] line = Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain nodes always serialises
        }
    }

    /** {@code {"error": "message"}} and a newline. */
    static byte[] error(String message) {
        return bytes(object().put("error", message));
    }

    /** Parses {@code body} as JSON, or returns null when it is not JSON. */
    static JsonNode parseOrNull(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** Jackson's minimal printer with {@code ": "} and {@code ", "} as separators. */
    private static final class OneLinePrinter extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }
}
