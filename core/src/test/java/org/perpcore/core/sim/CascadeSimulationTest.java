package org.perpcore.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Account;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.engine.Market;
import org.perpcore.core.engine.Position;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.LiquidationStage;
import org.perpcore.core.num.Decimal;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;

/** A cascade over a small synthetic crash: always runs (no data file needed), in well under a second. */
class CascadeSimulationTest {
    static final long TICK_E8 = 10_000_000L;
    /** 2025-10-10T20:00:00Z */
    static final long T0 = 1_760_126_400_000L;
    static final int ACCOUNTS = 2_000;

    /**
     * 40 minutes: 5 calm around 100,000, a crash of 1.5 % a minute for 10 minutes (to about 86,000), a rebound of
     * 1 % a minute for 10, then calm.
     */
    static PricePath crash() throws PricePathException {
        final int n = 40;
        final long[] open = new long[n];
        final long[] high = new long[n];
        final long[] low = new long[n];
        final long[] close = new long[n];
        long price = 1_000_000; // ticks
        for (int i = 0; i < n; i++) {
            final long move = i >= 5 && i < 15 ? -price * 15 / 1000 : i >= 15 && i < 25 ? price / 100 : (i % 2 == 0 ? 30 : -30);
            open[i] = price * TICK_E8;
            close[i] = (price + move) * TICK_E8;
            high[i] = (Math.max(price, price + move) + 20) * TICK_E8;
            low[i] = (Math.min(price, price + move) - 20 - (move < 0 ? -move / 5 : 0)) * TICK_E8;
            price += move;
        }
        return PricePath.ofBars(TICK_E8, T0, open, high, low, close);
    }

    private record Run(CascadeSimulation sim, Engine engine, CascadeReport report, List<byte[]> events,
                       List<long[]> stamps) {
    }

    private static Run run(long seed) throws PricePathException {
        final CascadeSimulation sim = new CascadeSimulation(CascadeSpec.defaults().accounts(ACCOUNTS).seed(seed),
            crash());
        final Engine engine = new Engine();
        final CascadeReport.Collector collector = new CascadeReport.Collector();
        final List<byte[]> events = new ArrayList<>();
        final List<long[]> stamps = new ArrayList<>();
        sim.runOn(engine, (c, endOfBatch) -> {
            collector.accept(c);
            final byte[] bytes = new byte[c.events().length()];
            c.events().buffer().getBytes(0, bytes);
            events.add(bytes);
            stamps.add(new long[] {c.seq, c.timestampMs});
        });
        return new Run(sim, engine, collector.report(), events, stamps);
    }

