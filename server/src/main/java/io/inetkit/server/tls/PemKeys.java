package io.inetkit.server.tls;

import io.inetkit.server.ServerStartException;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;

/**
 * Unencrypted PEM private keys, read with BouncyCastle's PEM parser into the JDK's key objects:
 * PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), SEC1 ({@code BEGIN EC PRIVATE KEY}).
 */
final class PemKeys {

    private PemKeys() {
    }

    /** @throws ServerStartException naming the file and what is wrong with it */
    static PrivateKey read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
            throw new ServerStartException("TLS key file " + file
                    + " holds no unencrypted PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)", null);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ServerStartException s) {
                throw s;
            }
            throw new ServerStartException("cannot read TLS key file " + file + ": " + TlsContexts.rootMessage(e), e);
        }
    }
}
