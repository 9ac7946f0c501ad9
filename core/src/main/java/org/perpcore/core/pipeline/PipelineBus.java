package org.perpcore.core.pipeline;

import org.perpcore.core.command.Command;

/** The single-node {@link CommandBus}: a {@link Pipeline} (journal, engine, output stage) in this process. */
public final class PipelineBus implements CommandBus {
    private final Pipeline pipeline;

    public PipelineBus(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void publish(Command command) {
        pipeline.publish(command);
    }

    @Override
    public Throwable failure() {
        return pipeline.failure();
    }

    /** A pipeline has no clock: the front door sends the heartbeat ticks. */
    @Override
    public boolean ticksItself() {
        return false;
    }

    @Override
    public void close() {
        pipeline.close();
    }

    public Pipeline pipeline() {
        return pipeline;
    }
}
