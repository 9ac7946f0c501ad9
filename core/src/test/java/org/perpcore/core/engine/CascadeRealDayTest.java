package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.num.Decimal;
import org.perpcore.core.sim.CascadeReport;
import org.perpcore.core.sim.CascadeSimulation;
import org.perpcore.core.sim.CascadeSpec;
import org.perpcore.core.sim.PricePath;
import org.perpcore.core.sim.PricePathException;
import org.perpcore.core.sim.RealDay;

/**
 * The real 2025-10-10 minute path (../shared/data; skipped with a message when absent) through a seeded population
 * of 10,000 traders ({@code -Dperpcore.cascade.accounts=N} for more): the cascade happens where and as the day's
 * did, and the engine's invariants hold through it.
 */
class CascadeRealDayTest {
    private static final int ACCOUNTS = Integer.getInteger("perpcore.cascade.accounts", 10_000);
    private static final long SEED = 20251010L;
    /** 2025-10-10T20:50:00Z and 21:21:00Z: the main cascade, to the minute after the low. */
    private static final long CASCADE_FROM_MS = 1_760_129_400_000L;
    private static final long CASCADE_TO_MS = CASCADE_FROM_MS + 31 * 60_000L;

    private static List<String> lines;

    @BeforeAll
    static void readTheDay() throws IOException {
        final Path file = RealDay.file();
        lines = file == null ? null : Files.readAllLines(file);
    }

    private record Run(Engine engine, CascadeReport report, CascadeSimulation sim) {
    }

    /** Runs the day; with {@code check}, asserts after every index tick of the cascade that nobody was left behind. */
    private static Run run(long seed, boolean check) throws PricePathException {
        final PricePath path = PricePath.parseKlines(lines, 10_000_000L);
        final CascadeSimulation sim = new CascadeSimulation(CascadeSpec.defaults().accounts(ACCOUNTS).seed(seed), path);
        final Engine engine = new Engine(1 << 16, ACCOUNTS + 64);
        final CascadeReport.Collector collector = new CascadeReport.Collector();
        final Command c = new Command();
        long seq = 0;
        while (sim.next(c)) {
            c.seq = ++seq;
            engine.apply(c);
            collector.accept(c);
            if (check && c.type == CommandType.INDEX && c.timestampMs >= CASCADE_FROM_MS
                && c.timestampMs < CASCADE_TO_MS) {
                nobodyLeftBehind(engine, "after the index tick at " + c.timestampMs);
            }
        }
        return new Run(engine, collector.report(), sim);
    }

    /** Nobody at or below maintenance margin unless waiting for a slice, and no trader with negative equity. */
    private static void nobodyLeftBehind(Engine engine, String when) {
        final RiskEngine risk = engine.risk();
        final long now = engine.nowMs();
        for (int i = 0; i < engine.accountCount(); i++) {
            final Account a = engine.account(i);
            if (a.fund) {
                continue;
            }
            if (risk.crossBelowMaintenance(a)) {
                assertTrue(a.marginCalled && a.nextSliceMs > now, () -> a.nameString() + " below maintenance " + when);
            }
            long equity = a.walletE8;
            for (int k = 0; k < a.positionCapacity(); k++) {
                final Position p = a.positions()[k];
                if (p == null || p.sizeLots == 0) {
                    continue;
                }
                if (p.isolated) {
                    assertTrue(!RiskEngine.isolatedBelowMaintenance(p) || p.nextSliceMs > now,
                        () -> a.nameString() + " isolated below maintenance " + when);
                    assertTrue(p.isolatedMarginE8 + RiskEngine.unrealizedPnlE8(p) >= 0,
                        () -> a.nameString() + " isolated negative equity " + when);
                } else {
                    equity += RiskEngine.unrealizedPnlE8(p);
                }
            }
            final long crossEquity = equity;
            assertTrue(crossEquity >= 0, () -> a.nameString() + " negative equity " + crossEquity + " " + when);
        }
    }

    @Test
    void theDaysCascadeWithTenThousandTraders() throws PricePathException {
        Assumptions.assumeTrue(lines != null, RealDay.SKIP);
        final Run run = run(SEED, true);
        final CascadeReport r = run.report();
        System.out.println("CascadeRealDayTest, " + ACCOUNTS + " accounts, seed " + SEED + ":\n" + r.toText());

        assertEquals(0, r.rejects(), "every generated command was accepted");
        // a large share of the traders is liquidated, most of them in the main cascade, 20:50 to 21:20
        assertTrue(r.accountsLiquidated() > ACCOUNTS / 5, "liquidated: " + r.accountsLiquidated());
        final long total = r.longNotionalE8() + r.shortNotionalE8();
        assertTrue(r.notionalBetweenE8(CASCADE_FROM_MS, CASCADE_TO_MS) * 2 > total,
            "most of the notional in 20:50-21:20: " + r.notionalBetweenE8(CASCADE_FROM_MS, CASCADE_TO_MS) + " of "
                + total);
        assertTrue(r.liquidationsBetween(CASCADE_FROM_MS, CASCADE_TO_MS) * 2 > r.liquidations());
        final CascadeReport.Minute busiest = r.busiestMinute();
        assertTrue(busiest.startMs() >= CASCADE_FROM_MS && busiest.startMs() < CASCADE_TO_MS,
            "the busiest minute is in the cascade");
        // traders who opened late (dip buyers, shorts at the lows) are liquidated after it, in the rebound
        assertTrue(r.lastLiquidationMs() > CASCADE_TO_MS, "liquidations in the rebound too");
        // far more long than short notional (the day's figures: $16.6 B of $19.1 B were longs)
        assertTrue(r.longNotionalE8() > 10 * r.shortNotionalE8(), "longs " + r.longNotionalE8() + ", shorts "
            + r.shortNotionalE8());
        // the mark's low is the day's, at 21:20
        assertTrue(r.markLowE8() > Decimal.parseE8("100000") && r.markLowE8() < Decimal.parseE8("102500"),
            Decimal.toPlain(r.markLowE8()));
        assertEquals(CASCADE_TO_MS - 60_000, r.markLowAtMs() / 60_000 * 60_000, "the low at 21:20");

        // the books at the end: money conserved, open interest balanced, flags right, book not crossed
        RiskPropertyTest.checkInvariants(run.engine());
        nobodyLeftBehind(run.engine(), "at the end");
        final Market m = run.engine().market("BTCUSDT");
        assertTrue(m.openLongLots() > 0 && m.openLongLots() == m.openShortLots());

        // the same seed again: the same event bytes (digest) and state; another seed: another run
        final Run again = run(SEED, false);
        assertEquals(r.eventDigest(), again.report().eventDigest(), "same seed, same events");
        assertEquals(run.engine().stateHash(), again.engine().stateHash(), "same seed, same state");
        assertEquals(r.toJson(), again.report().toJson());
        final Run other = run(SEED + 1, false);
        assertNotEquals(r.eventDigest(), other.report().eventDigest());
        assertNotEquals(run.engine().stateHash(), other.engine().stateHash());
    }
}
