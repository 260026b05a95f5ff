package io.ghostwatch.cli;

import picocli.CommandLine.Command;

/** {@code ghostwatch}: the top command; each subcommand is one of DESIGN.md's operations. */
@Command(name = "ghostwatch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Catches and heals user-sync drift (ghost users, orphaned profiles) in PostgreSQL.",
        subcommands = {CheckCommand.class, ServeCommand.class, HistoryCommand.class, FixCommand.class,
            ExportCommand.class, DiagnoseCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:checks ran; all outputs delivered; nothing at or above --fail-on",
            "1:checks ran and found something at or above --fail-on",
            "2:the database could not be checked (unreachable, credentials, missing tables, bad configuration)",
            "3:checks ran, but an output failed"})
public class GhostwatchCommand {
}
