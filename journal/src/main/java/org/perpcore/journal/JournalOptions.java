package org.perpcore.journal;

import java.util.Objects;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;

/**
 * How a journal is opened.
 *
 * @param durability   {@link Durability#MAPPED} (default) or {@link Durability#SYNC}
 * @param onCorrupt    {@link OnCorrupt#STOP} (default) or {@link OnCorrupt#TRUNCATE}
 * @param rollCycle    Chronicle's roll cycle of the queue files (null: Chronicle's default, daily). Sequence numbers
 *                     are in the entries, so rolling never matters to readers
 * @param timeProvider the clock Chronicle rolls files by (null: the wall clock); tests inject one
 */
public record JournalOptions(Durability durability, OnCorrupt onCorrupt, RollCycle rollCycle,
                             TimeProvider timeProvider) {
    public static final JournalOptions DEFAULT = new JournalOptions(Durability.MAPPED, OnCorrupt.STOP, null, null);

    public JournalOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(onCorrupt, "onCorrupt");
    }

    public JournalOptions withDurability(Durability d) {
        return new JournalOptions(d, onCorrupt, rollCycle, timeProvider);
    }

    public JournalOptions withOnCorrupt(OnCorrupt o) {
        return new JournalOptions(durability, o, rollCycle, timeProvider);
    }

    public JournalOptions withRollCycle(RollCycle r, TimeProvider time) {
        return new JournalOptions(durability, onCorrupt, r, time);
    }
}
