package io.inetkit.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Fixed documents, one per media type, for clients that test their parsers: {@code /html}, {@code /json},
 * {@code /xml}, {@code /robots.txt}, {@code /deny}, {@code /encoding/utf8}, {@code /forms/post}, and small images
 * ({@code /image} by {@code Accept}, {@code /image/png|jpeg|webp|svg}). The texts are this project's own, in
 * httpbin's shapes (its slideshow's keys, its robots rule); the raster images are 8x8 or 1x1 pixels.
 */
final class DocumentEndpoints {

    static final String HTML = """
            <!DOCTYPE html>
            <html>
              <head><title>inetkit</title></head>
              <body>
                <h1>A sample page</h1>
                <p>A heading, a paragraph and a list, for clients that parse HTML.</p>
                <ul><li>one</li><li>two</li></ul>
              </body>
            </html>
            """;
    /** A form with httpbin's fields ({@code firstname}, {@code lastname}) that posts them to {@code /post}. */
    static final String FORM = """
            <!DOCTYPE html>
            <html>
              <head><title>A form</title></head>
              <body>
                <form method="post" action="/post">
                  <p><label>First name: <input type="text" name="firstname"></label></p>
                  <p><label>Last name: <input type="text" name="lastname"></label></p>
                  <input type="submit" value="submit">
                </form>
              </body>
            </html>
            """;
    /** httpbin's slideshow: the same keys and value types. */
    static final String JSON = """
            {"slideshow": {"author": "Yours Truly", "date": "date of publication", "slides": [\
            {"title": "Wake up to WonderWidgets!", "type": "all"}, {"items": ["Why <em>WonderWidgets</em> are great", \
            "Who <em>buys</em> WonderWidgets"], "title": "Overview", "type": "all"}], "title": "Sample Slide Show"}}
            """;
    static final String XML = """
            <?xml version='1.0' encoding='us-ascii'?>
            <!-- a sample set of slides -->
            <slideshow title="Sample Slide Show" date="Date of publication" author="Yours Truly">
                <slide type="all">
                  <title>Wake up to WonderWidgets!</title>
                </slide>
                <slide type="all">
                    <title>Overview</title>
                    <item>Why <em>WonderWidgets</em> are great</item>
                    <item/>
                    <item>Who <em>buys</em> WonderWidgets</item>
                </slide>
            </slideshow>
            """;
    static final String ROBOTS = "User-agent: *\nDisallow: /deny\n";
    static final String DENY = "\n    This path is disallowed by /robots.txt.\n    YOU SHOULDN'T BE HERE\n";
    static final String UTF8 = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>UTF-8</title></head><body><pre>
            Latin:     Ça va? Grüße, ¿qué tal? Ærøskøbing
            Greek:     Καλημέρα κόσμε
            Cyrillic:  Здравствуй, мир
            CJK:       你好，世界 こんにちは 안녕하세요
            Arabic:    مرحبا بالعالم
            Symbols:   ∀x∈ℝ: x² ≥ 0 → ✓ € ₹ ☃
            Emoji:     🌍🚀 (outside the BMP: four bytes each)
            </pre></body></html>
            """;

    // 8x8 checks, written by javax.imageio; WebP: the 1x1 lossless probe image browsers' feature tests use
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAGklEQVR4XmMwTpv5/wwDJsmAVRRIovMHhw4AcJNfof51O/wAAAAASUVORK5CYII=");
    private static final byte[] JPEG = Base64.getDecoder().decode(
            "/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0"
            + "Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
            + "MjL/wAARCAAIAAgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQID"
            + "AAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlq"
            + "c3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3"
            + "+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEI"
            + "FEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImK"
            + "kpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDR"
            + "+7/s7fwxj8sY2/7ONn8Oz9wUUV86an//2Q==");
    private static final byte[] WEBP = Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
    private static final byte[] SVG = """
            <svg xmlns="http://www.w3.org/2000/svg" width="80" height="80" viewBox="0 0 80 80">
              <rect width="80" height="80" fill="#336699"/>
              <circle cx="40" cy="40" r="24" fill="#ffcc00"/>
            </svg>
            """.getBytes(StandardCharsets.UTF_8);

    private record Image(String type, byte[] bytes) {
    }

    /** In httpbin's order of preference for {@code /image}'s {@code Accept}. */
    private static final List<Image> IMAGES = List.of(new Image("image/webp", WEBP),
            new Image("image/svg+xml", SVG), new Image("image/jpeg", JPEG), new Image("image/png", PNG));
    /** What {@code /image} tells a client whose {@code Accept} names none of them. */
    private static final String NOT_ACCEPTABLE = "{\"message\": \"Client did not request a supported media type.\", "
            + "\"accept\": [\"image/webp\", \"image/svg+xml\", \"image/jpeg\", \"image/png\", \"image/*\"]}\n";

    private DocumentEndpoints() {
    }

    static void html(Exchange ex) {
        ex.respond(Responses.html(HttpResponseStatus.OK, HTML));
    }

    /** {@code /forms/post}: a form of httpbin's two fields that posts to {@code /post}. */
    static void formsPost(Exchange ex) {
        if (!"post".equals(ex.argument()) || ex.segment(1) != null) {
            ex.respond(Responses.notFound());
            return;
        }
        ex.respond(Responses.html(HttpResponseStatus.OK, FORM));
    }

    static void json(Exchange ex) {
        ex.respond(typed(Responses.JSON, JSON.getBytes(StandardCharsets.UTF_8)));
    }

    static void xml(Exchange ex) {
        ex.respond(typed("application/xml", XML.getBytes(StandardCharsets.UTF_8)));
    }

    static void robots(Exchange ex) {
        ex.respond(typed("text/plain", ROBOTS.getBytes(StandardCharsets.UTF_8)));
    }

    static void deny(Exchange ex) {
        ex.respond(typed("text/plain", DENY.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code /encoding/utf8}: text in many scripts, as httpbin's. */
    static void encoding(Exchange ex) {
        if (!"utf8".equals(ex.argument())) {
            ex.respond(Responses.notFound());
            return;
        }
        ex.respond(Responses.html(HttpResponseStatus.OK, UTF8));
    }

    /**
     * {@code /image/{png|jpeg|webp|svg}}; {@code /image} picks by {@code Accept} as httpbin does (a
     * substring match, {@code image/*} gives PNG) and answers 406 when none fits, {@code *}{@code /*} included.
     */
    static void image(Exchange ex) {
        String kind = ex.argument();
        if (kind != null) {
            String type = kind.equals("svg") ? "image/svg+xml" : "image/" + kind;
            for (Image image : IMAGES) {
                if (image.type().equals(type)) {
                    ex.respond(typed(image.type(), image.bytes()));
                    return;
                }
            }
            ex.respond(Responses.notFound());
            return;
        }
        String accept = ex.request().headers().get(HttpHeaderNames.ACCEPT, "").toLowerCase(Locale.ROOT);
        for (Image image : IMAGES) {
            if (accept.contains(image.type())) {
                ex.respond(typed(image.type(), image.bytes()));
                return;
            }
        }
        if (accept.contains("image/*")) {
            ex.respond(typed("image/png", PNG));
            return;
        }
        ex.respond(typed(Responses.JSON, NOT_ACCEPTABLE.getBytes(StandardCharsets.UTF_8),
                HttpResponseStatus.NOT_ACCEPTABLE));
    }

    private static FullHttpResponse typed(String type, byte[] body) {
        return typed(type, body, HttpResponseStatus.OK);
    }

    private static FullHttpResponse typed(String type, byte[] body, HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return response;
    }
}
