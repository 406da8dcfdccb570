package io.inetkit.common.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file could not be read or written, in the operating system's words ({@code No such file or
 * directory}, {@code Permission denied}). NIO's exceptions carry the reason in their type, and their
 * message is just the path, so {@code "cannot read " + path + ": " + e.getMessage()} names the path twice
 * and never the reason.
 */
public final class FileErrors {

    private FileErrors() {
    }

    /** The reason of {@code e}, without the path. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof FileNotFoundException && e.getMessage() != null) {
            // java.io puts the reason in parentheses after the path: "/x/y (No such file or directory)"
            String m = e.getMessage();
            int open = m.lastIndexOf(" (");
            if (open >= 0 && m.endsWith(")")) {
                return m.substring(open + 2, m.length() - 1);
            }
        }
        return Cli.describe(e);
    }
}
