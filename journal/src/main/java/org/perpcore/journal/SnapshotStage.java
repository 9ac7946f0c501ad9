package org.perpcore.journal;

import java.nio.file.Path;
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
 */
final class SnapshotStage implements EngineHook {
    private final Engine engine;
    private final SnapshotStore store;
    private final Consumer<String> warnings;
    private volatile long written;
    private volatile long failed;
    private volatile long lastSeq = -1;

    SnapshotStage(Engine engine, SnapshotStore store, Consumer<String> warnings) {
        this.engine = engine;
        this.store = store;
        this.warnings = warnings;
    }

    @Override
    public void afterApply(Command command) {
        if (command.type != CommandType.SNAPSHOT) {
            return;
        }
        try {
            final Path file = store.write(engine);
            written++;
            lastSeq = command.seq;
            if (file == null) {
                failed++;
            }
        } catch (Exception e) {
            failed++;
            warnings.accept("perpcore: the snapshot at seq " + command.seq + " could not be written (" + e
                + "); the journal has every command, and the next recovery writes it again");
        }
    }

    long written() {
        return written;
    }

    long failed() {
        return failed;
    }

    long lastSeq() {
        return lastSeq;
    }
}
