package org.perpcore.perf.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.risk.Brackets;
import org.perpcore.core.risk.RiskMath;
import org.perpcore.core.sim.SplitMix64;

/**
 * The liquidation-price update every fill and balance change makes to a position: {@link
 * RiskMath#liquidationPriceE8} (Binance's formula with the tier found exactly, 128-bit products) over 1,024
 * seeded cross positions of 0.001 to 30 BTC, long and short, at 2x to 100x, on Binance's ten BTCUSDT tiers, so
 * positions from the first tier to the fifth are in the mix. One operation is one position's price; average time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LiquidationPriceBenchmark {
    static final int N = 1024;

    private final Brackets brackets = new Brackets();
    private final long[] wallet = new long[N];
    private final long[] qty = new long[N];
    private final long[] cost = new long[N];

    @Setup
    public void setUp() {
        final long[] floors = {0, 50_000, 250_000, 1_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000,
            200_000_000, 300_000_000};
        final long[] mmr = {400_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 12_500_000, 15_000_000,
            25_000_000, 50_000_000};
        final int[] leverage = {125, 100, 50, 20, 10, 5, 4, 3, 2, 1};
        for (int t = 0; t < floors.length; t++) {
            if (brackets.add(floors[t] * Fixed.E8, mmr[t], leverage[t]) != org.perpcore.core.model.RejectCode.NONE) {
                throw new IllegalStateException("tier " + t + " refused");
            }
        }
        final SplitMix64 r = new SplitMix64(8);
        for (int i = 0; i < N; i++) {
            final long lots = 1 + r.nextLong(30_000); // 0.001 to 30 BTC
            final long entryE8 = (95_000 + r.nextLong(10_000)) * Fixed.E8;
            final long q = lots * 100_000L;
            qty[i] = r.nextInt(2) == 0 ? q : -q;
            cost[i] = entryE8 / 1_000 * lots;
            final int lev = 2 + r.nextInt(99);
            wallet[i] = cost[i] / lev;
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long liquidationPrice() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            sum += RiskMath.liquidationPriceE8(wallet[i], 0, 0, qty[i], cost[i], brackets);
        }
        return sum;
    }
}
