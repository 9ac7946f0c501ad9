package org.perpcore.perf.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bin/perpcore bench jmh [pattern] [JMH options]}: JMH with the GC profiler on by default (allocation per
 * operation, {@code gc.alloc.rate.norm}), unless another {@code -prof} is given. The pattern {@code hot} stands for
 * the hot-path suites: matching, margin check, liquidation-price update, trigger index (margin heaps, stops,
 * trailing stops), liquidation, journal append and codec. Any other pattern or option goes to JMH unchanged.
 */
public final class JmhMain {
    /** The hot paths, for {@code bench jmh hot}. */
    static final String HOT = "org.perpcore.perf.jmh.(Place|Match|Cancel|Mix|MarginCheck|LiquidationPrice"
        + "|MarkTick|StopTick|TrailingTick|JournalAppend|Codec)Benchmark.*"
        + "|org.perpcore.perf.liquidation.LiquidationBenchmark.*";

    private JmhMain() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(arguments(args));
    }

    static String[] arguments(String[] args) {
        final List<String> a = new ArrayList<>();
        boolean profiler = false;
        for (String s : args) {
            a.add(s.equals("hot") ? HOT : s);
            profiler |= s.equals("-prof");
        }
        if (!profiler && !a.contains("-h") && !a.contains("-l") && !a.contains("-lp")) {
            a.addAll(Arrays.asList("-prof", "gc"));
        }
        return a.toArray(String[]::new);
    }
}
