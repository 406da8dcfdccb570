package io.inetkit.common.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link Cli#describeFileError}: the reason in the operating system's words, for NIO's and java.io's exceptions. */
class DescribeFileErrorTest {

    @Test
    void nioErrorsNameTheReasonNotThePathAgain(@TempDir Path dir) {
        Path missing = dir.resolve("no/such/file");
        IOException nio = catchThrowableOfType(IOException.class, () -> Files.readString(missing));
        assertThat(Cli.describeFileError(nio)).isEqualTo("No such file or directory");
        IOException isDir = catchThrowableOfType(IOException.class, () -> Files.writeString(dir, "x"));
        assertThat(Cli.describeFileError(isDir)).isEqualTo("Is a directory");
        // root may write anywhere, so the type that a refused open throws is given here
        assertThat(Cli.describeFileError(new AccessDeniedException("/etc/x"))).isEqualTo("Permission denied");
    }

    @Test
    void javaIoErrorsToo(@TempDir Path dir) {
        FileNotFoundException e = catchThrowableOfType(FileNotFoundException.class,
                () -> new FileOutputStream(dir.resolve("no/file").toFile()).close());
        assertThat(Cli.describeFileError(e)).isEqualTo("No such file or directory");
    }
}
