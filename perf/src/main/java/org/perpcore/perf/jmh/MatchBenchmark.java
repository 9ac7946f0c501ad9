package org.perpcore.perf.jmh;

import java.util.ArrayList;
import java.util.List;
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
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;

/**
 * Aggressive orders that trade: commands per second of {@code engine.apply} for takers that fill in full
 * against resting makers, three quarters IOC limit orders and one quarter market orders, buys and sells in
 * random order, 1 to {@value #MAX_TAKER_LOTS} lots each. A taker trades with about 1.3 makers on average
 * (sometimes across two price levels) and emits NEW, then TRADE plus a maker and a taker ORDER event per fill;
 * filled makers leave the book.
 *
 * <p>The book: a zone of {@value #ZONE_LEVELS} levels per side at the touch, holding maker orders of 20 to 60
 * lots whose total on each side equals the takers' total on that side, in front of the retail depth of
 * {@link WarmBook} (about 8,200 orders). Steady state: an invocation-level setup, not measured, places the
 * zone; the invocation's {@value #BATCH} takers consume it exactly, and nothing else. Each IOC is limited to the
 * price at which its last lot trades, and a market order never needs more than what is left in the zone, so the
 * retail depth is never touched and every invocation starts from the same book.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MatchBenchmark {
    static final int BATCH = 1024;
    static final int ZONE_LEVELS = 8;
    static final int MAX_TAKER_LOTS = 26;

    private Engine engine;
    private Command[] zone;
    private Command[] takers;
    private int depthOrders;

    @Setup(Level.Trial)
    public void setUp() {
        final WarmBook book = new WarmBook(13, false, ZONE_LEVELS);
        engine = book.fixture.engine();
        depthOrders = engine.openOrderCount();
        final Side[] sides = new Side[BATCH];
        final long[] lots = new long[BATCH];
        final long[] sideLots = new long[2];
        for (int i = 0; i < BATCH; i++) {
            sides[i] = i < BATCH / 2 ? Side.BUY : Side.SELL;
            lots[i] = 1 + book.random.nextInt(MAX_TAKER_LOTS);
            sideLots[sides[i] == Side.BUY ? 1 : 0] += lots[i];
        }
        final int[] order = book.shuffledIndexes(BATCH);
        final List<Command> zoneOrders = new ArrayList<>();
        final long[][] makerLots = new long[2][];
        final long[][] makerPrice = new long[2][];
        for (int side = 0; side < 2; side++) {
            final List<Long> sizes = new ArrayList<>();
            long remaining = sideLots[side];
            while (remaining > 0) {
                long l = 20 + book.random.nextInt(41);
                if (remaining - l < 20) {
                    l = remaining;
                }
                sizes.add(l);
                remaining -= l;
            }
            makerLots[side] = new long[sizes.size()];
            makerPrice[side] = new long[sizes.size()];
            for (int i = 0; i < sizes.size(); i++) {
                final long offset = (long) i * ZONE_LEVELS / sizes.size();
                final Side makerSide = side == 0 ? Side.BUY : Side.SELL;
                makerLots[side][i] = sizes.get(i);
                makerPrice[side][i] = side == 0
                    ? EngineFixture.BEST_BID_TICKS - offset : EngineFixture.BEST_ASK_TICKS + offset;
                zoneOrders.add(EngineFixture.limit(WarmBook.makerAccount(i % WarmBook.MM_ACCOUNTS), book.clientId(),
                    makerSide, makerPrice[side][i], makerLots[side][i], TimeInForce.GTC));
            }
        }
        zone = zoneOrders.toArray(new Command[0]);
        takers = new Command[BATCH];
        final int[] front = new int[2];
        final long[] frontLeft = {makerLots[0][0], makerLots[1][0]};
        for (int n = 0; n < BATCH; n++) {
            final int i = order[n];
            final int side = sides[i] == Side.BUY ? 1 : 0;
            long need = lots[i];
            long lastPrice = 0;
            while (need > 0) {
                final long take = Math.min(need, frontLeft[side]);
                need -= take;
                frontLeft[side] -= take;
                lastPrice = makerPrice[side][front[side]];
                if (frontLeft[side] == 0 && front[side] + 1 < makerLots[side].length) {
                    front[side]++;
                    frontLeft[side] = makerLots[side][front[side]];
                }
            }
            takers[n] = book.random.nextInt(4) == 0
                ? EngineFixture.market(book.randomRetailAccount(), book.clientId(), sides[i], lots[i])
                : EngineFixture.limit(book.randomRetailAccount(), book.clientId(), sides[i], lastPrice, lots[i],
                    TimeInForce.IOC);
        }
        EngineFixture.stamp(zone);
        EngineFixture.stamp(takers);
    }

    @Setup(Level.Invocation)
    public void placeZone() {
        final Engine e = engine;
        for (Command c : zone) {
            e.apply(c);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void match() {
        final Engine e = engine;
        for (Command c : takers) {
            e.apply(c);
        }
    }

    @TearDown(Level.Iteration)
    public void checkSteady() {
        EngineFixture.checkNoRejects(zone, "match (zone)");
        EngineFixture.checkNoRejects(takers, "match");
        if (engine.openOrderCount() != depthOrders) {
            throw new IllegalStateException("match: " + engine.openOrderCount() + " orders rest after a batch, not "
                + depthOrders + ": the takers did not consume exactly the zone");
        }
    }
}
