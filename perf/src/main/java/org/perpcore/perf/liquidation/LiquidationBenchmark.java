package org.perpcore.perf.liquidation;

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

/**
 * The liquidation path in process, on the engine: {@link LiquidationFixture} with {@code accounts} holders and
 * {@code victims} accounts that one index tick liquidates (1: a single liquidation; more: a cascade at once). One
 * invocation is that tick ({@code engine.apply}); the restore before it is an invocation-level setup, not measured
 * (it is far longer than the tick, so JMH's per-invocation timestamps cost little against it).
 * {@code @OperationsPerInvocation(victims)} is applied by hand: the score is per tick, divide by {@code victims}
 * for one liquidation (the {@code cascade} benchmark's throughput is liquidations per second directly).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Xms12g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class LiquidationBenchmark {
    @Param({"100000", "1000000"})
    public int accounts;

    private LiquidationFixture single;
    private LiquidationFixture cascade;

    /** Victims of the cascade tick. */
    public static final int CASCADE_VICTIMS = 10_000;

    @Setup(Level.Trial)
    public void setUp() {
        single = new LiquidationFixture(accounts, 1);
        cascade = new LiquidationFixture(accounts, CASCADE_VICTIMS);
    }

    /** The state of the single-liquidation benchmark; restored before each tick. */
    @State(Scope.Thread)
    public static class SingleTick {
        Command tick;

        @Setup(Level.Invocation)
        public void restore(LiquidationBenchmark b) {
            if (tick != null) {
                b.single.restore();
            }
            tick = b.single.stamp(b.single.down());
        }
    }

    @State(Scope.Thread)
    public static class CascadeTick {
        Command tick;

        @Setup(Level.Invocation)
        public void restore(LiquidationBenchmark b) {
            if (tick != null) {
                b.cascade.restore();
            }
            tick = b.cascade.stamp(b.cascade.down());
        }
    }

    /** One index tick that liquidates one account: tick to the last event, per liquidation. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int single(SingleTick s) {
        single.engine().apply(s.tick);
        return s.tick.events().count();
    }

    /** One index tick that liquidates {@value #CASCADE_VICTIMS} accounts: liquidations per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(CASCADE_VICTIMS)
    public int cascade(CascadeTick s) {
        cascade.engine().apply(s.tick);
        return s.tick.events().count();
    }
}