    @Test
    void aCrashLiquidatesLongsAndTheBooksBalance() throws PricePathException {
        final Run r = run(7);
        final CascadeReport report = r.report();
        final Population pop = r.sim().population();
        assertEquals(ACCOUNTS, pop.size());
        assertEquals(0, report.rejects(), "every generated command is accepted");

        int longs = 0;
        for (int i = 0; i < pop.size(); i++) {
            longs += pop.isLong(i) ? 1 : 0;
        }
        assertTrue(report.accountsLiquidated() > longs / 4, "a 14 % crash liquidates many of the " + longs
            + " longs: " + report.accountsLiquidated());
        assertTrue(report.longNotionalE8() > 20 * report.shortNotionalE8(), report.toText());
        // liquidations start with the crash (minute 5) and stop when the rebound has gone a while
        assertTrue(report.firstLiquidationMs() >= T0 + 4 * 60_000, CascadeReport.time(report.firstLiquidationMs()));
        assertTrue(report.liquidationsBetween(T0 + 5 * 60_000, T0 + 16 * 60_000) >= report.liquidations() * 3 / 4,
            report.toText());
        assertTrue(report.stageNotionalE8(LiquidationStage.BOOK) > 0);
        assertTrue(report.markLowE8() < Decimal.parseE8("88000") && report.markLowE8() > Decimal.parseE8("84000"),
            Decimal.toPlain(report.markLowE8()));
        assertEquals(1, report.funds().size());
        assertEquals(r.sim().insuranceFundE8(), report.funds().get(0).startE8());

        // money conserved, open interest balanced, through the engine's public figures
        final Engine engine = r.engine();
        final Market m = engine.market("BTCUSDT");
        long money = m.feesCollectedE8() + m.fundingResidueE8();
        long longLots = 0;
        long shortLots = 0;
        for (int i = 0; i < engine.accountCount(); i++) {
            final Account a = engine.account(i);
            money += a.walletE8();
            final Position p = a.position(m.id());
            if (p != null) {
                money += p.isolatedMarginE8() - Long.signum(p.sizeLots()) * p.costE8();
                longLots += Math.max(0, p.sizeLots());
                shortLots += Math.max(0, -p.sizeLots());
            }
        }
        assertEquals(engine.totalDepositsE8(), money, "money conserved");
        assertEquals(longLots, shortLots, "open interest balanced");
        assertEquals(longLots, m.openLongLots());
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() throws PricePathException {
        final Run a = run(11);
        final Run b = run(11);
        final Run c = run(12);
        assertEquals(a.events().size(), b.events().size());
        for (int i = 0; i < a.events().size(); i++) {
            assertTrue(java.util.Arrays.equals(a.events().get(i), b.events().get(i)), "events of command " + i);
        }
        assertEquals(a.report().eventDigest(), b.report().eventDigest());
        assertEquals(a.engine().stateHash(), b.engine().stateHash());
        assertEquals(a.report().toJson(), b.report().toJson());
        assertNotEquals(a.report().eventDigest(), c.report().eventDigest());
        assertNotEquals(a.engine().stateHash(), c.engine().stateHash());
    }

    @Test
    void theReportReadsTheEventsAloneAsAJournalReplayWould() throws PricePathException {
        final Run r = run(3);
        final CascadeReport.Collector replay = new CascadeReport.Collector();
        for (int i = 0; i < r.events().size(); i++) {
            final byte[] bytes = r.events().get(i);
            replay.accept(r.stamps().get(i)[0], r.stamps().get(i)[1], new UnsafeBuffer(bytes), 0, bytes.length);
        }
        assertEquals(r.report().toJson(), replay.report().toJson());
        assertEquals(r.report().toText(), replay.report().toText());
    }

    @Test
    void thePipelineRunsTheSameCascade() throws PricePathException {
        final Run direct = run(5);
        final CascadeSimulation sim = new CascadeSimulation(CascadeSpec.defaults().accounts(ACCOUNTS).seed(5), crash());
        final Engine engine = new Engine();
        final CascadeReport.Collector collector = new CascadeReport.Collector();
        final Pipeline pipeline = new Pipeline(engine, PipelineConfig.DEFAULT.withRingSize(1 << 10), CommandStage.NONE,
            collector);
        final long published;
        try {
            published = sim.publishTo(pipeline);
        } finally {
            pipeline.close();
        }
        assertEquals(direct.events().size(), published);
        assertEquals(direct.report().eventDigest(), collector.report().eventDigest());
        assertEquals(direct.engine().stateHash(), engine.stateHash());
    }

    @Test
    void theStreamIsSetupThenTheReplay() throws PricePathException {
        final CascadeSimulation sim = new CascadeSimulation(CascadeSpec.defaults().accounts(10).seed(1), crash());
        final Command c = new Command();
        final List<CommandType> setup = new ArrayList<>();
        while (!sim.inReplay() && sim.next(c)) {
            setup.add(c.type);
            assertEquals(T0 - 60_000, c.timestampMs, "the setup runs a minute before the path");
        }
        assertEquals(CommandType.MARKET, setup.get(0));
        assertEquals(10, setup.stream().filter(t -> t == CommandType.BRACKET).count(), "Binance's 10 BTCUSDT tiers");
        assertEquals(CommandType.INSURANCE, setup.get(11));
        assertEquals(CommandType.INDEX, setup.get(12));
        final Population pop = sim.population();
        final int early = pop.size() - pop.lateCount();
        assertTrue(pop.lateCount() > 0 && early > 0, "some open at the start, some during the day");
        assertEquals(early + 4, setup.stream().filter(t -> t == CommandType.DEPOSIT).count(), "traders and makers");
        assertEquals(2 * early, setup.stream().filter(t -> t == CommandType.PLACE_ORDER).count(), "one trade each");
        long last = 0;
        int index = 0;
        int lateDeposits = 0;
        while (sim.next(c)) {
            assertTrue(c.timestampMs >= last && c.timestampMs >= T0, "time only moves forward");
            last = c.timestampMs;
            index += c.type == CommandType.INDEX ? 1 : 0;
            lateDeposits += c.type == CommandType.DEPOSIT ? 1 : 0;
        }
        assertEquals(pop.lateCount(), lateDeposits, "the late traders arrive during the replay");
        assertTrue(index > 2_000 && index <= 2_400, "an index tick per second that moved: " + index);
        assertTrue(sim.requotes() > 40, "makers re-quote as the index moves: " + sim.requotes());
        assertTrue(!sim.next(c) && c.type == null, "the stream ends and stays ended");
    }

    @Test
    void badSpecsAreRefusedWithAReason() {
        assertEquals("accounts must be 1 to 2,000,000: 0", assertThrows(IllegalArgumentException.class,
            () -> new CascadeSimulation(CascadeSpec.defaults().accounts(0), crash())).getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> new CascadeSimulation(CascadeSpec.defaults().stepMs(7_000), crash()));
        assertThrows(IllegalArgumentException.class, () -> new CascadeSimulation(CascadeSpec.defaults()
            .leverages(new int[] {200}, new double[] {1}), crash()));
    }
}
