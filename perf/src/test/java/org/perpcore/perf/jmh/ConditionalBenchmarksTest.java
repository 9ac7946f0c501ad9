package org.perpcore.perf.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.perpcore.core.event.EventType;

/**
 * The conditional-order benchmarks do what they say, cycle after cycle (every tick fires and trades exactly the
 * stops it should, nothing is refused), and a tick that fires stops, with its restoring setup, allocates nothing once
 * warm; so does a trailing stop's new high.
 */
class ConditionalBenchmarksTest {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void stopTicksFireTheirStopsEveryCycleAndAllocateNothing() {
        final StopTickBenchmark b = new StopTickBenchmark();
        b.waitingFired = "20000:300";
        b.setUp();
        for (int warm = 0; warm < 20; warm++) {
            b.beforeTick();
            b.tick();
        }
        long allocated = 0;
        for (int cycle = 0; cycle < 20; cycle++) {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            b.beforeTick();
            b.tick();
            allocated += THREADS.getCurrentThreadAllocatedBytes() - before;
            assertEquals(300, EngineFixture.count(b.lastTick(), EventType.TRADE), "trades of tick " + cycle);
        }
        assertEquals(0, allocated, "bytes allocated by 20 ticks firing 300 stops each, with their setup");
    }

    @Test
    void trailingHighsAllocateNothing() {
        final TrailingTickBenchmark b = new TrailingTickBenchmark();
        b.waiting = 20_000;
        b.rates = 100;
        b.setUp();
        for (int warm = 0; warm < 10_000; warm++) {
            b.tick();
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            b.tick();
        }
        assertEquals(0, THREADS.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 10,000 new highs");
    }
}
