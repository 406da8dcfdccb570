import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;

/**
 * The image's HEALTHCHECK ({@code inetkit health [URL]}): one GET of the server's {@code /health}; exit 0 on a
 * 2xx answer, otherwise one line on stderr and exit 1. It needs nothing but java.base, so it runs on any JRE
 * the image is built on, base images without wget or curl included.
 *
 * <p>Without a URL it asks the admin endpoint the server was given through {@code INETKIT_SERVER_ADMIN}
 * ({@code ADDR:PORT}; a wildcard address is asked on 127.0.0.1), by default {@code 127.0.0.1:9505}:
 * <pre>
 *   GET /health HTTP/1.1
 *   Host: 127.0.0.1:9505
 * </pre>
 */
public final class HealthProbe {

    private static final int TIMEOUT_MS = 3000;

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : defaultUrl(System.getenv("INETKIT_SERVER_ADMIN"));
        try {
            int status = get(url);
            if (status / 100 != 2) {
                System.err.println("inetkit health: " + url + " answered " + status);
                System.exit(1);
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("inetkit health: " + url + ": " + e);
            System.exit(1);
        }
    }

    /** {@code http://HOST:PORT/health} for an admin address {@code ADDR:PORT}, {@code [V6]:PORT} or {@code PORT}. */
    static String defaultUrl(String admin) {
        String host = "127.0.0.1";
        String port = "9505";
        if (admin != null && !admin.isBlank()) {
            String a = admin.trim();
            int colon = a.lastIndexOf(':');
            if (colon < 0) {
                port = a;
            } else {
                String h = a.substring(0, colon);
                port = a.substring(colon + 1);
                if (!h.isEmpty() && !h.equals("0.0.0.0") && !h.equals("[::]") && !h.equals("::") && !h.equals("*")) {
                    host = h;
                }
            }
        }
        return "http://" + host + ":" + port + "/health";
    }

    private static int get(String url) throws IOException {
        URL u = URI.create(url).toURL();
        HttpURLConnection c = (HttpURLConnection) u.openConnection();
        c.setConnectTimeout(TIMEOUT_MS);
        c.setReadTimeout(TIMEOUT_MS);
        c.setUseCaches(false);
        try {
            int status = c.getResponseCode();
            InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (body != null) {
                body.readAllBytes();
                body.close();
            }
            return status;
        } finally {
            c.disconnect();
        }
    }
}
