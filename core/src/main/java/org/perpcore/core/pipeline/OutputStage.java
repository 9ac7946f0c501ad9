package org.perpcore.core.pipeline;

import org.perpcore.core.command.Command;

/**
 * The stage after the engine: it sees each command with the events the engine produced for it, in sequence order,
 * and journals or fans them out. It must not keep references to the command: the slot is reused.
 */
public interface OutputStage {
    default void onStart() {
    }

    void onEvents(Command command, boolean endOfBatch);

    default void onShutdown() {
    }

    OutputStage NONE = (command, endOfBatch) -> { };
}
