package org.perpcore.perf.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;

/**
 * Cancels of live orders by client order id: commands per second of {@code engine.apply} for CANCEL_ORDER on
 * resting limit orders 1 to 32 ticks behind the touch of a warm book ({@link WarmBook}: about 8,200 resting
 * orders of 4,096 accounts besides the batch). Each cancel finds its order through the client-id index, unlinks
 * it from its level (removing the level when it empties), from its account and from the order-id map, and
 * emits a CANCELED event.
 *
 * <p>Steady state: an invocation-level setup, not measured, places a batch of {@value #BATCH} orders; the
 * invocation cancels all of them in an order unrelated to the placing order. Every invocation starts from the
 * same book.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CancelBenchmark {
    static final int BATCH = 4096;

    private Engine engine;
    private Command[] places;
    private Command[] cancels;

    @Setup(Level.Trial)
    public void setUp() {
        final WarmBook book = new WarmBook(12, true, 1);
        engine = book.fixture.engine();
        final WarmBook.Slot[] slots = book.freeSlots(BATCH);
        places = new Command[BATCH];
        cancels = new Command[BATCH];
        final int[] cancelOrder = book.shuffledIndexes(BATCH);
        for (int i = 0; i < BATCH; i++) {
            places[i] = slots[i].place();
            cancels[i] = slots[cancelOrder[i]].cancel();
        }
        EngineFixture.stamp(places);
        EngineFixture.stamp(cancels);
    }

    @Setup(Level.Invocation)
    public void placeBatch() {
        final Engine e = engine;
        for (Command c : places) {
            e.apply(c);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void cancel() {
        final Engine e = engine;
        for (Command c : cancels) {
            e.apply(c);
        }
    }

    @TearDown(Level.Iteration)
    public void checkSteady() {
        EngineFixture.checkNoRejects(places, "cancel (place of the batch)");
        EngineFixture.checkNoRejects(cancels, "cancel");
    }
}
