package io.inetkit.server.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Self-signed server certificates, made with BouncyCastle's certificate builder and signed by the JDK's own
 * signature provider (no BouncyCastle JCE provider is registered, so the unsigned shaded jar is fine).
 *
 * <p>Netty's {@code SelfSignedCertificate} is deprecated in 4.2 and, without BouncyCastle or JDK internals,
 * falls back to running the {@code keytool} program; this does it in-process.
 */
final class SelfSignedCertificates {

    /** A private key and its certificate. */
    record KeyAndCertificate(PrivateKey key, X509Certificate certificate) {
    }

    private SelfSignedCertificates() {
    }

    /**
     * A new EC P-256 key and a certificate for {@code localhost}, {@code 127.0.0.1}, {@code ::1} and
     * {@code extra} (a specific bind address; the wildcard is skipped), valid from an hour ago for a year.
     */
    static KeyAndCertificate generate(InetAddress extra) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair pair = generator.generateKeyPair();
        Set<GeneralName> names = new LinkedHashSet<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        if (extra != null && !extra.isAnyLocalAddress()) {
            names.add(new GeneralName(GeneralName.iPAddress, extra.getHostAddress()));
        }
        X500Name subject = new X500Name("CN=localhost, O=inetkit self-signed");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))),
                subject, pair.getPublic());
        try {
            List<GeneralName> list = new ArrayList<>(names);
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(list.toArray(new GeneralName[0])));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new KeyAndCertificate(pair.getPrivate(), certificate);
        } catch (OperatorCreationException | IOException e) {
            throw new CertificateException("cannot build a self-signed certificate: " + e.getMessage(), e);
        }
    }
}
