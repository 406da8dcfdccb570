package io.inetkit.dist;

import io.inetkit.common.cli.Main;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates, at package time, what a shell needs of inetkit from the picocli commands themselves (never by
 * hand): the man pages' AsciiDoc sources ({@code inetkit.adoc}, {@code inetkit-server.adoc}, ...,
 * {@code inetkit-load-merge.adoc}; asciidoctor's manpage backend turns them into troff) and the completion
 * scripts for bash and zsh.
 *
 * <pre>
 *   java -cp ALL-MODULES io.inetkit.dist.ShellDocs OUTDIR
 *   OUTDIR/adoc/inetkit-*.adoc
 *   OUTDIR/completion/inetkit     bash: /usr/share/bash-completion/completions/inetkit
 *   OUTDIR/completion/_inetkit    zsh:  /usr/share/zsh/vendor-completions/_inetkit (in zsh's fpath)
 * </pre>
 *
 * <p>The zsh file is picocli's script (which zsh runs through {@code bashcompinit}) behind a {@code #compdef}
 * line, so that {@code compinit} finds it in the fpath. compinit autoloads the file on the first TAB and runs
 * it as the completion function; its last line completes that first TAB, later ones go to the registered
 * function directly.
 */
public final class ShellDocs {

    private ShellDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ShellDocs OUTDIR");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        CommandLine root = Main.documented();
        // picocli wraps the synopsis at the usage width, which would cut AsciiDoc's _italic_ marks in two
        // across lines; one long line each, and man wraps it for the terminal
        root.setUsageHelpWidth(1000);

        Path adoc = Files.createDirectories(out.resolve("adoc"));
        int rc = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, root.getCommandSpec());
        if (rc != 0) {
            throw new IOException("picocli's ManPageGenerator failed (exit " + rc + ")");
        }

        Path completion = Files.createDirectories(out.resolve("completion"));
        String bash = AutoComplete.bash("inetkit", root);
        Files.writeString(completion.resolve("inetkit"), bash, StandardCharsets.UTF_8);
        String zsh = "#compdef inetkit\n"
                + "# inetkit's completion for zsh: picocli's generated script, run through bashcompinit.\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + bash
                + "\n_bash_complete -F _complete_inetkit \"$@\"\n";
        Files.writeString(completion.resolve("_inetkit"), zsh, StandardCharsets.UTF_8);
    }
}
