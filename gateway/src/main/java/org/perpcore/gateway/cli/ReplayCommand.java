package org.perpcore.gateway.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.perpcore.journal.JournalException;
import org.perpcore.journal.JournalFiles;
import org.perpcore.journal.Replayer;

/**
 * {@code perpcore replay DIR [--to-seq N | --to-time T] [--verify [--from-snapshot]]}: rebuilds engine state from a
 * journal, read only, and prints where it got to and the state hash (key=value lines on stdout). With
 * {@code --verify} the commands are re-run from the first and their events checked against the event journal byte
 * for byte, and every snapshot passed against the replayed state: the first difference is reported with its
 * sequence number and the exit status is 1. A progress bar goes to stderr when it is a terminal.
 *
 * <p>Exit status: 0 done (and verified), 1 a difference or a damaged journal, 2 a usage error.
 */
final class ReplayCommand {
    static final String USAGE = "usage: perpcore replay DIR [--to-seq N | --to-time T] [--verify [--from-snapshot]]";
    private static final Set<String> FLAGS = Set.of("verify", "from-snapshot");

    private ReplayCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        final Args args = new Args(argv, 1, FLAGS);
        final String dir = args.positional(0);
        if (dir == null || args.positional(1) != null) {
            err.println(USAGE);
            return 2;
        }
        Replayer.Options options = Replayer.Options.ALL;
        try {
            final String toSeq = args.option("to-seq");
            if (toSeq != null) {
                options = options.withToSeq(positive(toSeq, "--to-seq"));
            }
            final String toTime = args.option("to-time");
            if (toTime != null) {
                options = options.withToTime(time(toTime));
            }
        } catch (IllegalArgumentException e) {
            err.println("perpcore replay: " + e.getMessage());
            return 2;
        }
        final boolean verify = args.flag("verify");
        if (args.flag("from-snapshot") && !verify) {
            err.println("perpcore replay: --from-snapshot goes with --verify (a plain replay starts from the latest"
                + " snapshot anyway)");
            return 2;
        }
        options = options.withVerify(verify).withFromStart(verify && !args.flag("from-snapshot"));
        final Path journal = Path.of(dir);
        if (!JournalFiles.isJournal(journal)) {
            err.println("perpcore replay: no journal at " + dir + " (no commands/ in it)");
            return 2;
        }
        final ProgressBar bar = ProgressBar.forStderr(err, "replay");
        final Replayer.Result r;
        try {
            r = Replayer.replay(journal, options.withProgress(bar));
        } catch (JournalException e) {
            bar.done();
            err.println("perpcore replay: " + e.getMessage());
            return 1;
        } finally {
            bar.done();
        }
        out.println("lastSeq=" + r.lastSeq());
        out.println("lastTime=" + (r.lastSeq() == 0 ? "-" : Instant.ofEpochMilli(r.lastTimestampMs())));
        out.println("stateHash=" + String.format("%016x", r.stateHash()));
        out.println("fromSnapshot=" + (r.fromSnapshotSeq() < 0 ? "none" : String.valueOf(r.fromSnapshotSeq())));
        out.println("replayed=" + r.replayed());
        out.println("eventDigest=" + r.eventDigest());
        if (verify) {
            out.println("verified=" + r.eventsChecked() + " commands, " + r.snapshotsChecked() + " snapshots");
        }
        if (r.divergence() != null) {
            err.println("perpcore replay: divergence at seq " + r.divergence().seq() + ": " + r.divergence().detail());
            return 1;
        }
        return 0;
    }

    private static long positive(String value, String option) {
        try {
            final long v = Long.parseLong(value);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a sequence number (0 or more), not '" + value + "'");
    }

    /** An ISO-8601 instant ({@code 2025-10-10T14:00:00Z}) or milliseconds since the epoch. */
    private static long time(String value) {
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            return Long.parseLong(value);
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--to-time must be an ISO-8601 time like 2025-10-10T14:00:00Z or"
                + " milliseconds since the epoch, not '" + value + "'");
        }
    }
}
