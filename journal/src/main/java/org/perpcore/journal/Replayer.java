package org.perpcore.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;

/**
 * Rebuilds engine state from a journal, read only: from the latest snapshot at or before the target (or from the
 * first command), applying the journaled commands up to a sequence number or a time. With verification it also
 * checks, command by command, that the events it produces are the event journal's byte for byte, and that every
 * snapshot it passes holds exactly the replayed state; the first difference stops it and is reported with its
 * sequence number.
 *
 * <p>The journal is never written: a damaged entry on the way stops the replay with a {@link JournalException}
 * (opening the journal with {@link JournaledEngine#open} is what repairs).
 */
public final class Replayer {
    private static final int PROGRESS_EVERY = 1 << 14;

    private Replayer() {
    }

    /** Called now and then with the commands replayed so far and the number to replay in all. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);

        Progress NONE = (done, total) -> { };
    }

    /**
     * What to replay.
     *
     * @param toSeq       replay commands up to this sequence number (Long.MAX_VALUE: all)
     * @param toTimeMs    stop before the first command stamped later than this (Long.MAX_VALUE: no limit)
     * @param verify      check every replayed command's events against the event journal, and every snapshot
     *                    passed against the replayed state
     * @param fromStart   ignore snapshots: replay from the first command (verification then covers the whole
     *                    journal, and the event digest is of all events)
     * @param progress    progress callback
     */
    public record Options(long toSeq, long toTimeMs, boolean verify, boolean fromStart, Progress progress) {
        public static final Options ALL = new Options(Long.MAX_VALUE, Long.MAX_VALUE, false, false, Progress.NONE);

        public Options withVerify(boolean v) {
            return new Options(toSeq, toTimeMs, v, fromStart, progress);
        }

        public Options withFromStart(boolean f) {
            return new Options(toSeq, toTimeMs, verify, f, progress);
        }

        public Options withToSeq(long seq) {
            return new Options(seq, toTimeMs, verify, fromStart, progress);
        }

        public Options withToTime(long ms) {
            return new Options(toSeq, ms, verify, fromStart, progress);
        }

        public Options withProgress(Progress p) {
            return new Options(toSeq, toTimeMs, verify, fromStart, p);
        }
    }

    /**
     * The outcome.
     *
     * @param lastSeq         the last command applied (the snapshot's when nothing followed it; 0 for none)
     * @param lastTimestampMs its timestamp
     * @param stateHash       the engine's state hash after it
     * @param fromSnapshotSeq the snapshot the replay started from, or -1
     * @param replayed        commands applied
     * @param eventsChecked   commands whose events were compared with the event journal
     * @param snapshotsChecked snapshots compared with the replayed state
     * @param eventDigest     SHA-256 (hex) of the produced events, seq by seq (seq, count, length, bytes)
     * @param divergence      the first difference found by verification, or null
     * @param engine          the rebuilt engine
     */
    public record Result(long lastSeq, long lastTimestampMs, long stateHash, long fromSnapshotSeq, long replayed,
                         long eventsChecked, long snapshotsChecked, String eventDigest, Divergence divergence,
                         Engine engine) {
    }

    /** A difference between the replay and the journal, at a sequence number. */
    public record Divergence(long seq, String detail) {
    }

    public static Result replay(Path dir, Options options) {
        if (!JournalFiles.isJournal(dir)) {
            throw new JournalException(dir + " is not a Perpcore journal (no " + JournalFiles.COMMANDS + "/ in it)");
        }
        final SnapshotStore store = new SnapshotStore(dir);
        final Map<Long, SnapshotInfo> snapshotsBySeq = new HashMap<>();
        final List<SnapshotInfo> snapshots = store.list();
        for (SnapshotInfo s : snapshots) {
            snapshotsBySeq.put(s.seq(), s);
        }
        final boolean hasEvents = Files.isDirectory(dir.resolve(JournalFiles.EVENTS));
        if (options.verify() && !hasEvents) {
            throw new JournalException(dir + " has no event journal to verify against");
        }
        try (SingleChronicleQueue commands = JournalReader.openReadOnly(dir);
             SingleChronicleQueue events = options.verify() ? EventJournalReader.openReadOnly(dir) : null) {
            final long entries = JournalFiles.lastSeq(commands, JournalFiles.COMMANDS);
            Engine engine = null;
            long startSeq = 0;
            long lastTimestamp = 0;
            if (!options.fromStart()) {
                for (int i = snapshots.size() - 1; i >= 0 && engine == null; i--) {
                    final SnapshotInfo s = snapshots.get(i);
                    if (s.problem() == null && s.seq() <= Math.min(options.toSeq(), entries)
                        && s.nowMs() <= options.toTimeMs()) {
                        engine = store.restore(s); // a damaged one throws: a replay says so rather than guess
                        startSeq = s.seq();
                        lastTimestamp = s.nowMs();
                    }
                }
            }
            final long fromSnapshot = engine == null ? -1 : startSeq;
            if (engine == null) {
                engine = new Engine();
            }
            final MessageDigest digest = sha256();
            final byte[] header = new byte[16];
            final long total = Math.max(0, Math.min(options.toSeq(), entries) - startSeq);
            long replayed = 0;
            long eventsChecked = 0;
            long snapshotsChecked = 0;
            long lastSeq = startSeq;
            Divergence divergence = null;
            // read on this thread: reading ahead on a second one (CommandReadAhead) was slower on 2 cores
            // (docs/PERFORMANCE.md, "Journal")
            final Command c = new Command();
            try (JournalReader reader = new JournalReader(commands, false, startSeq + 1);
                 EventJournalReader eventReader = events == null ? null
                     : new EventJournalReader(events, false, startSeq + 1)) {
                options.progress().update(0, total);
                while (lastSeq < options.toSeq() && reader.next(c)) {
                    if (c.timestampMs > options.toTimeMs()) {
                        break;
                    }
                    engine.apply(c);
                    lastSeq = c.seq;
                    lastTimestamp = c.timestampMs;
                    replayed++;
                    JournalEntries.putLong(header, 0, c.seq);
                    JournalEntries.putInt(header, 8, c.events().count());
                    JournalEntries.putInt(header, 12, c.events().length());
                    digest.update(header);
                    digest.update(c.events().buffer().byteArray(), 0, c.events().length());
                    if (eventReader != null) {
                        if (!eventReader.next()) {
                            divergence = new Divergence(c.seq, "the event journal ends at seq " + eventReader.seq()
                                + ": the events of seq " + c.seq + " onwards were not journaled (a crash before the"
                                + " output stage? opening the journal writes them again)");
                            break;
                        }
                        final String difference = Recovery.difference(c, eventReader, eventReader.events(),
                            c.events().length());
                        if (difference != null) {
                            divergence = new Divergence(c.seq, "the replayed events differ from the journal's: "
                                + difference);
                            break;
                        }
                        eventsChecked++;
                        final SnapshotInfo s = snapshotsBySeq.get(c.seq);
                        if (s != null) {
                            final String problem = s.problem() != null ? s.problem() : store.compare(s, engine);
                            if (problem != null) {
                                divergence = new Divergence(c.seq, "snapshot " + s.file().getFileName() + ": "
                                    + problem);
                                break;
                            }
                            snapshotsChecked++;
                        }
                    }
                    if (replayed % PROGRESS_EVERY == 0) {
                        options.progress().update(replayed, total);
                    }
                }
                options.progress().update(replayed, total);
            }
            return new Result(lastSeq, lastTimestamp, engine.stateHash(), fromSnapshot, replayed, eventsChecked,
                snapshotsChecked, HexFormat.of().formatHex(digest.digest()), divergence, engine);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
