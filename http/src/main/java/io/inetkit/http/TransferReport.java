package io.inetkit.http;

import io.netty.handler.codec.http.HttpHeaderNames;

/** What {@code -w} can tell about one transfer; filled in as it goes, so a failed one reports how far it got. */
final class TransferReport {

    private final TransferTiming timing = new TransferTiming();
    String urlEffective = "";
    String method = "";
    int httpCode;
    String httpVersion = "0";
    long sizeDownload;
    long sizeHeader;
    long sizeUpload;
    int numRedirects;
    int numConnects;
    String remoteIp = "";
    int remotePort;
    String contentType = "";
    int exitCode;
    String errorMessage = "";

    TransferTiming timing() {
        return timing;
    }

    /** Takes the figures of an exchange that ended (or broke off). */
    void account(Exchange ex) {
        sizeDownload = ex.bodyReceived();
        sizeHeader += ex.headerBytes();
        if (ex.head() != null) {
            httpCode = ex.head().status().code();
            String type = ex.head().headers().get(HttpHeaderNames.CONTENT_TYPE);
            contentType = type == null ? "" : type;
        }
        if (ex.protocol() != null) {
            httpVersion = ex.protocol().equals("HTTP/2") ? "2" : "1.1";
        }
    }

    void failed(CurlException e) {
        exitCode = e.exitCode();
        errorMessage = e.getMessage();
        timing.ended();
    }
}
