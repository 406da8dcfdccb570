package io.inetkit.common.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

class StandardHelpTest {

    @Command(name = "inetkit demo")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--zeta", description = "Written first.")
        int zeta;

        @Option(names = "--alpha", description = "Written second.")
        int alpha;

        @Mixin
        StandardHelp help;

        @Override
        public Integer call() {
            return 0;
        }
    }

    @Test
    void optionsKeepTheirOrderAndHelpAndVersionComeLast() {
        String usage = new CommandLine(new Demo()).getUsageMessage();
        assertThat(usage).containsSubsequence("--zeta", "--alpha", "-h, --help", "-V, --version");
    }

    @Test
    void helpIsOneHundredColumnsWide() {
        assertThat(new CommandLine(new Demo()).getCommandSpec().usageMessage().width()).isEqualTo(100);
    }

    @Test
    void versionPrintsTheOneVersionLine() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new Demo());
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("inetkit ");
    }
}
