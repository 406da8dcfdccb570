package io.inetkit.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throwaway PKI for tests: a CA, and server certificates it signs (valid, expired, for the wrong name),
 * written as PEM files that nginx, the echo listener and {@code --cacert} read.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final KeyPair caKey;
    private final X509Certificate ca;

    private TestPki(Path dir) throws Exception {
        this.dir = dir;
        this.caKey = newKey();
        X500Name name = new X500Name("CN=inetkit test CA");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name,
                caKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKey.getPublic()));
        this.ca = sign(b, caKey.getPrivate());
        write(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
    }

    /** A new CA with its certificate in {@code dir/ca.pem}. */
    public static TestPki create(Path dir) throws Exception {
        return new TestPki(dir);
    }

    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** A server certificate for localhost, 127.0.0.1 and ::1, valid now: {@code name.pem} and {@code name.key}. */
    public ServerFiles server(String name) throws Exception {
        Instant now = Instant.now();
        return server(name, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), "localhost");
    }

    /** A server certificate that expired yesterday. */
    public ServerFiles expired(String name) throws Exception {
        Instant now = Instant.now();
        return server(name, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)), "localhost");
    }

    /** A valid certificate for another host only (no 127.0.0.1 in it). */
    public ServerFiles wrongName(String name) throws Exception {
        Instant now = Instant.now();
        return server(name, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), "elsewhere.example");
    }

    /** A valid certificate with subject {@code CN=cn} for the DNS names {@code hosts} (SNI picks by these). */
    public ServerFiles named(String name, String cn, String... hosts) throws Exception {
        Instant now = Instant.now();
        GeneralName[] names = new GeneralName[hosts.length];
        for (int i = 0; i < hosts.length; i++) {
            names[i] = new GeneralName(GeneralName.dNSName, hosts[i]);
        }
        return issue(name, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), "CN=" + cn, names);
    }

    /** A client certificate ({@code CN=cn}) for mutual TLS, signed by this CA. */
    public ServerFiles client(String name, String cn) throws Exception {
        Instant now = Instant.now();
        return issue(name, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), "CN=" + cn, null);
    }

    private ServerFiles issue(String name, Instant from, Instant to, String subject, GeneralName[] names) throws Exception {
        KeyPair key = newKey();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=inetkit test CA"), serial(),
                Date.from(from), Date.from(to), new X500Name(subject), key.getPublic());
        if (names != null) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
        X509Certificate cert = sign(b, caKey.getPrivate());
        Path certFile = dir.resolve(name + ".pem");
        Path keyFile = dir.resolve(name + ".key");
        write(certFile, pem("CERTIFICATE", cert.getEncoded()));
        write(keyFile, pem("PRIVATE KEY", key.getPrivate().getEncoded()));
        return new ServerFiles(certFile, keyFile);
    }

    private ServerFiles server(String name, Instant from, Instant to, String host) throws Exception {
        KeyPair key = newKey();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=inetkit test CA"), serial(),
                Date.from(from), Date.from(to), new X500Name("CN=" + host), key.getPublic());
        GeneralName[] names = host.equals("localhost")
                ? new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.iPAddress, "::1")}
                : new GeneralName[] {new GeneralName(GeneralName.dNSName, host)};
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
        X509Certificate cert = sign(b, caKey.getPrivate());
        Path certFile = dir.resolve(name + ".pem");
        Path keyFile = dir.resolve(name + ".key");
        write(certFile, pem("CERTIFICATE", cert.getEncoded()));
        write(keyFile, pem("PRIVATE KEY", key.getPrivate().getEncoded()));
        return new ServerFiles(certFile, keyFile);
    }

    /** A server certificate and its key, PEM. */
    public record ServerFiles(Path certificate, Path key) {
    }

    private static KeyPair newKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
