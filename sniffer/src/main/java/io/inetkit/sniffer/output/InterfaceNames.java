package io.inetkit.sniffer.output;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code if_indextoname(3)}: the name this machine gives an interface index, as tcpdump prints it for an
 * SLL2 frame. Java's {@code NetworkInterface.getByIndex} only knows interfaces that have an address.
 * Names are looked up once per index. Not thread-safe: one instance per formatter.
 */
final class InterfaceNames {

    private static final boolean BOUND = bind();

    private final Map<Integer, String> names = new HashMap<>();

    private static boolean bind() {
        try {
            Native.register(InterfaceNames.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    private static native String if_indextoname(int index, byte[] name);

    /** The interface's name, or {@code ?} as tcpdump prints for an index this machine does not have. */
    String name(int index) {
        return names.computeIfAbsent(index, i -> {
            if (!BOUND || i <= 0) {
                return "?";
            }
            byte[] buffer = new byte[64]; // IF_NAMESIZE is 16
            String n = if_indextoname(i, buffer);
            return n == null ? "?" : n;
        });
    }
}
