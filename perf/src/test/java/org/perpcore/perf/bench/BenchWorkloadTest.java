package org.perpcore.perf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;

/**
 * The bench's workload on a bare engine: the setup and the flow are never rejected, the flow leaves the book as it
 * found it, and the walk of the mark liquidates every victim through all three stages (book, fund, ADL).
 */
class BenchWorkloadTest {
    @Test
    void walkLiquidatesEveryVictimThroughBookFundAndAdlWithoutRejects() {
        final BenchWorkload w = new BenchWorkload(4_000, 0.05, 3_000, 7);
        final Engine engine = new Engine();
        final EventCounts setup = new EventCounts();
        final Command c = new Command();
        long seq = 0;
        while (w.nextSetup(c)) {
            c.seq = ++seq;
            c.timestampMs = BenchWorkload.START_MS;
            engine.apply(c);
            setup.add(c);
        }
        assertEquals(0, setup.rejects, "setup rejects");
        assertEquals(w.holderPairs * 2 + w.victims + 2 + 2 * BenchWorkload.FLOW_PAIRS + w.depthAccounts + 1,
            engine.accountCount(), "accounts (with the fund)");
        final int restingAfterSetup = engine.openOrderCount();
        assertEquals(3_000 + BenchWorkload.LADDER_LEVELS, restingAfterSetup);

        final EventCounts run = new EventCounts();
        final long ticks = 40;
        final int flowPerTick = BenchWorkload.FLOW_PAIRS * BenchWorkload.FLOW_CYCLE;
        long n = 0;
        for (long k = 0; k < 4; k++) { // warm-up ticks: nobody crossed
            BenchWorkload.index(c, BenchWorkload.warmTickE8(k));
            c.seq = ++seq;
            engine.apply(c);
            assertEquals(0, run.add(c), "a warm-up tick liquidated");
        }
        for (long k = 0; k < ticks; k++) {
            for (int f = 0; f < flowPerTick; f++) {
                final Command t = w.flow(n++);
                c.copyFrom(t);
                c.seq = ++seq;
                c.timestampMs = BenchWorkload.START_MS;
                engine.apply(c);
                run.add(c);
            }
            BenchWorkload.index(c, BenchWorkload.walkTickE8(k, ticks));
            c.seq = ++seq;
            c.timestampMs = BenchWorkload.START_MS;
            engine.apply(c);
            run.add(c);
        }
        assertEquals(0, run.rejects, "rejects during the run");
        assertEquals(w.victims, run.liquidatedAccounts, "every victim liquidated once");
        assertTrue(run.bookFills > 0, "book fills");
        assertTrue(run.insuranceFills > 0 && run.fundTakeover > 0, "fund takeovers");
        assertTrue(run.fundSurplus > 0, "surplus to the fund");
        assertTrue(run.adlFills > 0 && run.adlEvents > 0, "auto-deleveraging");
        assertEquals(0, run.badDebt, "bad debt");
        // the flow is a closed cycle: only the ladder's consumed bids are gone from the book
        assertTrue(engine.openOrderCount() >= 3_000 && engine.openOrderCount() <= restingAfterSetup);
    }
}
