package io.inetkit.client.load;

import io.inetkit.common.cli.ConfigFileOption;
import io.inetkit.common.cli.StandardHelp;
import io.inetkit.common.cli.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code inetkit load merge A.hlog B.hlog ...}: one report from several load generators that ran together. */
@Command(name = "inetkit load merge",
        description = {
                "Combines the --hdr-log files of several inetkit load runs (a distributed run) into one",
                "report: latency histograms added, throughput and errors summed."},
        footer = {"",
                "It warns when the logs do not overlap in time, or their modes differ.",
                "Exit codes: 0 ok, 1 a mismatch, errors over --max-errors, no echo or under --min-rate, or UDP",
                "loss over --max-loss in the merged runs, 2 usage error.",
                "",
                "Examples:",
                "  inetkit load merge gen-A.hlog gen-B.hlog                  the merged table",
                "  inetkit load merge out/load-*.hlog --html merged.html --json merged.json"})
public final class MergeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE.hlog", arity = "1..*", description = "The --hdr-log files of the runs.")
    List<Path> files;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the merged report as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the merged report as HTML.")
    Path html;

    @Mixin
    PassOptions pass;

    @Mixin
    ConfigFileOption config;

    @Spec
    CommandSpec spec;

    @Mixin // last: picocli lists -h and -V where it is declared
    StandardHelp help;

    @Override
    public Integer call() {
        PassCriteria criteria = UserException.usage(pass::criteria);
        LoadCommand.checkOutputs(json, html);
        List<HdrLogs.Log> logs = UserException.usage(() -> HdrLogs.readAll(files));
        PrintWriter err = spec.commandLine().getErr();
        HdrLogs.warnings(logs).forEach(w -> err.println("inetkit load merge: warning: " + w));
        err.flush();
        LoadResult r = UserException.usage(() -> HdrLogs.merge(logs, RunInfo.commandLine(spec)));
        PrintWriter out = spec.commandLine().getOut();
        out.print(Reports.text(r));
        out.flush();
        LoadCommand.writeOutputs(r, json, html);
        return LoadCommand.exitCode(r, criteria, err);
    }
}
