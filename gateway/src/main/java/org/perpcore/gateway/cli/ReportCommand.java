package org.perpcore.gateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.perpcore.gateway.postmortem.JournalPostMortem;
import org.perpcore.gateway.postmortem.PostMortem;
import org.perpcore.gateway.postmortem.TextSummary;
import org.perpcore.journal.JournalException;

/**
 * {@code perpcore report JOURNAL [--out DIR] [--map-time T] [--from-start]}: the post-mortem of a journal, as a
 * self-contained {@code report.html} and a {@code summary.json} in DIR (default {@code JOURNAL/report}); prints the
 * headline. The liquidation map's state is rebuilt from the latest snapshot at or before its time, or with
 * {@code --from-start} by replaying from the first command (the same state, slower).
 */
final class ReportCommand {
    static final String USAGE = "usage: perpcore report JOURNAL [--out DIR] [--map-time T] [--from-start]";

    private ReportCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err) {
        final String journal = args.positional(0);
        if (journal == null || args.positional(1) != null) {
            err.println(USAGE);
            return 2;
        }
        final Long mapTime;
        try {
            mapTime = ReportFiles.time("map-time", args.option("map-time"));
        } catch (IllegalArgumentException e) {
            err.println("perpcore report: " + e.getMessage());
            return 2;
        }
        final Path dir = Path.of(journal);
        if (!Files.isDirectory(dir)) {
            err.println("perpcore report: no journal at " + dir);
            return 2;
        }
        final Path outDir = args.option("out") != null ? Path.of(args.option("out")) : dir.resolve("report");
        final long started = System.nanoTime();
        final ProgressBar bar = ProgressBar.forStderr(err, "report");
        final JournalPostMortem.Read read;
        try {
            read = JournalPostMortem.read(dir, mapTime, args.flag("from-start"), bar);
        } catch (JournalException e) {
            bar.done();
            err.println("perpcore report: " + e.getMessage());
            return 2;
        }
        bar.done();
        final PostMortem pm = read.postMortem();
        if (pm.map() != null) {
            err.printf("perpcore report: the liquidation map's state from %s and %,d command%s after it%n",
                read.fromSnapshotSeq() < 0 ? "the first command" : "the snapshot at seq " + read.fromSnapshotSeq(),
                read.replayed(), read.replayed() == 1 ? "" : "s");
        }
        final Path html;
        try {
            html = ReportFiles.write(outDir, pm, dir.toString(), null);
        } catch (IOException e) {
            err.println("perpcore report: cannot write the report into " + outDir + ": " + e.getMessage());
            return 1;
        }
        out.print(TextSummary.of(pm));
        out.println("report: " + html + " (and " + outDir.resolve(ReportFiles.JSON) + ")");
        err.printf("perpcore report: done in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
