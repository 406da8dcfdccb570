package io.inetkit.client.load;

import io.inetkit.common.cli.Cli;
import io.inetkit.common.cli.UserException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The report files ({@code --json}, {@code --html}, {@code --hdr-log}) checked before a run starts: a
 * typo in a directory should cost a second, not the run it would have recorded.
 */
final class OutputFiles {

    private OutputFiles() {
    }

    /**
     * Opens {@code file} for writing as the report will, without truncating it, and removes it again if
     * it was not there; does nothing when {@code file} is null.
     *
     * @throws UserException (usage) naming the option, the file and the reason
     */
    static void check(String option, Path file) {
        if (file == null) {
            return;
        }
        boolean existed = Files.exists(file);
        try {
            FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
            if (!existed) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UserException(cannotWrite(option, file, e), Cli.EXIT_USAGE);
        }
    }

    static String cannotWrite(String option, Path file, IOException e) {
        return "cannot write " + option + " " + file + ": " + Cli.describeFileError(e);
    }
}
