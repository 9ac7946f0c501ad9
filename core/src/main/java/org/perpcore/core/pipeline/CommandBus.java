package org.perpcore.core.pipeline;

import org.perpcore.core.command.Command;

/**
 * Where a front door (the gateway) sends its commands, whatever hosts the engine: the single-node {@link Pipeline}
 * ({@link PipelineBus}) or a replicated cluster (the {@code cluster} module's client). The bus sequences each
 * command, has the engine apply it, and hands the command with its events to the {@link OutputStage} it was built
 * with, on one thread, in sequence order, after the command is durable in the bus's sense (journaled; or committed
 * by a majority of a cluster). A front door written against this interface does not know which one it talks to.
 *
 * <p>{@link #publish} is thread safe and copies the command (the caller may reuse it at once). The command's
 * {@code correlationId} comes back on the command handed to the output stage, so a request can be matched to its
 * answer; its {@code timestampMs} is a proposal that the bus may replace with its own time (a cluster stamps the
 * time of its log, and the engine only ever sees that).
 */
public interface CommandBus extends AutoCloseable {
    /** Sequences {@code command} for the engine (blocks while the bus is full). */
    void publish(Command command);

    /** The failure that stopped the bus (an engine bug), or null while it runs. */
    Throwable failure();

    /**
     * True when the bus lets the engine's time advance on its own (a cluster's timer ticks every second): the front
     * door must then not send heartbeat ticks of its own.
     */
    boolean ticksItself();

    /** Lets what was published run through, then stops. Idempotent. */
    @Override
    void close();
}
