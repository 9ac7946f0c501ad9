package org.perpcore.gateway.postmortem;

import java.nio.file.Files;
import java.nio.file.Path;
import org.perpcore.core.engine.Engine;
import org.perpcore.journal.EventJournalReader;
import org.perpcore.journal.JournalException;
import org.perpcore.journal.JournalFiles;
import org.perpcore.journal.Replayer;

/**
 * The post-mortem of a journal: its event journal read from the first entry into a {@link PostMortemBuilder}, and
 * the liquidation map from the engine state replayed from its command journal up to the map's time, from the latest
 * snapshot at or before it (the demo journals one at its map's time, so the default map needs no replay). Read
 * only.
 */
public final class JournalPostMortem {
    /** The default map time lies this long before the minute of the mark's low: the positions going into it. */
    public static final long MAP_LEAD_MS = 30 * 60_000L;

    private JournalPostMortem() {
    }

    /** The journal's events fed into {@code builder}, in sequence order; returns the number of entries read. */
    public static long readEvents(Path dir, PostMortemBuilder builder, Replayer.Progress progress) {
        requireJournal(dir);
        long n = 0;
        try (EventJournalReader reader = new EventJournalReader(dir)) {
            final long total = reader.entryCount();
            while (reader.next()) {
                builder.accept(reader.seq(), reader.timestampMs(), reader.events(), 0, reader.length());
                if (++n % 65_536 == 0) {
                    progress.update(n, total);
                }
            }
            progress.update(n, total);
        }
        return n;
    }

    /**
     * Refuses, before Chronicle is asked to open anything, a directory without both queues of a journal.
     *
     * @throws JournalException saying which is missing
     */
    static void requireJournal(Path dir) {
        if (!Files.isDirectory(dir.resolve(JournalFiles.EVENTS))) {
            throw new JournalException(dir + " has no event journal (no " + JournalFiles.EVENTS + "/ in it)");
        }
        if (!JournalFiles.isJournal(dir)) {
            throw new JournalException(dir + " is not a Perpcore journal (no " + JournalFiles.COMMANDS + "/ in it)");
        }
    }

    /**
     * The post-mortem of {@code dir}, with the liquidation map at {@code mapTimeMs} (or, when null, at
     * {@link #defaultMapTime}), its state rebuilt from the latest snapshot at or before that time.
     *
     * @throws JournalException when the journal is missing, has no event journal, or is damaged
     */
    public static PostMortem read(Path dir, Long mapTimeMs, Replayer.Progress progress) {
        return read(dir, mapTimeMs, false, progress).postMortem();
    }

    /**
     * A post-mortem and how its liquidation map's state was rebuilt.
     *
     * @param fromSnapshotSeq the snapshot the replay to the map's time started from, or -1 (from the first command,
     *                        or no map)
     * @param replayed        the commands replayed after it
     */
    public record Read(PostMortem postMortem, long fromSnapshotSeq, long replayed) {
    }

    /**
     * As {@link #read(Path, Long, Replayer.Progress)}; with {@code fromStart} the map's state is replayed from the
     * first command, ignoring snapshots (the same state: a check, and the time it saves).
     */
    public static Read read(Path dir, Long mapTimeMs, boolean fromStart, Replayer.Progress progress) {
        final PostMortemBuilder builder = new PostMortemBuilder();
        if (readEvents(dir, builder, progress) == 0) {
            throw new JournalException(dir + ": the event journal is empty");
        }
        final PostMortem events = builder.build(null);
        if (events.symbol().isEmpty()) {
            return new Read(events, -1, 0);
        }
        final long timeMs = mapTimeMs != null ? mapTimeMs : defaultMapTime(events);
        final Replayer.Result r = Replayer.replay(dir, Replayer.Options.ALL.withToTime(timeMs)
            .withFromStart(fromStart));
        final Engine engine = r.engine();
        // null when the time lies before the market was created
        final LiquidationMap map = engine.market(events.symbol()) == null ? null
            : LiquidationMap.of(engine, events.symbol());
        return new Read(builder.build(map), r.fromSnapshotSeq(), r.replayed());
    }

    /** The post-mortem of {@code dir} from its events alone: no liquidation map (no replay). */
    public static PostMortem eventsOnly(Path dir, Replayer.Progress progress) {
        final PostMortemBuilder builder = new PostMortemBuilder();
        if (readEvents(dir, builder, progress) == 0) {
            throw new JournalException(dir + ": the event journal is empty");
        }
        return builder.build(null);
    }

    /**
     * {@link #MAP_LEAD_MS} before the minute of the mark's low, within the run (its end when there was no mark).
     */
    public static long defaultMapTime(PostMortem pm) {
        final MinuteSeries s = pm.series();
        final long first = s.startMs();
        final long last = s.timeMs(s.size() - 1) + 59_999;
        final long low = pm.totals().markLowAtMs();
        if (low <= 0) {
            return last;
        }
        return mapTimeBefore(low, first, last);
    }

    /** The map time for a run whose low is at {@code lowMs}: {@link #MAP_LEAD_MS} before its minute, clamped. */
    public static long mapTimeBefore(long lowMs, long firstMs, long lastMs) {
        final long t = Math.floorDiv(lowMs, 60_000L) * 60_000L - MAP_LEAD_MS;
        return Math.max(firstMs, Math.min(lastMs, t));
    }
}
