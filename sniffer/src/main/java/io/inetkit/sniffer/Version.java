package io.inetkit.sniffer;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"inetkit sniff " + (v == null ? "(development build)" : v)};
    }
}
