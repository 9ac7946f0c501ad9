package org.perpcore.core.pipeline;

import org.perpcore.core.command.Command;

/**
 * Runs on the engine thread right after the engine applied a command and before it applies the next one, in both
 * layouts: the one moment outside the engine when its state may be read consistently. The journal uses it to write
 * a snapshot after a {@code SNAPSHOT} command. It must not change engine state, and whatever it costs stalls the
 * engine: keep it to rare commands.
 */
public interface EngineHook {
    /** Called once on the engine thread before the first command. */
    default void onStart() {
    }

    /** The engine has just applied {@code command} (its events are in {@code command.events()}). */
    void afterApply(Command command);

    /** Called once on the engine thread after the last command. */
    default void onShutdown() {
    }

    /** A hook that does nothing. */
    EngineHook NONE = command -> { };
}
