package org.perpcore.core.pipeline;

import org.perpcore.core.command.Command;

/**
 * A stage that sees each sequenced command before the engine does: the journal stage. Runs on its own pipeline
 * thread (or on the engine thread when the layout fuses the two), in sequence order.
 */
public interface CommandStage {
    /** Called once on the stage's thread before the first command (create single-threaded resources here). */
    default void onStart() {
    }

    /**
     * One command, already carrying its sequence number.
     *
     * @param endOfBatch true on the last command of a batch the ring delivered at once: flush here
     */
    void onCommand(Command command, boolean endOfBatch);

    /** Called once on the stage's thread after the last command. */
    default void onShutdown() {
    }

    /** A stage that does nothing. */
    CommandStage NONE = (command, endOfBatch) -> { };
}
