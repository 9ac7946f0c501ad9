package org.perpcore.gateway.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.perpcore.core.command.Command;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.journal.JournalException;
import org.perpcore.journal.JournalVerifier;
import org.perpcore.journal.JournaledEngine;
import org.perpcore.journal.SnapshotInfo;

/**
 * {@code perpcore journal verify DIR}: checks a journal's integrity offline, read only (counts, sequence continuity,
 * schema versions, a torn or damaged tail, the snapshot index); exit status 0 when it is whole, 1 when it has a
 * problem, 2 on a usage error. {@code perpcore journal snapshot DIR}: opens the journal (restoring it) and takes a
 * snapshot at its end, so the next recovery or replay starts there.
 */
final class JournalCommand {
    static final String USAGE = "usage: perpcore journal verify DIR | perpcore journal snapshot DIR [--on-corrupt"
        + " stop|truncate]";

    private JournalCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        final Args args = new Args(argv, 1, Set.of());
        final String sub = args.positional(0);
        final String dir = args.positional(1);
        if (sub == null || dir == null || args.positional(2) != null) {
            err.println(USAGE);
            return 2;
        }
        return switch (sub) {
            case "verify" -> verify(Path.of(dir), out, err);
            case "snapshot" -> snapshot(Path.of(dir), args, out, err);
            default -> {
                err.println("perpcore journal: unknown subcommand '" + sub + "'");
                err.println(USAGE);
                yield 2;
            }
        };
    }

    private static int verify(Path dir, PrintStream out, PrintStream err) {
        final JournalVerifier.Report r;
        try {
            r = JournalVerifier.verify(dir);
        } catch (JournalException e) {
            err.println("perpcore journal verify: " + e.getMessage());
            return 2;
        }
        out.println("journal " + dir + " (this build reads schema versions: " + JournalVerifier.versions() + ")");
        out.println("commands: " + r.commands() + " valid of " + r.commandEntries() + " entries"
            + (r.commands() > 0 ? ", seq 1.." + r.lastSeq() : "") + "; " + byType(r.commandsByType()));
        out.println("events: " + r.eventEntries() + " entries" + (r.lastEventSeq() > 0 ? ", seq 1.."
            + r.lastEventSeq() : "") + ", " + r.events() + " events");
        out.println("snapshots: " + r.snapshots().size() + (r.snapshots().isEmpty() ? "" : " at seq "
            + r.snapshots().stream().map(s -> String.valueOf(s.seq())).collect(Collectors.joining(", "))));
        if (r.prunedSnapshots() > 0) {
            out.println("  " + r.prunedSnapshots() + " older snapshot" + (r.prunedSnapshots() == 1 ? "" : "s")
                + " deleted by pruning (through seq " + r.prunedThrough() + ")");
        }
        for (SnapshotInfo s : r.snapshots()) {
            if (s.problem() == null) {
                out.println("  " + s.file().getFileName() + ": " + (s.bodyLength() + 64) + " bytes, state hash "
                    + String.format("%016x", s.stateHash()));
            }
        }
        for (String w : r.warnings()) {
            out.println("warning: " + w);
        }
        for (String e : r.errors()) {
            out.println("ERROR: " + e);
        }
        if (!r.ok()) {
            err.println("perpcore journal verify: " + r.errors().size() + " problem(s) in " + dir);
            return 1;
        }
        out.println("OK");
        return 0;
    }

    private static String byType(Map<org.perpcore.core.model.CommandType, Long> byType) {
        return byType.entrySet().stream().map(e -> (e.getKey() == null ? "untyped" : e.getKey().keyword()) + " "
            + e.getValue()).collect(Collectors.joining(", "));
    }

    private static int snapshot(Path dir, Args args, PrintStream out, PrintStream err) {
        if (!Files.isDirectory(dir.resolve("commands"))) {
            err.println("perpcore journal snapshot: no journal at " + dir);
            return 2;
        }
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalArgs.options(args), err::println)) {
            report(journal, err);
            final long seq = journal.nextSeq();
            try (Pipeline pipeline = journal.startPipeline(PipelineConfig.DEFAULT, OutputStage.NONE)) {
                pipeline.publish(JournaledEngine.snapshotCommand(new Command(), journal.engine().nowMs()));
            }
            if (journal.snapshotsFailed() > 0) {
                err.println("perpcore journal snapshot: the snapshot could not be written");
                return 1;
            }
            out.println("snapshot at seq " + seq);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("perpcore journal snapshot: " + e.getMessage());
            return 2;
        } catch (JournalException e) {
            err.println("perpcore journal snapshot: " + e.getMessage());
            return 1;
        }
    }

    /** Says on stderr what opening the journal restored and repaired (nothing for a new journal). */
    static void report(JournaledEngine journal, PrintStream err) {
        if (journal.recovery().isFresh()) {
            return;
        }
        err.println("perpcore: journal " + journal.dir() + ": " + journal.recovery().summary());
        for (String r : journal.recovery().repairs()) {
            err.println("perpcore: repaired: " + r);
        }
        for (String n : journal.recovery().notes()) {
            err.println("perpcore: note: " + n);
        }
    }
}
