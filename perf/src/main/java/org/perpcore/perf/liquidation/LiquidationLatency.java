package org.perpcore.perf.liquidation;

import java.lang.management.ManagementFactory;
import org.HdrHistogram.Histogram;
import org.perpcore.core.command.Command;

/**
 * The latency harness of the liquidation path: an index tick that liquidates one account (or {@code --victims N}
 * at once), in process on the engine, repeated {@code --samples} times after {@code --warmup} unrecorded ones,
 * each time from the same state ({@link LiquidationFixture#restore}, not timed). Each sample is
 * {@code System.nanoTime()} around {@code engine.apply(tick)}: from the tick to its last event. Percentiles come from
 * an HdrHistogram (3 significant digits). The injection is closed-loop, one tick after another, which is what an
 * in-process figure is: no queueing in front of the engine is part of it.
 *
 * <p>Command time stands still by default, so that nothing time-driven runs in the measured ticks; with
 * {@code --advance-ms N} every sample moves it N ms forward (at 10,000, every tick also refreshes the ADL
 * quantiles, when the tick reports an open position: give the maker one with {@code --maker-inventory LOTS}).
 *
 * <p>Then the allocation per tick: the thread's allocation counter around {@code apply} alone, over another
 * {@code --samples / 10} ticks.
 *
 * <pre>
 * bin/perpcore bench liquidation --accounts 1000000 [--victims 1] [--samples 200000] [--warmup 50000] [--advance-ms 0] [--maker-inventory 0]
 * </pre>
 */
public final class LiquidationLatency {
    private LiquidationLatency() {
    }

    public static void main(String[] args) {
        int accounts = 100_000;
        int victims = 1;
        int samples = 200_000;
        int warmup = 50_000;
        long advanceMs = 0;
        int inventory = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            final int v = Integer.parseInt(args[i + 1].replace("_", ""));
            switch (args[i]) {
                case "--advance-ms" -> advanceMs = v;
                case "--maker-inventory" -> inventory = v;
                case "--accounts" -> accounts = v;
                case "--victims" -> victims = v;
                case "--samples" -> samples = v;
                case "--warmup" -> warmup = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                    + " (--accounts N --victims N --samples N --warmup N --advance-ms N --maker-inventory LOTS)");
            }
        }
        final long built = System.nanoTime();
        final LiquidationFixture f = new LiquidationFixture(accounts, victims, inventory);
        System.out.printf("setup %.1f s%n", (System.nanoTime() - built) / 1e9);
        final Command tick = f.down();
        for (int i = 0; i < warmup; i++) {
            f.engine().apply(f.stamp(tick));
            f.restore();
        }
        final Histogram h = new Histogram(3_600_000_000_000L, 3);
        for (int i = 0; i < samples; i++) {
            f.advance(advanceMs);
            f.stamp(tick);
            final long t0 = System.nanoTime();
            f.engine().apply(tick);
            final long t1 = System.nanoTime();
            h.recordValue(t1 - t0);
            f.restore();
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long self = Thread.currentThread().getId();
        long allocated = 0;
        final int allocationSamples = Math.max(1, samples / 10);
        for (int i = 0; i < allocationSamples; i++) {
            f.stamp(tick);
            final long before = threads.getThreadAllocatedBytes(self);
            f.engine().apply(tick);
            allocated += threads.getThreadAllocatedBytes(self) - before;
            f.restore();
        }
        System.out.printf("liquidation latency: %,d accounts, %,d victim(s) per tick, %,d samples (after %,d warm-up),"
                + " time +%d ms a tick, java %s%n", f.engine().accountCount(), victims, samples, warmup, advanceMs,
            System.getProperty("java.version"));
        System.out.printf("  tick to last event, ns: p50 %,d  p90 %,d  p99 %,d  p99.9 %,d  p99.99 %,d  max %,d"
                + "  mean %,.0f%n", h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
            h.getValueAtPercentile(99.9), h.getValueAtPercentile(99.99), h.getMaxValue(), h.getMean());
        if (victims > 1) {
            System.out.printf("  per liquidation, ns: p50 %,.0f  p99 %,.0f; liquidations per second at the median:"
                    + " %,.0f%n", (double) h.getValueAtPercentile(50) / victims,
                (double) h.getValueAtPercentile(99) / victims, victims * 1e9 / h.getValueAtPercentile(50));
        }
        System.out.printf("  allocated per tick: %.1f bytes (thread allocation counter, %,d ticks)%n",
            (double) allocated / allocationSamples, allocationSamples);
    }
}
