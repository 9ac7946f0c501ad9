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
 * Passive limit orders that rest: commands per second of {@code engine.apply} for new GTC/GTX limit orders
 * placed 1 to 32 ticks behind the touch of a warm book ({@link WarmBook}: about 8,200 resting orders of 4,096
 * accounts, market makers at the touch). None of them crosses; each is validated, gets a client-id entry, an
 * order id, a place in its level's queue (a new level when its price is empty) and a NEW event.
 *
 * <p>Steady state: one invocation places a batch of {@value #BATCH} orders (the measured part); an
 * invocation-level teardown, not measured, cancels them all in random order, so every invocation starts from
 * the same book and the same client ids are free again. Batches are long enough (about a millisecond) for the
 * per-invocation timestamps JMH takes to be noise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PlaceBenchmark {
    static final int BATCH = 4096;

    private Engine engine;
    private Command[] places;
    private Command[] cancels;

    @Setup(Level.Trial)
    public void setUp() {
        final WarmBook book = new WarmBook(11, true, 1);
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

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void place() {
        final Engine e = engine;
        for (Command c : places) {
            e.apply(c);
        }
    }

    @TearDown(Level.Invocation)
    public void cancelBatch() {
        final Engine e = engine;
        for (Command c : cancels) {
            e.apply(c);
        }
    }

    @TearDown(Level.Iteration)
    public void checkSteady() {
        EngineFixture.checkNoRejects(places, "place");
        EngineFixture.checkNoRejects(cancels, "place (cancel of the batch)");
    }
}
