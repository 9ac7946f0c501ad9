package org.perpcore.perf.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.event.EventType;

/**
 * The benchmark streams keep the book steady: applied cycle after cycle, no command is rejected, the book comes
 * back to the same size and the same things happen in every cycle; and applying them allocates nothing.
 */
class SteadyStreamsTest {

    @ParameterizedTest
    @ValueSource(ints = {16_384, 2_048})
    void mixStreamCyclesWithoutRejectsAndHasTheAdvertisedShares(int streamCommands) {
        final WarmBook book = new WarmBook(14, true, 1);
        final Engine engine = book.fixture.engine();
        final MixStream mix = MixStream.generate(book, streamCommands);
        final int resting = engine.openOrderCount();
        for (int cycle = 0; cycle < 4; cycle++) {
            long trades = 0;
            for (Command c : mix.commands) {
                engine.apply(c);
                trades += EngineFixture.count(c, EventType.TRADE);
            }
            EngineFixture.checkNoRejects(mix.commands, "mix cycle " + cycle);
            assertEquals(resting, engine.openOrderCount(), "book size after cycle " + cycle);
            assertEquals(mix.trades, trades, "trades in cycle " + cycle);
        }
        final double n = mix.commands.length;
        final double places = (mix.retailPlaces + mix.makerRequotes) / n;
        final double cancels = mix.retailCancels / n;
        final double iocs = mix.iocOrders / n;
        final double markets = mix.marketOrders / n;
        System.out.printf("mix: %d commands, %d accounts, %d resting; places %.1f %% (retail %.1f %%, maker re-quotes"
                + " %.1f %%), cancels %.1f %%, IOC %.1f %% (%.1f %% not crossing), market %.1f %%, %.2f trades per"
                + " taker%n", mix.commands.length, engine.accountCount(), resting, 100 * places,
            100 * mix.retailPlaces / n, 100 * mix.makerRequotes / n, 100 * cancels, 100 * iocs,
            100 * mix.iocMisses / n, 100 * markets,
            (double) mix.trades / (mix.iocOrders - mix.iocMisses + mix.marketOrders));
        assertEquals(1.0, places + cancels + iocs + markets, 1e-9);
        assertTrue(places > 0.42 && places < 0.48, "places " + places);
        assertTrue(cancels > 0.37 && cancels < 0.43, "cancels " + cancels);
        assertTrue(iocs > 0.08 && iocs < 0.12, "IOC " + iocs);
        assertTrue(markets > 0.04 && markets < 0.06, "market " + markets);
    }

    @Test
    void placeCancelAndMatchBatchesRestoreTheBook() {
        final PlaceBenchmark place = new PlaceBenchmark();
        place.setUp();
        final CancelBenchmark cancel = new CancelBenchmark();
        cancel.setUp();
        final MatchBenchmark match = new MatchBenchmark();
        match.setUp();
        for (int round = 0; round < 3; round++) {
            place.place();
            place.cancelBatch();
            place.checkSteady();
            cancel.placeBatch();
            cancel.cancel();
            cancel.checkSteady();
            match.placeZone();
            match.match();
            match.checkSteady();
        }
    }

    @Test
    void applyingTheMixAllocatesNothing() {
        final WarmBook book = new WarmBook(14, true, 1);
        final Engine engine = book.fixture.engine();
        final Command[] stream = MixStream.generate(book, 16_384).commands;
        // warm-up: structures grow to their working size (an account's order list to twice its peak of open
        // orders, the indexes to twice their peak entries); after that the mix must not allocate at all
        for (int warm = 0; warm < 3; warm++) {
            for (Command c : stream) {
                engine.apply(c);
            }
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // three cycles in a row must allocate exactly nothing. A real allocation on the path shows in every cycle
        // (17,622 commands); a one-off (a method recompiled mid-cycle, briefly running where escape analysis has
        // not removed a temporary, as when a loaded machine starves the JIT) does not, so up to ten cycles are run
        final java.util.List<Long> perCycle = new java.util.ArrayList<>();
        int zeroRun = 0;
        for (int cycle = 0; cycle < 10 && zeroRun < 3; cycle++) {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (Command c : stream) {
                engine.apply(c);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            perCycle.add(allocated);
            zeroRun = allocated == 0 ? zeroRun + 1 : 0;
        }
        assertEquals(3, zeroRun, "three consecutive cycles of " + stream.length
            + " commands allocating nothing; bytes per cycle: " + perCycle);
    }
}
