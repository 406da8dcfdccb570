package io.inetkit.client;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code --version}: the jar's Implementation-Version. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"inetkit " + (v == null ? "(development build)" : v)};
    }
}
