package io.inetkit.http.output;

import io.inetkit.http.CurlException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.NetUtil;

import java.net.InetSocketAddress;

/** What {@code -w} can tell about one transfer; filled in as it goes, so a failed one reports how far it got. */
public final class TransferReport {

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

    public TransferTiming timing() {
        return timing;
    }

    /** The request about to go out (again, after a redirect). */
    public void request(String url, String requestMethod) {
        urlEffective = url;
        method = requestMethod;
    }

    /** The connection the request goes on, and how many were opened for this transfer so far. */
    public void connection(int connectsSoFar, InetSocketAddress remote) {
        numConnects = connectsSoFar;
        if (remote != null) {
            remoteIp = NetUtil.toAddressString(remote.getAddress());
            remotePort = remote.getPort();
        }
    }

    /** Request body bytes sent; negative to take back those of a try that is made again. */
    public void uploaded(long bytes) {
        sizeUpload += bytes;
    }

    public int redirects() {
        return numRedirects;
    }

    public void redirected() {
        numRedirects++;
    }

    /** Takes the figures of an exchange that ended (or broke off). */
    public void account(long bodyReceived, long headerBytes, HttpResponse head, String protocol) {
        sizeDownload = bodyReceived;
        sizeHeader += headerBytes;
        if (head != null) {
            httpCode = head.status().code();
            String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
            contentType = type == null ? "" : type;
        }
        if (protocol != null) {
            httpVersion = protocol.equals("HTTP/2") ? "2" : "1.1";
        }
    }

    public void failed(CurlException e) {
        exitCode = e.exitCode();
        errorMessage = e.getMessage();
        timing.ended();
    }
}
