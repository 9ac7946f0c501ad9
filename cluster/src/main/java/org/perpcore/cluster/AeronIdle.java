package org.perpcore.cluster;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * Idle strategies for every Aeron agent of a node and of the client, by name. Three nodes (each a driver, an
 * archive, a consensus module and a service: four agent threads) and a gateway share the machine, so no agent
 * may spin for long.
 */
final class AeronIdle {
    private AeronIdle() {
    }

    /**
     * {@code backoff}: a few spins and yields, then parks growing from 1 µs to 100 µs: wakes within ~0.1 ms of
     * work once idle, and costs little CPU when idle. {@code sleeping}: 1 ms sleeps: least CPU, about a millisecond
     * per hop.
     */
    static IdleStrategy create(String name) {
        return switch (name) {
            case "backoff" -> new BackoffIdleStrategy(10, 5, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MICROSECONDS.toNanos(100));
            case "sleeping" -> new SleepingMillisIdleStrategy(1);
            default -> throw new IllegalArgumentException("unknown idle strategy '" + name + "'");
        };
    }
}
