import io.inetkit.http.echo.HttpEchoServer;
import io.inetkit.http.echo.HttpEchoSettings;

/**
 * The benchmark's loopback target: inetkit's HTTP echo listener on 127.0.0.1, any free port. Prints the
 * port on the first line of stdout, then serves until stdin closes or it is killed. Run as a single-file
 * program: java -cp http/target/inetkit-http.jar http/bench/EchoTarget.java
 */
public class EchoTarget {
    public static void main(String[] args) throws Exception {
        try (HttpEchoServer server = new HttpEchoServer(HttpEchoSettings.of(0)).start()) {
            System.out.println(server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the script closes our stdin
            }
        }
    }
}
