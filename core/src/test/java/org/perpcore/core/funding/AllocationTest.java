package org.perpcore.core.funding;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.perpcore.core.model.Side;
import org.perpcore.core.num.Fixed;

/**
 * The hot-path calls allocate nothing: measured with the JVM's per-thread allocation counter over a million rounds of
 * impact prices, best prices, funding sampling and settlement, payments, mark sampling and update.
 */
class AllocationTest {
    private static final long E8 = Fixed.E8;

    @Test
    void hotPathCallsAllocateNothing() {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "per-thread allocation counter available");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        final ImpactPricesTest.Book book = new ImpactPricesTest.Book();
        for (int i = 0; i < 20; i++) {
            book.addTicks(Side.SELL, 1_000_010 + i, 1_000 + i);
            book.addTicks(Side.BUY, 999_990 - i, 1_000 + i);
        }
        final FundingCalculator funding = new FundingCalculator();
        final MarkPriceCalculator mark = new MarkPriceCalculator();
        final long[] sink = new long[1];
        run(book, funding, mark, 0, 300_000, sink); // warm up: class loading, compilation
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        run(book, funding, mark, 300_000, 1_300_000, sink);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        // one allocation per round would be 16 MB at least; allow a few bytes of JIT transients
        assertTrue(allocated < 1_024, "bytes allocated by 1,000,000 rounds of calls: " + allocated);
    }

    private static void run(ImpactPricesTest.Book book, FundingCalculator funding, MarkPriceCalculator mark,
                            int from, int to, long[] sink) {
        final long tickE8 = 10_000_000;
        final long lotTickValueE8 = 10_000;
        final long start = 1_760_000_000_000L;
        for (int i = from; i < to; i++) {
            final long nowMs = start + i * 1_700L;
            final long indexE8 = 100_000 * E8 + (i % 50) * E8;
            final long impactBidE8 = ImpactPrices.impactBidE8(book.book, tickE8, lotTickValueE8, 25_000 * E8);
            final long impactAskE8 = ImpactPrices.impactAskE8(book.book, tickE8, lotTickValueE8, 25_000 * E8);
            final long bidE8 = ImpactPrices.bestBidE8(book.book, tickE8);
            final long askE8 = ImpactPrices.bestAskE8(book.book, tickE8);
            while (funding.onTime(nowMs, indexE8, impactBidE8, impactAskE8)) {
                sink[0] += FundingCalculator.paymentE8(E8, mark.markE8(), funding.lastFundingRateE8());
            }
            mark.onTime(nowMs, indexE8, bidE8, askE8);
            if (mark.update(nowMs, indexE8, bidE8, funding.lastFundingRateE8(), funding.nextFundingTimeMs(),
                funding.intervalMs())) {
                sink[0] += mark.markE8();
            }
            sink[0] += funding.estimatedFundingRateE8();
        }
    }
}
