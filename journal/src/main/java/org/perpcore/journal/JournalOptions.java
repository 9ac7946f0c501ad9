package org.perpcore.journal;

import java.util.Objects;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;

/**
 * How a journal is opened.
 *
 * @param durability    {@link Durability#MAPPED} (default) or {@link Durability#SYNC}
 * @param onCorrupt     {@link OnCorrupt#STOP} (default) or {@link OnCorrupt#TRUNCATE}
 * @param rollCycle     Chronicle's roll cycle of the queue files (null: Chronicle's default, daily). Sequence numbers
 *                      are in the entries, so rolling never matters to readers
 * @param timeProvider  the clock Chronicle rolls files by (null: the wall clock); tests inject one
 * @param keepSnapshots how many snapshot files to keep, the newest ({@link #KEEP_ALL}, the default: every one).
 *                      After each snapshot written (and when the journal is opened) older ones are deleted; the
 *                      journal itself keeps every command, so a replay to any point still works, from an older
 *                      snapshot or from the start
 */
public record JournalOptions(Durability durability, OnCorrupt onCorrupt, RollCycle rollCycle,
                             TimeProvider timeProvider, int keepSnapshots) {
    /** {@link #keepSnapshots}: never delete a snapshot. */
    public static final int KEEP_ALL = 0;

    public static final JournalOptions DEFAULT = new JournalOptions(Durability.MAPPED, OnCorrupt.STOP, null, null,
        KEEP_ALL);

    public JournalOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(onCorrupt, "onCorrupt");
        if (keepSnapshots < 0) {
            throw new IllegalArgumentException("keepSnapshots must be at least 1, or KEEP_ALL (0)");
        }
    }

    public JournalOptions withDurability(Durability d) {
        return new JournalOptions(d, onCorrupt, rollCycle, timeProvider, keepSnapshots);
    }

    public JournalOptions withOnCorrupt(OnCorrupt o) {
        return new JournalOptions(durability, o, rollCycle, timeProvider, keepSnapshots);
    }

    public JournalOptions withRollCycle(RollCycle r, TimeProvider time) {
        return new JournalOptions(durability, onCorrupt, r, time, keepSnapshots);
    }

    /** Keeps the newest {@code k} snapshot files ({@link #KEEP_ALL}: all). */
    public JournalOptions withKeepSnapshots(int k) {
        return new JournalOptions(durability, onCorrupt, rollCycle, timeProvider, k);
    }
}
