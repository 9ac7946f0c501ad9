package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.perpcore.core.book.OrderStore;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventType;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.LiquidationStage;
import org.perpcore.core.reference.RandomCommands;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;
import org.perpcore.core.snapshot.SnapshotBuffer;
import org.perpcore.core.snapshot.SnapshotFormatException;
import org.perpcore.core.testkit.CascadeScript;

/**
 * Snapshots of engine state: taken at many points of long random runs (liquidation cascades with ADL, and the
 * order-entry generator of the differential test), each restored into a fresh engine that then runs in lockstep
 * with the original: the same state hash at once, the same bytes when snapshotted again, and byte-identical events
 * for every following command. Corrupt and foreign streams are refused with a reason.
 *
 * <p>{@code -Dperpcore.snapshot.commands=N} runs N cascade commands per seed (default 40,000) and N / 2 order-entry
 * commands.
 */
class EngineSnapshotTest {
    private static final int COMMANDS = Integer.getInteger("perpcore.snapshot.commands", 40_000);

    @ParameterizedTest(name = "cascade seed {0}")
    @ValueSource(longs = {7, 20251010})
    void restoredCascadeContinuesIdentically(long seed) throws ScenarioException {
        final CascadeScript script = new CascadeScript(seed);
        final ScenarioParser parser = new ScenarioParser();
        final Lockstep lockstep = new Lockstep();
        final Command c = new Command();
        long seq = 0;
        int line = 0;
        while (seq < COMMANDS) {
            if (!parser.parse(script.next(), ++line, c)) {
                continue;
            }
            c.seq = ++seq;
            lockstep.apply(c);
            if (seq % (COMMANDS / 8) == 0) {
                lockstep.snapshotAndFollow();
            }
        }
        lockstep.finish();
        // the run did what it is for: liquidations in the book, by the fund and by ADL, after the snapshots too
        assertTrue(lockstep.stages[LiquidationStage.BOOK.ordinal()] > 50, lockstep::tally);
        assertTrue(lockstep.stages[LiquidationStage.INSURANCE.ordinal()] > 5, lockstep::tally);
        assertTrue(lockstep.stages[LiquidationStage.ADL.ordinal()] > 5, lockstep::tally);
        assertTrue(lockstep.types[EventType.FUNDING.ordinal()] > 0, lockstep::tally);
        assertTrue(lockstep.types[EventType.HALT.ordinal()] > 0, lockstep::tally);
        assertTrue(lockstep.types[EventType.MARGIN_CALL.ordinal()] > 100, lockstep::tally);
    }

    @ParameterizedTest(name = "order entry seed {0}")
    @ValueSource(longs = {1592642302})
    void restoredOrderEntryContinuesIdentically(long seed) {
        final RandomCommands commands = new RandomCommands(seed, 3, 200);
        final Lockstep lockstep = new Lockstep();
        final Command c = new Command();
        final int n = COMMANDS / 2; // the generator itself is the slow part here
        for (int i = 1; i <= n; i++) {
            commands.next(c);
            lockstep.apply(c);
            commands.observe(c.events());
            if (i % (n / 6) == 0) {
                lockstep.snapshotAndFollow();
            }
        }
        lockstep.finish();
        assertTrue(lockstep.types[EventType.TRADE.ordinal()] > 1000, lockstep::tally);
    }

