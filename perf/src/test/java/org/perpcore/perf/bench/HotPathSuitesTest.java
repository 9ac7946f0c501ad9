package org.perpcore.perf.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.perf.jmh.CodecBenchmark;
import org.perpcore.perf.jmh.LiquidationPriceBenchmark;
import org.perpcore.perf.jmh.MarginCheckBenchmark;

/**
 * The JMH suites added for {@code bench jmh}: their setups hold (each checks its own premise: the codec round-trips,
 * the order is rejected for margin alone) and their operations allocate nothing, by the thread's allocation
 * counter; and {@code bench jmh} turns the GC profiler on unless told otherwise.
 */
class HotPathSuitesTest {
    @Test
    void codecMarginCheckAndLiquidationPriceAllocateNothing() throws ScenarioException {
        final CodecBenchmark codec = new CodecBenchmark();
        codec.setUp();
        assertEquals(0, allocated(codec::encode), "encode");
        assertEquals(0, allocated(codec::decode), "decode");
        for (boolean position : new boolean[] {true, false}) {
            final MarginCheckBenchmark margin = new MarginCheckBenchmark();
            margin.position = position;
            margin.setUp();
            assertEquals(0, allocated(margin::check), "margin check, position " + position);
        }
        final LiquidationPriceBenchmark liq = new LiquidationPriceBenchmark();
        liq.setUp();
        assertEquals(0, allocated(liq::liquidationPrice, 1_000, 200), "liquidation price (1,024 positions an operation)");
    }

    @Test
    void jmhGetsTheGcProfilerUnlessAnotherIsGiven() {
        assertArrayEquals(new String[] {"Codec", "-f", "1", "-prof", "gc"},
            JmhMain.arguments(new String[] {"Codec", "-f", "1"}));
        assertArrayEquals(new String[] {"-prof", "stack", "Codec"},
            JmhMain.arguments(new String[] {"-prof", "stack", "Codec"}));
        assertArrayEquals(new String[] {JmhMain.HOT, "-prof", "gc"}, JmhMain.arguments(new String[] {"hot"}));
        assertArrayEquals(new String[] {"-l"}, JmhMain.arguments(new String[] {"-l"}));
    }

    /** Bytes the thread allocates over 20,000 operations after 200,000 unmeasured ones (compilation, lazy growth). */
    private static long allocated(LongSupplier op) {
        return allocated(op, 200_000, 20_000);
    }

    /**
     * The fewest bytes the thread allocates over {@code measured} operations, in any of five rounds after
     * {@code warm} unmeasured ones. Steady-state allocation shows in every round; a one-off (a method still running
     * interpreted or in C1, where escape analysis has not yet removed a temporary, as happens when a loaded machine
     * starves the JIT's compiler threads) does not.
     */
    private static long allocated(LongSupplier op, int warm, int measured) {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long self = Thread.currentThread().getId();
        long sink = 0;
        for (int i = 0; i < warm; i++) {
            sink += op.getAsLong();
        }
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 5 && fewest > 0; round++) {
            final long before = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < measured; i++) {
                sink += op.getAsLong();
            }
            fewest = Math.min(fewest, threads.getThreadAllocatedBytes(self) - before);
        }
        return sink == Long.MIN_VALUE ? -1 : fewest;
    }
}
