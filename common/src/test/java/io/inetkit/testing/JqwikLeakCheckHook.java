package io.inetkit.testing;

import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.BeforeContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;

/**
 * The leak check of {@link LeakCheckExtension} for jqwik's properties, which run on their own engine and
 * never see JUnit Jupiter's extensions: fails a property class when Netty reported a buffer leak while it
 * ran. Registered for every class through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 */
public final class JqwikLeakCheckHook implements BeforeContainerHook, AfterContainerHook {

    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return element.map(e -> e instanceof Class).orElse(false);
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public void beforeContainer(ContainerLifecycleContext context) {
        LeakChecks.before();
    }

    @Override
    public void afterContainer(ContainerLifecycleContext context) {
        LeakChecks.after(context.label());
    }
}
