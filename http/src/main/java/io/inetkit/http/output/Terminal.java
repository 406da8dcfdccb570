package io.inetkit.http.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stdout and stderr are terminals: the progress bar is for people, not for pipes and files. */
public interface Terminal {

    boolean stdoutIsTerminal();

    boolean stderrIsTerminal();

    /** Linux: where {@code /proc/self/fd/N} points; elsewhere, whether the JVM has a console. */
    Terminal SYSTEM = new Terminal() {
        @Override
        public boolean stdoutIsTerminal() {
            return isTerminal(1);
        }

        @Override
        public boolean stderrIsTerminal() {
            return isTerminal(2);
        }

        private boolean isTerminal(int fd) {
            try {
                String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return System.console() != null;
            }
        }
    };

    /** Neither is a terminal (tests, scripts). */
    Terminal NONE = new Terminal() {
        @Override
        public boolean stdoutIsTerminal() {
            return false;
        }

        @Override
        public boolean stderrIsTerminal() {
            return false;
        }
    };
}
