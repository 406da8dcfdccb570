package io.inetkit.client;

import io.inetkit.common.cli.Main;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;

/**
 * The build's AppCDS training run of the client jar (not part of the program): runs {@code inetkit client}
 * the ways a one-shot check runs it (raw, line and length framing over TCP, UDP, {@code --count}) and a short
 * {@code inetkit load}, through the program's {@link Main}, against echo loops of plain JDK sockets on
 * 127.0.0.1, so that {@code -XX:ArchiveClassesAtExit} records the classes such a run loads. The echo loops
 * use no Netty, so the archive holds the client's classes, not a server's. Exits 0 when every run worked,
 * 1 otherwise (the build then keeps no archive).
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Main.programDefaults();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int failures = 0;
        try (ServerSocket tcp = new ServerSocket(0, 50, loopback); DatagramSocket udp = new DatagramSocket(0, loopback)) {
            daemon(() -> acceptLoop(tcp));
            daemon(() -> udpEcho(udp));
            String host = loopback.getHostAddress();
            String t = String.valueOf(tcp.getLocalPort());
            String u = String.valueOf(udp.getLocalPort());
            List<String[]> runs = List.of(
                    new String[] {"client", host, t, "--message", "hi"},
                    new String[] {"client", host, t, "--framing", "line", "--message", "Hello, World!", "--count", "3"},
                    new String[] {"client", host, t, "--framing", "length:4", "--message", "hi"},
                    new String[] {"client", host, u, "--udp", "--message", "hi"},
                    new String[] {"load", host, t, "-c", "2", "--duration", "300ms"});
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            for (String[] run : runs) {
                StringWriter err = new StringWriter();
                int code = Main.run(run, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err));
                if (code != 0) {
                    System.err.println("CDS training: " + String.join(" ", run) + " exited " + code + ": " + err);
                    failures++;
                }
            }
            System.setOut(stdout);
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "cds-echo");
        t.setDaemon(true);
        t.start();
    }

    private static void acceptLoop(ServerSocket server) {
        try {
            while (true) {
                Socket s = server.accept();
                daemon(() -> tcpEcho(s));
            }
        } catch (IOException closed) {
            // the training is over
        }
    }

    private static void tcpEcho(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException gone) {
            // the client closed or reset: the next run has its own connection
        }
    }

    private static void udpEcho(DatagramSocket socket) {
        byte[] buf = new byte[65535];
        try {
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                socket.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
            }
        } catch (IOException closed) {
            // the training is over
        }
    }
}