    /**
     * Conditional orders of every kind (stops and take-profits on both working prices, trailing stops before and
     * after activation, price-protected ones held, triggered limit orders resting) in a run built to liquidate
     * ({@link ConditionalPropertyTest}'s commands): snapshots taken while they wait, each restored engine in
     * lockstep with the original, so every stop that fires after a snapshot fires identically in the restored
     * engine, in the same command, with the same events.
     */
    @ParameterizedTest(name = "conditional orders seed {0}")
    @ValueSource(longs = {7, 20251010})
    void restoredConditionalOrdersFireIdentically(long seed) throws ScenarioException {
        final LiquidationPropertyTest.Population population = new LiquidationPropertyTest.Population(seed);
        final ConditionalPropertyTest.Orders orders = new ConditionalPropertyTest.Orders(seed + 1, population);
        final ScenarioParser parser = new ScenarioParser();
        final Lockstep lockstep = new Lockstep(6); // each followed for up to 6 x 1/40 of the run
        final Command c = new Command();
        long seq = 0;
        for (String line : population.setup()) {
            if (parser.parse(line, 0, c)) {
                c.seq = ++seq;
                lockstep.apply(c);
            }
        }
        final int n = COMMANDS / 2;
        final long[] waitingIn = new long[ConditionalOrders.HELD + 1];
        long triggeredAfterSnapshot = 0;
        long triggeredResting = 0;
        for (int i = 1; i <= n; i++) {
            if (!parser.parse(orders.next(lockstep.original), i, c)) {
                continue;
            }
            c.seq = ++seq;
            lockstep.apply(c);
            if (!lockstep.followers.isEmpty()) {
                triggeredAfterSnapshot += count(c, org.perpcore.core.model.OrderStatus.TRIGGERED);
            }
            if (i % (n / 40) == 0) {
                final ConditionalOrders co = lockstep.original.conditional;
                final OrderStore store = lockstep.original.matcher.orders;
                for (int h = 0; h < store.highWater(); h++) {
                    if (store.orderId(h) != 0 && (store.flags(h) & OrderStore.FLAG_CONDITIONAL) != 0) {
                        waitingIn[co.where(h)]++;
                    } else if (store.orderId(h) != 0 && ConditionalOrders.isConditional(store.type(h))) {
                        triggeredResting++;
                    }
                }
                lockstep.snapshotAndFollow();
            }
        }
        lockstep.finish();
        final String tally = "waiting by place " + Arrays.toString(waitingIn) + ", triggered resting "
            + triggeredResting + ", triggered after a snapshot " + triggeredAfterSnapshot;
        System.out.println("EngineSnapshotTest conditional seed " + seed + ": " + tally);
        // the snapshots held orders in every place they can wait (price-protected ones held too, with seed 20251010),
        // triggered limit orders resting, and many fired after being restored
        for (int where = ConditionalOrders.FALLING; where <= ConditionalOrders.BUY_TRAILING; where++) {
            assertTrue(waitingIn[where] > 0, tally);
        }
        assertTrue(triggeredResting > 0, tally);
        assertTrue(triggeredAfterSnapshot > 100, tally);
    }

    private final EventView counting = new EventView();

    private int count(Command c, org.perpcore.core.model.OrderStatus status) {
        int n = 0;
        for (int p = 0; p < c.events().length(); ) {
            final int k = counting.decode(c.events().buffer(), p);
            if (counting.type == EventType.ORDER && counting.status == status) {
                n++;
            }
            p += k;
        }
        return n;
    }

    /**
     * A liquidation in slices: the whale stays margin-called between commands, waiting for its next slice (state
     * the random streams rarely leave behind). A snapshot after every command, each restored engine in lockstep.
     */
    @Test
    void everyCommandOfASlicedLiquidationRestoresAndContinues() throws ScenarioException {
        final String script = """
            time 2025-10-10T20:00:00Z
            market BTCUSDT tick=0.1 step=0.001 priceBand=0 marketBand=0.1 liquidationFee=0.005 sliceNotional=50000 sliceFraction=0.2 sliceInterval=10s adlRefresh=1s
            bracket BTCUSDT 0 0.01 50
            insurance BTCUSDT 1000
            deposit mm 10000000
            deposit whale 10000
            deposit short 50000
            leverage whale BTCUSDT 50
            order mm BTCUSDT sell limit 4 100000 id=s1
            order whale BTCUSDT buy limit 4 100000 id=w1
            order short BTCUSDT sell limit 2 100000 id=x1
            order mm BTCUSDT buy limit 2 100000 id=x2
            order mm BTCUSDT buy limit 1.5 98200 id=b1
            order mm BTCUSDT buy limit 0.3 97900 id=b2
            mark BTCUSDT 98300
            query position whale BTCUSDT
            advance 5s
            query position short BTCUSDT
            advance 6s
            advance 10s
            mark BTCUSDT 98000
            advance 10s
            advance 10s
            query account whale
            """;
        final ScenarioParser parser = new ScenarioParser();
        final Lockstep lockstep = new Lockstep();
        final Command c = new Command();
        long seq = 0;
        boolean sawWaitingSlice = false;
        for (String line : script.lines().toList()) {
            if (!parser.parse(line, (int) seq + 1, c)) {
                continue;
            }
            c.seq = ++seq;
            lockstep.apply(c);
            final Engine e = lockstep.original;
            final Account whale = e.account("whale");
            sawWaitingSlice |= e.risk.calledCount > 0 && whale != null && whale.nextSliceMs > e.nowMs();
            lockstep.snapshotAndFollow();
        }
        assertTrue(sawWaitingSlice, "the whale waited for its next slice between commands");
        assertTrue(lockstep.stages[LiquidationStage.BOOK.ordinal()] >= 2, lockstep::tally);
        lockstep.finish();
    }

