package io.inetkit.server;

import io.inetkit.common.cli.InetkitDefaultProvider;
import picocli.CommandLine;
import io.inetkit.server.http.HttpEchoSettings;
import io.inetkit.server.tls.Tls;
import io.inetkit.common.cli.Cli;
import io.inetkit.common.framing.Framing;
import io.inetkit.common.net.Cidr;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line of {@code inetkit server}: parsing into settings, and usage errors. */
class ServerCommandTest {

    private final StringWriter err = new StringWriter();

    /** Parses like the real program but stops before starting the server. */
    private ServerSettings parse(Map<String, String> env, String... args) {
        ServerCommand command = new ServerCommand();
        CommandLine cmd = new CommandLine(command);
        cmd.setDefaultValueProvider(new InetkitDefaultProvider(env, null, null));
        cmd.parseArgs(args);
        return command.settings();
    }

    @Test
    void noListenerFlagsMeansTheLecturesTcpAndUdpOn5005() {
        ServerSettings s = parse(Map.of());
        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.tcp()).containsExactly(new ServerSettings.TcpListener(5005, new Framing.Raw()));
        assertThat(s.udp()).containsExactly(new ServerSettings.UdpListener(5005));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.transport()).isEqualTo("auto");
    }

    @Test
    void protectionDefaultsAreSensibleAndTheAdminIsOnLoopback() {
        ServerSettings s = parse(Map.of());
        assertThat(s.limits()).isEqualTo(ServerSettings.Limits.DEFAULT);
        assertThat(s.limits().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.limits().maxBuffered()).isEqualTo(128L << 20);
        assertThat(s.udpGuard()).isEqualTo(new ServerSettings.UdpGuard(1024, 1000, 65536));
        assertThat(s.admin()).isEqualTo(new ServerSettings.Admin("127.0.0.1", 9505));
    }

    @Test
    void limitsGuardAndAdminFromFlags() {
        ServerSettings s = parse(Map.of(), "--max-connections", "50", "--max-connections-per-ip", "5",
                "--idle-timeout", "30s", "--allow", "127.0.0.0/8", "--allow", "::1/128,10.0.0.0/8",
                "--deny", "127.0.0.66", "--udp-min-source-port", "0", "--udp-rate-per-source", "0",
                "--udp-max-sources", "10", "--admin", "[::1]:0", "--max-buffered", "16m");
        assertThat(s.limits().maxConnections()).isEqualTo(50);
        assertThat(s.limits().maxConnectionsPerIp()).isEqualTo(5);
        assertThat(s.limits().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.limits().allow()).extracting(Cidr::toString).containsExactly("127.0.0.0/8", "::1/128", "10.0.0.0/8");
        assertThat(s.limits().deny()).extracting(Cidr::toString).containsExactly("127.0.0.66/32");
        assertThat(s.limits().maxBuffered()).isEqualTo(16L << 20);
        assertThat(parse(Map.of(), "--max-buffered", "65536").limits().maxBuffered()).isEqualTo(65536);
        assertThat(parse(Map.of(), "--max-buffered", "64K").limits().maxBuffered()).isEqualTo(65536);
        assertThat(parse(Map.of(), "--max-buffered", "1g").limits().maxBuffered()).isEqualTo(1L << 30);
        assertThat(s.udpGuard()).isEqualTo(new ServerSettings.UdpGuard(0, 0, 10));
        assertThat(s.admin()).isEqualTo(new ServerSettings.Admin("::1", 0));
        assertThat(parse(Map.of(), "--admin", "off").admin()).isNull();
        assertThat(parse(Map.of("INETKIT_SERVER_ADMIN", "OFF")).admin()).isNull();
        assertThat(parse(Map.of(), "--admin", "9999").admin()).isEqualTo(new ServerSettings.Admin("127.0.0.1", 9999));
    }

    @Test
    void aBadCidrOrAdminOrLimitIsAUsageErrorOnOneLine() {
        assertThat(run("--tcp", "0", "--allow", "example.com/8")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("--allow: bad CIDR 'example.com/8'").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("--tcp", "0", "--admin", "::1:9505")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("write IPv6 as [ADDR]:PORT").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("--tcp", "0", "--max-connections", "0")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("maxConnections must be > 0: 0").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("--tcp", "0", "--max-buffered", "lots")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("--max-buffered': bad byte count 'lots'").doesNotContain("\tat ");
        err.getBuffer().setLength(0);
        assertThat(run("--tcp", "0", "--max-buffered", "0")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("maxBuffered must be > 0: 0").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("--tcp", "0", "--log-format", "xml")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown log format 'xml'; expected text or json").hasLineCount(1);
    }

    @Test
    void listenersAreRepeatableAndTakeAFraming() {
        ServerSettings s = parse(Map.of(), "--tcp", "5005", "--tcp", "5006:line:100", "--tcp", "5007:fixed:20,5008:length:4",
                "--udp", "6000", "--bind", "::1", "--drain-timeout", "1500ms", "--io-threads", "3");
        assertThat(s.tcp()).extracting(ServerSettings.TcpListener::toString)
                .containsExactly("5005:raw", "5006:line:100", "5007:fixed:20", "5008:length:4:8192");
        assertThat(s.udp()).containsExactly(new ServerSettings.UdpListener(6000));
        assertThat(s.bind()).isEqualTo("::1");
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.ioThreads()).isEqualTo(3);
    }

    @Test
    void theEnvironmentSetsOptions() {
        ServerSettings s = parse(Map.of("INETKIT_SERVER_TCP", "7000:line,7001", "INETKIT_SERVER_IO_THREADS", "2"));
        assertThat(s.tcp()).extracting(ServerSettings.TcpListener::port).containsExactly(7000, 7001);
        assertThat(s.udp()).isEmpty();
        assertThat(s.ioThreads()).isEqualTo(2);
    }

    @Test
    void aConfigFileSetsOptions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "tcp = 0:delimiter:\\\\0\nudp = 0\ndrain-timeout = 1s\n");
        ServerCommand command = new ServerCommand();
        CommandLine cmd = new CommandLine(command);
        cmd.setDefaultValueProvider(new InetkitDefaultProvider(Map.of(), InetkitDefaultProvider.readConfig(cmd, file),
                file));
        cmd.parseArgs("--config", file.toString());
        ServerSettings s = command.settings();
        assertThat(s.tcp()).extracting(t -> t.framing().spec()).containsExactly("delimiter:\\0:8192");
        assertThat(s.udp()).hasSize(1);
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theShippedConfigFileOfTheSystemdUnitIsValid() {
        Path file = Path.of("src", "main", "dist", "server.properties");
        ServerCommand command = new ServerCommand();
        CommandLine cmd = new CommandLine(command);
        cmd.setDefaultValueProvider(new InetkitDefaultProvider(Map.of(), InetkitDefaultProvider.readConfig(cmd, file),
                file));
        cmd.parseArgs("--config", file.toString());
        ServerSettings s = command.settings();
        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.tcp()).extracting(ServerSettings.TcpListener::toString).containsExactly("7:raw", "5006:line:8192");
        assertThat(s.udp()).containsExactly(new ServerSettings.UdpListener(7));
        assertThat(s.admin()).isEqualTo(new ServerSettings.Admin("127.0.0.1", 9505));
        assertThat(s.limits()).isEqualTo(ServerSettings.Limits.DEFAULT);
        assertThat(s.udpGuard()).isEqualTo(ServerSettings.UdpGuard.DEFAULT);
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    private int run(String... args) {
        return Cli.run(new ServerCommand(), args, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err));
    }

    @Test
    void proxyIsTheLastPartOfAListenerSpecAndTrustsLoopbackByDefault() {
        ServerSettings s = parse(Map.of(), "--tcp", "5005:proxy,5006:line:proxy,5007:line:64,5008:delimiter:proxy:64",
                "--http", "8080:proxy,8081", "--https", "8443:PROXY", "--tls", "self-signed");
        assertThat(s.tcp()).containsExactly(new ServerSettings.TcpListener(5005, new Framing.Raw(), true, false),
                new ServerSettings.TcpListener(5006, Framing.parse("line"), true, false),
                new ServerSettings.TcpListener(5007, Framing.parse("line:64"), false, false),
                new ServerSettings.TcpListener(5008, Framing.parse("delimiter:proxy:64"), false, false));
        assertThat(s.tcp().get(1)).hasToString("5006:line:8192:proxy");
        assertThat(s.http()).extracting(ServerSettings.HttpListener::port, ServerSettings.HttpListener::proxy)
                .containsExactly(Tuple.tuple(8080, true), Tuple.tuple(8081, false),
                        Tuple.tuple(8443, true));
        assertThat(s.proxyProtocol()).isEqualTo(ServerSettings.ProxyProtocol.DEFAULT);
        assertThat(s.proxyProtocol().trusted()).containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
        assertThat(s.proxyProtocol().headerTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void proxyTrustedAndHeaderTimeoutFromFlagsAndTheirErrors() {
        ServerSettings s = parse(Map.of(), "--tcp", "5005:proxy", "--proxy-trusted", "10.0.0.0/8",
                "--proxy-trusted", "fd00::/8", "--proxy-header-timeout", "2s");
        assertThat(s.proxyProtocol().trusted()).containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
        assertThat(s.proxyProtocol().headerTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(parse(Map.of("INETKIT_SERVER_PROXY_TRUSTED", "192.0.2.0/24,2001:db8::/32"), "--tcp", "5005:proxy")
                .proxyProtocol().trusted()).containsExactly(Cidr.parse("192.0.2.0/24"), Cidr.parse("2001:db8::/32"));
        assertThat(run("--tcp", "5005:proxy", "--proxy-trusted", "balancer.example")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("--proxy-trusted: bad CIDR 'balancer.example'").hasLineCount(1)
                .doesNotContain("\tat ");
    }

    @Test
    void aZeroProxyHeaderTimeoutIsAUsageError() {
        assertThat(run("--tcp", "5005:proxy", "--proxy-header-timeout", "0")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("--proxy-header-timeout must be > 0: 0s").hasLineCount(1);
    }

    @Test
    void aBadHttpPortIsAUsageErrorOnOneLine() {
        assertThat(run("--http", "80a:proxy")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("bad port '80a' in '80a:proxy'").hasLineCount(1);
    }

    @Test
    void aBadFramingIsAUsageErrorOnOneLine() {
        assertThat(run("--tcp", "5005:lines")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown framing 'lines'").doesNotContain("\tat ");
    }

    @Test
    void aBadPortIsAUsageError() {
        assertThat(run("--tcp", "70000")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("port must be 0..65535: 70000");
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        assertThat(run("--tpc", "5005")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("Unknown option").contains("--tpc");
    }

    @Test
    void anUnknownTransportIsAUsageErrorOnOneLine() {
        assertThat(run("--tcp", "0", "--transport", "carrier-pigeon")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown transport 'carrier-pigeon'").hasLineCount(1);
    }

    @Test
    void httpListenersNeedNoEchoListenerAndHttpsNeedsTls() {
        ServerSettings s = parse(Map.of(), "--http", "8080", "--https", "8443", "--tls", "self-signed");
        assertThat(s.tcp()).isEmpty();
        assertThat(s.udp()).isEmpty();
        assertThat(s.http()).extracting(ServerSettings.HttpListener::port).containsExactly(8080, 8443);
        assertThat(s.http().get(1).tls()).isTrue();
        assertThat(s.tls().certificate()).isInstanceOf(Tls.SelfSigned.class);

        assertThat(run("--https", "8443")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("TLS listeners need --tls self-signed").hasLineCount(1);
    }

    @Test
    void webSocketListenersTakeAPathProxyAndTlsAndTheMessageLimit() {
        ServerSettings s = parse(Map.of(), "--ws", "8081", "--ws", "8082:/echo:proxy", "--ws", "8444:/secure:tls",
                "--tls", "self-signed", "--ws-max-message", "64k");
        assertThat(s.tcp()).isEmpty();
        assertThat(s.ws()).extracting(ServerSettings.WsListener::port).containsExactly(8081, 8082, 8444);
        assertThat(s.ws()).extracting(ServerSettings.WsListener::path).containsExactly("/", "/echo", "/secure");
        assertThat(s.ws()).extracting(ServerSettings.WsListener::proxy).containsExactly(false, true, false);
        assertThat(s.ws()).extracting(ServerSettings.WsListener::tls).containsExactly(false, false, true);
        assertThat(s.ws()).extracting(ServerSettings.WsListener::maxMessage).containsOnly(64 * 1024);
        assertThat(parse(Map.of(), "--ws", "8081").ws().get(0).maxMessage())
                .isEqualTo(ServerSettings.WsListener.DEFAULT_MAX_MESSAGE).isEqualTo(1024 * 1024);

        assertThat(run("--ws", "8444:/secure:tls")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("TLS listeners need --tls self-signed").hasLineCount(1);
    }

    @Test
    void aBadWebSocketPathOrLimitIsAUsageErrorOnOneLine() {
        assertThat(run("--ws", "8081:echo")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("a WebSocket path starts with /: 'echo'").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("--ws", "8081", "--ws-max-message", "100")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("--ws-max-message must be >= 126: 100").hasLineCount(1);
    }

    @Test
    void theHttpRequestTimeoutsReachEveryHttpListenerAndHaveDefaults() {
        ServerSettings s = parse(Map.of(), "--http", "8080", "--https", "8443", "--tls", "self-signed",
                "--http-header-timeout", "3s", "--http-min-body-rate", "1000");
        assertThat(s.http()).extracting(l -> l.echo().headerTimeout())
                .containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
        assertThat(s.http()).extracting(l -> l.echo().minBodyRate()).containsExactly(1000L, 1000L);
        assertThat(parse(Map.of(), "--http", "8080").http().get(0).echo().headerTimeout())
                .isEqualTo(HttpEchoSettings.DEFAULT_HEADER_TIMEOUT);
        assertThat(parse(Map.of(), "--http", "8080").http().get(0).echo().minBodyRate())
                .isEqualTo(HttpEchoSettings.DEFAULT_MIN_BODY_RATE);
        assertThat(run("--http", "8080", "--http-min-body-rate", "-1")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("minBodyRate must be >= 0: -1");

        assertThat(run("--http", "8080", "--http-header-timeout", "soon")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("'soon' is not a duration").doesNotContain("\tat ");
    }

    @Test
    void theHttpBodyBudgetReachesEveryHttpListenerAndHasADefault() {
        ServerSettings s = parse(Map.of(), "--http", "8080", "--https", "8443", "--tls", "self-signed",
                "--http-body-budget", "2000000");
        assertThat(s.http()).extracting(l -> l.echo().bodyBudget()).containsExactly(2_000_000L, 2_000_000L);
        assertThat(parse(Map.of(), "--http", "8080").http().get(0).echo().bodyBudget())
                .isEqualTo(HttpEchoSettings.DEFAULT_BODY_BUDGET);

        assertThat(run("--http", "8080", "--http-body-budget", "1000")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("bodyBudget must be >= maxRequestSize (1048576): 1000")
                .doesNotContain("\tat ");
    }

    @Test
    void tlsOptionsWithoutHttpsAreAUsageError() {
        assertThat(run("--http", "8080", "--tls", "self-signed")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("apply to TLS listeners");
    }

    @Test
    void tlsIsTheLastPartOfATcpSpecOrBeforeProxyAndItsOptionsAreShared(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.pem"), "x");
        Path ak = Files.writeString(dir.resolve("a.key"), "x");
        Path b = Files.writeString(dir.resolve("b.pem"), "x");
        Path bk = Files.writeString(dir.resolve("b.key"), "x");
        ServerSettings s = parse(Map.of(), "--tcp", "5443:line:tls,5444:tls,5445:line:proxy:tls,5446:length:2:tls:proxy",
                "--https", "8443", "--tls-cert", a.toString(), "--tls-key", ak.toString(), "--tls-cert", b.toString(),
                "--tls-key", bk.toString(), "--tls-client-ca", a.toString(), "--tls-provider", "jdk",
                "--tls-handshake-timeout", "3s");
        assertThat(s.tcp()).containsExactly(new ServerSettings.TcpListener(5443, Framing.parse("line"), false, true),
                new ServerSettings.TcpListener(5444, new Framing.Raw(), false, true),
                new ServerSettings.TcpListener(5445, Framing.parse("line"), true, true),
                new ServerSettings.TcpListener(5446, Framing.parse("length:2"), true, true));
        assertThat(s.tcp().get(2)).hasToString("5445:line:8192:proxy:tls");
        assertThat(s.tls().certificate()).isEqualTo(Tls.pemFiles(a, ak));
        assertThat(s.tls().sniCertificates()).containsExactly(new Tls.PemFiles(b, bk));
        assertThat(s.tls().clientAuth()).isEqualTo(io.inetkit.server.tls.TlsSettings.ClientAuth.REQUIRE);
        assertThat(s.tls().provider()).isEqualTo(io.inetkit.server.tls.TlsSettings.Provider.JDK);
        assertThat(s.tls().handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.http().get(0).isTls()).isTrue();
    }

    @Test
    void badTlsCombinationsAreOneUsageLine() {
        assertThat(run("--tcp", "5443:line:tls")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("TLS listeners need --tls self-signed").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("--tcp", "5443:tls", "--tls-cert", "a.pem")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("--tls-cert and --tls-key come in pairs").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("--tcp", "5443:tls", "--tls", "self-signed", "--tls-client-auth", "require")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("needs --tls-client-ca").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("--tcp", "5443:tls", "--tls", "self-signed", "--tls-provider", "gnutls")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString()).contains("unknown --tls-provider 'gnutls'").hasLineCount(1);
    }
}
