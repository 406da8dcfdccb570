package io.inetkit.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link EchoJson#bytes}: one document a line, with httpbin's separators, any tree written back as it was. */
class EchoJsonTest {

    @Test
    void oneLineWithASpaceAfterEachColonAndComma() {
        ObjectNode node = EchoJson.object().put("origin", "127.0.0.1").put("n", 3);
        node.putArray("list").add(1).add("two").addNull();
        node.putObject("inner").put("t", true).set("none", null);
        assertThat(new String(EchoJson.bytes(node), StandardCharsets.UTF_8)).isEqualTo(
                "{\"origin\": \"127.0.0.1\", \"n\": 3, \"list\": [1, \"two\", null], \"inner\": {\"t\": true, \"none\": null}}\n");
    }

    /** Quotes and control characters escaped, other text as UTF-8 but a pair of surrogates as two escapes. */
    @Test
    void escapesWhatJsonEscapes() {
        ObjectNode node = EchoJson.object().put("q\"uote", "line\nbreak\t\u0001\u00e9\ud83d\ude00");
        assertThat(new String(EchoJson.bytes(node), StandardCharsets.UTF_8))
                .isEqualTo("{\"q\\\"uote\": \"line\\nbreak\\t\\u0001\u00e9\\uD83D\\uDE00\"}\n");
    }

    /** Random trees of every node kind come back equal when parsed. */
    @Property(tries = 300)
    void anyTreeParsesBackToItself(@ForAll long seed) {
        JsonNode tree = randomObject(new Random(seed), 0);
        byte[] bytes = EchoJson.bytes(tree);
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text.indexOf('\n')).as("one line").isEqualTo(text.length() - 1);
        assertThat(EchoJson.parseOrNull(bytes)).isEqualTo(tree);
    }

    private static ObjectNode randomObject(Random r, int depth) {
        ObjectNode node = EchoJson.object();
        for (int i = r.nextInt(5); i > 0; i--) {
            String key = randomText(r);
            switch (depth > 3 ? r.nextInt(5) : r.nextInt(7)) {
                case 0 -> node.put(key, randomText(r));
                case 1 -> node.put(key, r.nextLong());
                case 2 -> node.put(key, r.nextDouble());
                case 3 -> node.put(key, r.nextBoolean());
                case 4 -> node.putNull(key);
                case 5 -> node.set(key, randomObject(r, depth + 1));
                default -> {
                    ArrayNode array = node.putArray(key);
                    for (int j = r.nextInt(4); j > 0; j--) {
                        if (r.nextBoolean()) {
                            array.add(randomText(r));
                        } else {
                            array.add(randomObject(r, depth + 1));
                        }
                    }
                }
            }
        }
        return node;
    }

    private static String randomText(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            b.appendCodePoint(switch (r.nextInt(4)) {
                case 0 -> r.nextInt(0x20); // control characters, escaped
                case 1 -> 0x20 + r.nextInt(0x5f);
                case 2 -> 0xa0 + r.nextInt(0x700);
                default -> 0x1f600 + r.nextInt(0x40); // outside the BMP: a surrogate pair
            });
        }
        return b.toString();
    }
}
