package org.perpcore.journal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.pipeline.EngineHook;

/**
 * Writes a snapshot file on the engine thread right after the engine applied a {@code SNAPSHOT} command, so the
 * snapshot holds exactly the state after that sequence number (in both pipeline layouts the hook runs between
 * that command and the next). The engine waits while the file is written and synced: snapshots are for rare
 * commands (an operator's request, a timer every few minutes).
 *
 * <p>A snapshot that cannot be written (a full disk) is reported and counted, and the pipeline goes on: the
 * journal still holds every command, and the next recovery writes the missing snapshot again when it replays
 * past its command.
 *
 * <p>After each snapshot written, the oldest files beyond the newest {@link JournalOptions#keepSnapshots} are
 * deleted ({@link SnapshotStore#prune}).
 */
final class SnapshotStage implements EngineHook {
    private final Engine engine;
    private final SnapshotStore store;
    private final int keep;
    private final Consumer<String> warnings;
    private volatile long written;
    private volatile long failed;
    private volatile SnapshotInfo last;
    /** The snapshots written lately, by seq, for readers on other threads that ask about one of them. */
    private final Map<Long, SnapshotInfo> recent = Collections.synchronizedMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, SnapshotInfo> eldest) {
            return size() > RECENT;
        }
    });
    private static final int RECENT = 64;

    /** @param keep snapshot files to keep after each write ({@link JournalOptions#KEEP_ALL}: all) */
    SnapshotStage(Engine engine, SnapshotStore store, int keep, Consumer<String> warnings) {
        this.engine = engine;
        this.store = store;
        this.keep = keep;
        this.warnings = warnings;
    }

    @Override
    public void afterApply(Command command) {
        if (command.type != CommandType.SNAPSHOT) {
            return;
        }
        final SnapshotInfo info;
        try {
            info = store.write(engine);
        } catch (Exception e) {
            failed++;
            warnings.accept("perpcore: the snapshot at seq " + command.seq + " could not be written (" + e
                + "); the journal has every command, and the next recovery writes it again");
            return;
        }
        last = info;
        recent.put(info.seq(), info);
        written++;
        try {
            store.prune(keep);
        } catch (Exception e) {
            warnings.accept("perpcore: older snapshots could not be deleted after the one at seq " + command.seq
                + " (" + e + "); the next snapshot tries again");
        }
    }

    long written() {
        return written;
    }

    long failed() {
        return failed;
    }

    /** The snapshot written for the SNAPSHOT command at {@code seq}, if among the last few written; else null. */
    SnapshotInfo writtenAt(long seq) {
        return recent.get(seq);
    }

    /** The snapshot written last since the journal was opened, or null. */
    SnapshotInfo last() {
        return last;
    }
}
