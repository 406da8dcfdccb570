package io.inetkit.common.framing;

/** Byte-array helpers the framings' users need. */
public final class Bytes {

    private Bytes() {
    }

    /** The index of the first occurrence of {@code needle} in {@code haystack}, or -1 (0 for an empty needle). */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
