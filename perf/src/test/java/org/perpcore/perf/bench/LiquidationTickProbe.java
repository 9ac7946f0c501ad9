package org.perpcore.perf.bench;

import java.util.Arrays;
import java.util.Locale;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.engine.Position;

/**
 * A timing probe, not a test: {@link BenchWorkload}'s setup, warm-up flow and walk applied to a bare {@link Engine}
 * in a loop (no pipeline, no journal), timing every mark tick and splitting the ticks by how many victims they
 * liquidated. Run it under {@code flock /work/bench.lock} (docs/PERFORMANCE.md, "the open lead"):
 * {@code java -cp ... org.perpcore.perf.bench.LiquidationTickProbe [accounts] [share] [walkTicks] [rounds]}.
 */
final class LiquidationTickProbe {
    private static final int FLOW_PER_TICK = 200;

    private LiquidationTickProbe() {
    }

    public static void main(String[] args) {
        final int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 1_001;
        final double share = args.length > 1 ? Double.parseDouble(args[1]) : 0.01;
        final int walkTicks = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        final int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        final long[] none = new long[rounds * walkTicks];
        final long[] one = new long[rounds * walkTicks];
        final long[] many = new long[rounds * walkTicks];
        final long[][] byRound = new long[rounds][walkTicks];
        final int[] byRoundCount = new int[rounds];
        if (Boolean.getBoolean("probe.warmFixture")) {
            warmWithFixture();
        }
        long oneEvents = 0;
        long oneTicks = 0;
        int noneCount = 0;
        int oneCount = 0;
        int manyCount = 0;
        for (int r = 0; r < rounds; r++) {
            final BenchWorkload w = new BenchWorkload(accounts, share, 0, 20251010L + r);
            final Engine engine = new Engine(1 << 12, accounts + 256);
            final Command c = new Command();
            while (w.nextSetup(c)) {
                engine.apply(c);
            }
            long n = 0;
            for (int k = 0; k < 200; k++) {
                for (int f = 0; f < FLOW_PER_TICK; f++) {
                    engine.apply(w.flow(n++));
                }
                BenchWorkload.index(c, BenchWorkload.warmTickE8(k));
                engine.apply(c);
            }
            int open = openVictims(engine, w.victims);
            for (int k = 0; k < walkTicks; k++) {
                for (int f = 0; f < FLOW_PER_TICK; f++) {
                    engine.apply(w.flow(n++));
                }
                BenchWorkload.index(c, BenchWorkload.walkTickE8(k, walkTicks));
                final long t0 = System.nanoTime();
                engine.apply(c);
                final long ns = System.nanoTime() - t0;
                final int nowOpen = openVictims(engine, w.victims);
                final int liquidated = open - nowOpen;
                open = nowOpen;
                if (liquidated == 1) {
                    oneEvents += c.events().count();
                    oneTicks++;
                    byRound[r][byRoundCount[r]++] = ns;
                }
                if (r < rounds / 3) {
                    continue; // the first rounds warm the JIT
                }
                if (liquidated == 0) {
                    none[noneCount++] = ns;
                } else if (liquidated == 1) {
                    one[oneCount++] = ns;
                } else {
                    many[manyCount++] = ns;
                }
            }
        }
        System.out.printf(Locale.ROOT, "accounts %d share %.4f walk %d rounds %d%n", accounts, share, walkTicks, rounds);
        print("no liquidation", none, noneCount);
        print("one liquidation", one, oneCount);
        print("several", many, manyCount);
        System.out.printf(Locale.ROOT, "events per one-liquidation tick: %.1f (issue 4's fixture, one victim: %d)%n",
            (double) oneEvents / Math.max(1, oneTicks), fixtureEvents());
        for (int r = 0; r < rounds; r++) {
            print("round " + r + " one", byRound[r], byRoundCount[r]);
        }
    }

    /** What BenchRun.warmJit did before a run until it ran the workload itself: ticks of issue 4's fixture. */
    private static void warmWithFixture() {
        final java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.PrintStream.nullOutputStream()));
        try {
            final org.perpcore.perf.liquidation.LiquidationFixture f =
                new org.perpcore.perf.liquidation.LiquidationFixture(2_000, 4);
            for (int i = 0; i < 5_000; i++) {
                f.engine().apply(f.stamp(f.down()));
                f.restore();
            }
        } finally {
            System.setOut(out);
        }
    }

    /** The events of one liquidating tick of issue 4's fixture with one victim (same engine code, other book). */
    private static int fixtureEvents() {
        final org.perpcore.perf.liquidation.LiquidationFixture f =
            new org.perpcore.perf.liquidation.LiquidationFixture(2_000, 1);
        final Command down = f.stamp(f.down());
        f.engine().apply(down);
        return down.events().count();
    }

    private static int openVictims(Engine engine, int victims) {
        int open = 0;
        for (int v = 0; v < victims; v++) {
            final Position p = engine.account("v" + v).position(0);
            if (p != null && p.sizeLots() != 0) {
                open++;
            }
        }
        return open;
    }

    private static void print(String what, long[] ns, int count) {
        if (count == 0) {
            System.out.printf(Locale.ROOT, "%-16s ticks 0%n", what);
            return;
        }
        final long[] s = Arrays.copyOf(ns, count);
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-16s ticks %6d  p50 %9.2f us  p90 %9.2f us%n", what, count,
            s[count / 2] / 1e3, s[(int) (count * 0.9)] / 1e3);
    }
}
