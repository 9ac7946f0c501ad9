package org.perpcore.perf.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.WorkingType;
import org.perpcore.core.num.Fixed;

/**
 * What a mark tick costs with {@code waiting} active trailing sell stops on the mark (0.001 BTC each, from 1,000
 * accounts) spread over {@code rates} distinct callback rates (0.1 % to 5 %). One operation is two ticks: the mark
 * makes a new high (1e-8 above the last: the mark is not bound to the tick, and the ladder stays near 100,000 for
 * billions of operations), which moves every stop's extreme (their triggers rise with it), then falls back by as
 * much, reaching no trigger. A plain heap of triggers would re-key every stop on every new high; the
 * trailing book merges per callback rate, so the tick should cost O(rates), not O(stops).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrailingTickBenchmark {
    @Param({"1000", "1000000"})
    public int waiting;

    @Param({"1", "100"})
    public int rates;

    private Engine engine;
    private final Command high = new Command();
    private final Command back = new Command();
    private long priceE8 = StopTickBenchmark.HIGH_E8;

    @Setup(Level.Trial)
    public void setUp() {
        final Command c = new Command();
        engine = StopTickBenchmark.build(0, 0, c);
        // 0.1 % to 5 % in whole steps of 0.01 %
        final long rateStep = 490_000_000L / Math.max(1, rates - 1) / 1_000_000L * 1_000_000L;
        for (int i = 0; i < waiting; i++) {
            StopTickBenchmark.order(c, "w" + (i % StopTickBenchmark.WAITERS), Side.SELL,
                OrderType.TRAILING_STOP_MARKET, 0, 1);
            c.callbackRateE8 = 10_000_000L + (i % rates) * rateStep;
            c.workingType = WorkingType.MARK_PRICE;
            StopTickBenchmark.applyChecked(engine, c);
        }
        System.out.printf("%n[trailing tick] %,d trailing stops waiting, %d callback rates, %,d orders open%n",
            waiting, rates, engine.openOrderCount());
    }

    /** A new high 1e-8 up, then as much back: extremes move, nothing fires. */
    @Benchmark
    @OperationsPerInvocation(2)
    public int tick() {
        priceE8++;
        StopTickBenchmark.mark(high, priceE8);
        engine.apply(high);
        StopTickBenchmark.mark(back, priceE8 - 1);
        engine.apply(back);
        return high.events().count() + back.events().count();
    }

    /** The ladder climbs 1e-8 per operation: 0.1 % (the smallest callback) would take 10^10 operations. */
    @Setup(Level.Iteration)
    public void checkRoom() {
        if (priceE8 > StopTickBenchmark.HIGH_E8 + 10 * Fixed.E8) {
            throw new IllegalStateException("the mark ladder climbed too far: " + priceE8);
        }
    }
}
