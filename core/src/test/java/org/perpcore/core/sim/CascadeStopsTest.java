package org.perpcore.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.perpcore.core.engine.Engine;

/** The population's stop-losses over the synthetic crash of {@link CascadeSimulationTest}. */
class CascadeStopsTest {
    private static final int ACCOUNTS = 2_000;

    private static CascadeReport run(CascadeSimulation sim) {
        final CascadeReport.Collector collector = new CascadeReport.Collector();
        sim.runOn(new Engine(), collector);
        return collector.report();
    }

    @Test
    void aShareOfTheTradersPlaceStopsBetweenEntryAndLiquidation() throws PricePathException {
        final CascadeSimulation sim = new CascadeSimulation(CascadeSpec.defaults().accounts(ACCOUNTS).seed(3),
            CascadeSimulationTest.crash());
        final Population p = sim.population();
        final int early = p.size() - p.lateCount();
        assertTrue(Math.abs(p.stops() - 0.3 * early) < 0.05 * early, "about 30 % of the " + early
            + " who open at the start: " + p.stops());
        final long open = p.openPriceE8() / sim.spec().tickE8();
        for (int i = 0; i < p.size(); i++) {
            if (p.stopTicks(i) == 0) {
                continue;
            }
            assertEquals(0, p.entryStep(i), "only traders who open at the start place one");
            if (p.isLong(i)) {
                assertTrue(p.stopTicks(i) < p.entryTicks(i) && p.stopTicks(i) <= open * 998 / 1000,
                    "a long's stop lies below its entry and the opening price: trader " + i);
            } else {
                assertTrue(p.stopTicks(i) > p.entryTicks(i) && p.stopTicks(i) >= open * 1002 / 1000,
                    "a short's above: trader " + i);
            }
        }

        final CascadeReport report = run(sim);
        assertEquals(0, report.rejects(), "every stop is accepted");
        assertEquals(p.stops(), report.stopsPlaced(), "one conditional order per stop");
        assertTrue(report.stopsTriggered() > p.stops() / 4, "the crash fires many: " + report.stopsTriggered());
        assertTrue(report.stopSellNotionalE8() > 0 && report.bookSellNotionalE8() > 0,
            "both stops and liquidations sell into the book");
    }

    @Test
    void stopsLeaveTheRestOfThePopulationAsItWasAndSpareSomeLiquidations() throws PricePathException {
        final CascadeSpec with = CascadeSpec.defaults().accounts(ACCOUNTS).seed(3);
        final CascadeSpec without = with.copy().stops(0, 0.35, 0.85);
        final CascadeSimulation a = new CascadeSimulation(with, CascadeSimulationTest.crash());
        final CascadeSimulation b = new CascadeSimulation(without, CascadeSimulationTest.crash());
        for (int i = 0; i < ACCOUNTS; i++) {
            assertEquals(a.population().lots(i), b.population().lots(i), "trader " + i + "'s size");
            assertEquals(a.population().entryTicks(i), b.population().entryTicks(i), "entry");
            assertEquals(a.population().leverage(i), b.population().leverage(i), "leverage");
            assertEquals(a.population().isLong(i), b.population().isLong(i), "side");
            assertEquals(0, b.population().stopTicks(i), "no stops");
        }
        final CascadeReport withStops = run(a);
        final CascadeReport withoutStops = run(b);
        assertEquals(0, withoutStops.stopsPlaced());
        assertEquals(0, withoutStops.stopSellNotionalE8());
        assertTrue(withStops.accountsLiquidated() < withoutStops.accountsLiquidated(), "stops close positions before"
            + " their margin call: " + withStops.accountsLiquidated() + " < " + withoutStops.accountsLiquidated());
    }

    @Test
    void badStopSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CascadeSpec.defaults().stops(1.5, 0.3, 0.8).validate());
        assertThrows(IllegalArgumentException.class, () -> CascadeSpec.defaults().stops(0.3, 0.9, 0.5).validate());
        assertThrows(IllegalArgumentException.class, () -> CascadeSpec.defaults().stops(0.3, 0.3, 1.0).validate());
    }
}
