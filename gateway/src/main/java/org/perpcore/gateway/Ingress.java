package org.perpcore.gateway;

import java.util.function.LongSupplier;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.pipeline.CommandBus;

/**
 * The one door into the command bus (the pipeline, or a cluster) for every connection: stamps the command's time
 * from the gateway's clock (once, here; the engine never reads a clock; a cluster replaces it with its log's time),
 * registers who waits for the answer under a fresh correlation id, and publishes. Thread safe; each thread fills its own reused command, which the ring copies into a slot.
 */
public final class Ingress {
    private final CommandBus bus;
    private final LongSupplier clockMs;
    private final Pendings pending;
    private final ThreadLocal<Command> scratch = ThreadLocal.withInitial(Command::new);

    public Ingress(CommandBus bus, LongSupplier clockMs, Pendings pending) {
        this.bus = bus;
        this.clockMs = clockMs;
        this.pending = pending;
    }

    public long nowMs() {
        return clockMs.getAsLong();
    }

    /** A cleared command of this thread to fill, with its time stamped. */
    public Command command(CommandType type) {
        final Command c = scratch.get().clear();
        c.type = type;
        c.timestampMs = clockMs.getAsLong();
        c.ingressNanos = System.nanoTime();
        return c;
    }

    /** Stamps a command filled elsewhere (a parsed scenario line) with the gateway's time. */
    public Command stamp(Command c) {
        c.timestampMs = clockMs.getAsLong();
        c.ingressNanos = System.nanoTime();
        return c;
    }

    /** Publishes {@code c}; {@code p} (may be null) is answered by the output stage once the engine applied it. */
    public void submit(Command c, Pending p) {
        if (p != null) {
            c.correlationId = pending.register(p);
        }
        bus.publish(c);
    }

    /** A read of the output stage's read model, in sequence with every command before it. */
    public void read(Pending p) {
        submit(command(CommandType.TICK), p);
    }
}
