package io.inetkit.server.http;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpDataFactory;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A urlencoded or multipart/form-data body as httpbin shows it: its fields in {@code form}, its file parts in
 * {@code files} (each file's content, as {@code data} shows a body). Parsed by Netty's
 * {@link HttpPostRequestDecoder}, in memory: the body is already whole and within {@code maxRequestSize}.
 *
 * <pre>
 *   --b\r\n                                          form:  {"a": "1"}
 *   Content-Disposition: form-data; name="a"\r\n     files: {"f": "hello"}
 *   \r\n1\r\n
 *   --b\r\n
 *   Content-Disposition: form-data; name="f"; filename="f.txt"\r\n
 *   \r\nhello\r\n
 *   --b--\r\n
 * </pre>
 */
record FormBody(Map<String, List<String>> form, Map<String, List<String>> files) {

    /**
     * In memory (mixed parts never reach the disk threshold), but mixed rather than memory-only: the factory
     * tracks only mixed and disk parts, and a part cut off by the body's end must be released by
     * {@code destroy()} too.
     */
    private static final HttpDataFactory MEMORY = new DefaultHttpDataFactory(Long.MAX_VALUE);

    private static final String MULTIPART = "multipart/form-data";

    /** No fields, no files: what httpbin shows for a form body it cannot parse. */
    static final FormBody NONE = new FormBody(Map.of(), Map.of());

    /** The form in {@code request}'s body, whose type is a form's; {@link #NONE} if it does not parse as one. */
    static FormBody of(FullHttpRequest request, Function<byte[], String> fileText) {
        if (request.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT).startsWith(MULTIPART)
                && !HttpPostRequestDecoder.isMultipart(request)) {
            return NONE; // no boundary: Netty would read it as urlencoded, httpbin reads nothing
        }
        // a duplicate, so that the decoder's reads leave the request's own content where it was
        FullHttpRequest view = request.duplicate();
        HttpPostRequestDecoder decoder;
        try {
            decoder = new HttpPostRequestDecoder(MEMORY, view);
        } catch (DecoderException | IllegalArgumentException e) {
            return NONE; // a multipart type without a boundary, or a bad charset
        }
        try {
            Map<String, List<String>> form = new LinkedHashMap<>();
            Map<String, List<String>> files = new LinkedHashMap<>();
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                if (data instanceof FileUpload file) {
                    files.computeIfAbsent(file.getName(), k -> new ArrayList<>()).add(fileText.apply(file.get()));
                } else if (data instanceof Attribute field) {
                    form.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
                }
            }
            return new FormBody(form, files);
        } catch (DecoderException | IllegalArgumentException | IOException e) {
            return NONE; // a malformed part
        } finally {
            decoder.destroy();
        }
    }

    /** Whether {@code type} is one of the two form types: only then is a body read as a form. */
    static boolean isForm(String type) {
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith(MULTIPART);
    }
}