    @Test
    void freshEngineRoundTrips() {
        final Engine e = new Engine();
        final byte[] bytes = snapshot(e);
        final Engine restored = EngineSnapshot.read(SnapshotBuffer.of(bytes, 0, bytes.length));
        assertEquals(e.stateHash(), restored.stateHash());
        assertArrayEquals(bytes, snapshot(restored));
        assertEquals(0, restored.marketCount());
    }

    /**
     * A format-1 stream (before conditional orders: no count of waiting orders in its header, none after the books)
     * is still read, into the same state as the format-2 stream of the same engine.
     */
    @Test
    void aFormatOneStreamIsStillRead() {
        final org.perpcore.core.testkit.EngineHarness h = new org.perpcore.core.testkit.EngineHarness();
        h.run("time 2025-10-10T20:00:00Z", "market BTCUSDT tick=0.1 step=0.001", "deposit a 100000",
            "deposit b 100000", "order a BTCUSDT sell limit 1 100000 id=s1", "order b BTCUSDT buy limit 0.4 100000",
            "order b BTCUSDT buy limit 0.5 99000 id=b1");
        final byte[] v2 = snapshot(h.engine());
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(v2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(EngineSnapshot.FORMAT_VERSION, b.getInt(4));
        assertEquals(0, b.getInt(20), "no waiting orders");
        // format 1: the same bytes without the waiting count (magic, version, markets, accounts, resting, waiting...)
        final byte[] v1 = new byte[v2.length - 4];
        System.arraycopy(v2, 0, v1, 0, 20);
        System.arraycopy(v2, 24, v1, 20, v2.length - 24);
        java.nio.ByteBuffer.wrap(v1).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, 1);
        final Engine restored = EngineSnapshot.read(SnapshotBuffer.of(v1, 0, v1.length));
        assertEquals(h.engine().stateHash(), restored.stateHash());
        assertArrayEquals(v2, snapshot(restored), "written back in the current format");
        final byte[] v3 = v2.clone();
        java.nio.ByteBuffer.wrap(v3).order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .putInt(4, EngineSnapshot.FORMAT_VERSION + 1);
        final SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
            () -> EngineSnapshot.read(SnapshotBuffer.of(v3, 0, v3.length)));
        assertTrue(e.getMessage().contains("is unknown to this build (it reads versions 1 to 2)"), e.getMessage());
    }

    @Test
    void snapshotCommandChangesNothingAndMovesOnlyTheLogPosition() throws ScenarioException {
        final Engine e = new Engine();
        final ScenarioParser parser = new ScenarioParser();
        final Command c = new Command();
        long seq = 0;
        for (String l : CascadeScript.lines(3, 3000)) {
            if (parser.parse(l, 1, c)) {
                c.seq = ++seq;
                e.apply(c);
            }
        }
        final long hash = e.stateHash();
        final long now = e.nowMs();
        final byte[] before = snapshot(e);
        c.clear();
        c.type = CommandType.SNAPSHOT;
        c.seq = ++seq;
        c.timestampMs = now + 3_600_000; // an hour later: still no time passes
        e.apply(c);
        assertEquals(0, c.events().count(), "no event");
        assertEquals(hash, e.stateHash());
        assertEquals(now, e.nowMs(), "a snapshot lets no time pass");
        assertEquals(seq, e.lastSeq());
        final byte[] after = snapshot(e);
        // only the log position (lastSeq, the first field after the header) differs
        assertEquals(before.length, after.length);
        int differing = 0;
        for (int i = 0; i < before.length; i++) {
            differing += before[i] != after[i] ? 1 : 0;
        }
        assertTrue(differing > 0 && differing <= 8, differing + " bytes differ");
    }

    @Test
    void corruptOrForeignStreamsAreRefusedWithAReason() throws ScenarioException {
        final Engine e = new Engine();
        final ScenarioParser parser = new ScenarioParser();
        final Command c = new Command();
        long seq = 0;
        for (String l : CascadeScript.lines(5, 5000)) {
            if (parser.parse(l, 1, c)) {
                c.seq = ++seq;
                e.apply(c);
            }
        }
        final byte[] good = snapshot(e);

        final SnapshotFormatException truncated = assertThrows(SnapshotFormatException.class,
            () -> EngineSnapshot.read(SnapshotBuffer.of(good, 0, good.length - 100)));
        assertTrue(truncated.getMessage().contains("ends early"), truncated.getMessage());

        final byte[] version = good.clone();
        version[4] = 9;
        final SnapshotFormatException unknown = assertThrows(SnapshotFormatException.class,
            () -> EngineSnapshot.read(SnapshotBuffer.of(version, 0, version.length)));
        assertTrue(unknown.getMessage().contains("format version 9 is unknown"), unknown.getMessage());

        final byte[] foreign = good.clone();
        foreign[0] = 'X';
        assertTrue(assertThrows(SnapshotFormatException.class,
            () -> EngineSnapshot.read(SnapshotBuffer.of(foreign, 0, foreign.length)))
            .getMessage().contains("not an engine snapshot"));

        // a changed wallet (deep inside, well formed) is caught by the state hash written at the end
        final SnapshotBuffer flipped = new SnapshotBuffer();
        final Engine other = EngineSnapshot.read(SnapshotBuffer.of(good, 0, good.length));
        other.account(5).walletE8 += 1;
        final byte[] tampered = snapshot(other);
        final long hashOfGood = e.stateHash();
        System.arraycopy(longBytes(hashOfGood), 0, tampered, tampered.length - 12, 8);
        flipped.putBytes(tampered, 0, tampered.length);
        final SnapshotFormatException hash = assertThrows(SnapshotFormatException.class,
            () -> EngineSnapshot.read(flipped));
        assertTrue(hash.getMessage().contains("restored state hash"), hash.getMessage());

        // every single-byte change of the stream is refused or restores into a state of its own, never silently
        // into the original's (spot check a spread of positions)
        for (int at = 8; at < good.length - 12; at += Math.max(1, good.length / 31)) {
            final byte[] b = good.clone();
            b[at] ^= 0x40;
            try {
                final Engine r = EngineSnapshot.read(SnapshotBuffer.of(b, 0, b.length));
                if (r.stateHash() == e.stateHash() && !Arrays.equals(snapshot(r), b)) {
                    fail("byte " + at + " changed and was silently ignored");
                }
            } catch (SnapshotFormatException expected) {
                // refused: fine
            }
        }
    }

    private static byte[] longBytes(long v) {
        final byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    static byte[] snapshot(Engine e) {
        final SnapshotBuffer b = new SnapshotBuffer();
        EngineSnapshot.write(e, b);
        return b.toByteArray();
    }

    /**
     * The original engine plus engines restored from its snapshots, all fed every command; events must agree. With
     * a bound on followers, the oldest is checked (state hash, snapshot bytes) and let go when a new one joins.
     */
    private static final class Lockstep {
        private final Engine original = new Engine();
        private final int maxFollowers;
        private int taken;
        private final List<Engine> followers = new ArrayList<>();
        private final List<Long> restoredAt = new ArrayList<>();
        private final Command copy = new Command();
        private final EventView view = new EventView();
        final long[] types = new long[EventType.values().length];
        final long[] stages = new long[LiquidationStage.values().length];

        Lockstep() {
            this(Integer.MAX_VALUE);
        }

        Lockstep(int maxFollowers) {
            this.maxFollowers = maxFollowers;
        }

        void apply(Command c) {
            original.apply(c);
            final int length = c.events().length();
            final byte[] expected = new byte[length];
            c.events().buffer().getBytes(0, expected);
            for (int i = 0; i < followers.size(); i++) {
                copy.copyFrom(c);
                followers.get(i).apply(copy);
                final byte[] actual = new byte[copy.events().length()];
                copy.events().buffer().getBytes(0, actual);
                if (!Arrays.equals(expected, actual)) {
                    fail("seq " + c.seq + ": the engine restored at seq " + restoredAt.get(i)
                        + " produced different events (" + actual.length + " bytes, expected " + length + ")");
                }
            }
            for (int p = 0; p < length; ) {
                final int n = view.decode(c.events().buffer(), p);
                assertTrue(n > 0);
                types[view.type.ordinal()]++;
                if (view.type == EventType.LIQUIDATION) {
                    stages[view.stage.ordinal()]++;
                }
                p += n;
            }
        }

        void snapshotAndFollow() {
            final byte[] bytes = snapshot(original);
            final Engine restored = EngineSnapshot.read(SnapshotBuffer.of(bytes, 0, bytes.length));
            assertEquals(original.stateHash(), restored.stateHash(), "state hash after restore");
            assertEquals(original.lastSeq(), restored.lastSeq());
            assertEquals(original.nowMs(), restored.nowMs());
            assertArrayEquals(bytes, snapshot(restored), "a restored engine writes the bytes it was read from");
            checkDerivedFigures(restored);
            if (followers.size() == maxFollowers) {
                final Engine oldest = followers.remove(0);
                restoredAt.remove(0);
                assertEquals(original.stateHash(), oldest.stateHash(), "state hash of a follower let go");
                assertArrayEquals(snapshot(original), snapshot(oldest), "snapshot bytes of a follower let go");
            }
            followers.add(restored);
            restoredAt.add(original.lastSeq());
            taken++;
        }

        void finish() {
            assertTrue(taken >= 6, "snapshots taken: " + taken);
            for (Engine f : followers) {
                assertEquals(original.stateHash(), f.stateHash(), "final state hash");
                assertArrayEquals(snapshot(original), snapshot(f), "final snapshot bytes");
            }
        }

        String tally() {
            return "types " + Arrays.toString(types) + " stages " + Arrays.toString(stages);
        }
    }

    /**
     * Order totals kept on positions equal what the restored book holds (they were restored, not recomputed); waiting
     * conditional orders count as open orders only.
     */
    private static void checkDerivedFigures(Engine e) {
        final OrderStore orders = e.matcher.orders;
        final long[][] buyLots = new long[e.accountCount()][e.marketCount()];
        final long[][] sellNotional = new long[e.accountCount()][e.marketCount()];
        int live = 0;
        for (int h = 0; h < orders.highWater(); h++) {
            if (orders.orderId(h) == 0) {
                continue;
            }
            live++;
            if ((orders.flags(h) & OrderStore.FLAG_CONDITIONAL) != 0) {
                continue; // waiting for its trigger: reserves nothing
            }
            final Market m = e.market(orders.market(h));
            if (orders.side(h) == org.perpcore.core.model.Side.BUY.code()) {
                buyLots[orders.account(h)][m.id()] += orders.remainingLots(h);
            } else {
                sellNotional[orders.account(h)][m.id()] += orders.price(h) * orders.remainingLots(h) * m.lotTickValueE8;
            }
        }
        assertEquals(e.openOrderCount(), live);
        for (int a = 0; a < e.accountCount(); a++) {
            int open = 0;
            for (int m = 0; m < e.marketCount(); m++) {
                final Position p = e.account(a).position(m);
                open += e.account(a).openOrders(m);
                if (p != null) {
                    assertEquals(buyLots[a][m], p.buyOrderLots, "buy lots of account " + a + " market " + m);
                    assertEquals(sellNotional[a][m], p.sellOrderNotionalE8, "sell notional");
                }
            }
            assertTrue(open >= 0);
        }
    }
}
