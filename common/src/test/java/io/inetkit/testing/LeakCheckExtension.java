package io.inetkit.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran.
 *
 * <p>Registered for every test through {@code META-INF/services} and JUnit's extension autodetection
 * (switched on by the parent pom). The check itself is {@link LeakChecks}; jqwik's properties get the same
 * through {@link JqwikLeakCheckHook}.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakChecks.before();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LeakChecks.after(context.getDisplayName());
    }
}
