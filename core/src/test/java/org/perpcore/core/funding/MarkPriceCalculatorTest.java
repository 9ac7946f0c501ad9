package org.perpcore.core.funding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perpcore.core.num.Fixed;

/** Mark price: P1, P2, median, missing inputs, the moving-average window, forced marks. */
class MarkPriceCalculatorTest {
    private static final long E8 = Fixed.E8;
    private static final long HOUR_MS = 3_600_000;
    private static final long INTERVAL_MS = 8 * HOUR_MS;
    private static final long T0 = Instant.parse("2025-10-10T18:00:00Z").toEpochMilli();
    private static final long NEXT_FUNDING = Instant.parse("2025-10-11T00:00:00Z").toEpochMilli();
    private static final long INDEX = 100 * E8;

    private static long e8(String value) {
        return new BigDecimal(value).movePointRight(8).longValueExact();
    }

    /** A calculator whose window holds one sample of the given book around the index. */
    private static MarkPriceCalculator withOneSample(long indexE8, long bidE8, long askE8) {
        final MarkPriceCalculator m = new MarkPriceCalculator();
        assertFalse(m.onTime(T0, 0, 0, 0), "the first call only starts the clock");
        assertTrue(m.onTime(T0 + 1_000, indexE8, bidE8, askE8));
        assertEquals(1, m.basisSampleCount());
        return m;
    }

    /** Mark with a zero funding rate, so that P1 is the index itself. */
    private static long markAt(MarkPriceCalculator m, long indexE8, long lastE8) {
        m.update(T0 + 1_000, indexE8, lastE8, 0, NEXT_FUNDING, INTERVAL_MS);
        return m.markE8();
    }

    // ---- P1 ----

    @Test
    void price1AddsTheLastFundingRateProratedToTheTimeLeft() {
        // index 100,000, rate 0.01 %, half of the 8 h interval left: 100,000 x (1 + 0.0001 x 0.5)
        assertEquals(e8("100005"),
            MarkPriceCalculator.price1E8(100_000 * E8, 10_000, NEXT_FUNDING, INTERVAL_MS, NEXT_FUNDING - 4 * HOUR_MS));
        assertEquals(e8("99990"),
            MarkPriceCalculator.price1E8(100_000 * E8, -10_000, NEXT_FUNDING, INTERVAL_MS, NEXT_FUNDING - INTERVAL_MS));
        assertEquals(100_000 * E8,
            MarkPriceCalculator.price1E8(100_000 * E8, 10_000, NEXT_FUNDING, INTERVAL_MS, NEXT_FUNDING),
            "nothing left");
        assertEquals(100_000 * E8, MarkPriceCalculator.price1E8(100_000 * E8, 10_000, 0, INTERVAL_MS, T0), "unknown");
    }

    @Test
    void aevoDocumentedExampleOfPrice1() {
        // Aevo (hourly funding) documents: index 2000, last funding rate 0.005, 0.5 h until funding -> 2005.
        // Not a Binance page: Binance publishes the formula without a worked number.
        assertEquals(2_005 * E8, MarkPriceCalculator.price1E8(2_000 * E8, 500_000, NEXT_FUNDING, HOUR_MS,
            NEXT_FUNDING - HOUR_MS / 2));
    }

    @Test
    void price1MovesOncePerSecondOnly() {
        final long start = NEXT_FUNDING - 4 * HOUR_MS;
        final long atSecond = MarkPriceCalculator.price1E8(100_000 * E8, 10_000, NEXT_FUNDING, INTERVAL_MS, start);
        assertEquals(atSecond,
            MarkPriceCalculator.price1E8(100_000 * E8, 10_000, NEXT_FUNDING, INTERVAL_MS, start + 999));
        final long nextSecond =
            MarkPriceCalculator.price1E8(100_000 * E8, 10_000, NEXT_FUNDING, INTERVAL_MS, start + 1_000);
        // 100,000 x 0.0001 x 14,399 s / 28,800 s, rounded half away from zero to E8
        final long expected = BigDecimal.valueOf(100_000).multiply(new BigDecimal("0.0001"))
            .multiply(BigDecimal.valueOf(14_399)).divide(BigDecimal.valueOf(28_800), 8, RoundingMode.HALF_UP)
            .movePointRight(8).longValueExact() + 100_000 * E8;
        assertEquals(expected, nextSecond);
        assertTrue(nextSecond < atSecond);
    }

    // ---- median ----

    @Test
    void price1IsTheMedian() {
        final MarkPriceCalculator m = withOneSample(INDEX, e8("98.9"), e8("99.1")); // P2 = 99
        assertEquals(INDEX, markAt(m, INDEX, e8("101")));
    }

    @Test
    void price2IsTheMedian() {
        final MarkPriceCalculator m = withOneSample(INDEX, e8("100.4"), e8("100.6")); // P2 = 100.5
        assertEquals(e8("100.5"), markAt(m, INDEX, e8("101")));
    }

    @Test
    void lastPriceIsTheMedian() {
        final MarkPriceCalculator m = withOneSample(INDEX, e8("100.9"), e8("101.1")); // P2 = 101
        assertEquals(e8("100.7"), markAt(m, INDEX, e8("100.7")));
    }

    @Test
    void medianWithAFundingRate() {
        final long index = 100_000 * E8;
        final MarkPriceCalculator m = withOneSample(index, e8("99989"), e8("99991")); // P2 = 99,990
        // 4 h before funding, rate 0.01 %: P1 = 100,005, between P2 and the last price 100,010
        assertTrue(m.update(NEXT_FUNDING - 4 * HOUR_MS, index, e8("100010"), 10_000, NEXT_FUNDING, INTERVAL_MS));
        assertEquals(e8("100005"), m.markE8());
        assertEquals(100_000, MarkPriceCalculator.median(100_000, 99_990, 100_010));
        assertEquals(7, MarkPriceCalculator.median(9, 7, 3));
    }

    // ---- missing inputs ----

    @Test
    void withoutATradeTheMarkIsPrice1() {
        final MarkPriceCalculator m = withOneSample(INDEX, e8("100.4"), e8("100.6"));
        assertEquals(INDEX, markAt(m, INDEX, 0));
    }

    @Test
    void withoutABasisTheMarkIsPrice1() {
        // one side of the book empty: the sample is missing, P2 unknown
        final MarkPriceCalculator m = new MarkPriceCalculator();
        m.onTime(T0, 0, 0, 0);
        m.onTime(T0 + 5_000, INDEX, e8("100.4"), 0);
        assertEquals(0, m.basisSampleCount());
        assertEquals(INDEX, markAt(m, INDEX, e8("101")));
    }

    @Test
    void withoutAnIndexTheMarkIsUnknown() {
        final MarkPriceCalculator m = withOneSample(INDEX, e8("100.4"), e8("100.6"));
        assertFalse(m.update(T0, 0, e8("101"), 0, NEXT_FUNDING, INTERVAL_MS), "still 0");
        assertEquals(0, m.markE8());
        assertTrue(m.update(T0, INDEX, e8("101"), 0, NEXT_FUNDING, INTERVAL_MS));
        assertFalse(m.update(T0, INDEX, e8("101"), 0, NEXT_FUNDING, INTERVAL_MS), "no change, no event");
        assertTrue(m.update(T0, INDEX, e8("100.45"), 0, NEXT_FUNDING, INTERVAL_MS));
        assertEquals(e8("100.45"), m.markE8());
    }

    // ---- the moving average ----

    @Test
    void movingAverageOverTheLastThirtySeconds() {
        final MarkPriceCalculator m = new MarkPriceCalculator();
        m.onTime(T0, 0, 0, 0);
        for (int k = 1; k <= 30; k++) {
            final long mid = INDEX + k * E8 / 100; // basis 0.01 x k
            m.onTime(T0 + k * 1_000L, INDEX, mid, mid);
        }
        assertEquals(30, m.basisSampleCount());
        assertEquals(e8("0.155"), m.movingAverageBasisE8());
        m.onTime(T0 + 31_000, INDEX, INDEX + 31 * E8 / 100, INDEX + 31 * E8 / 100);
        assertEquals(30, m.basisSampleCount());
        assertEquals(e8("0.165"), m.movingAverageBasisE8(), "the oldest sample left the window");
        // P2 follows the current index, the basis only through its average
        assertEquals(e8("110.165"), markAt(m, 110 * E8, e8("111")));
    }

    @Test
    void missingSamplesAgeOutOldOnesWithoutCounting() {
        final MarkPriceCalculator m = new MarkPriceCalculator();
        m.onTime(T0, 0, 0, 0);
        final long low = INDEX + E8 / 10;
        final long high = INDEX + 4 * E8 / 10;
        m.onTime(T0 + 10_000, INDEX, low, low);        // 10 samples of 0.1
        m.onTime(T0 + 30_000, INDEX, 0, INDEX);        // 20 missing (no bids)
        m.onTime(T0 + 35_000, INDEX, high, high);      // 5 samples of 0.4; the first 5 of 0.1 leave the window
        assertEquals(10, m.basisSampleCount());
        assertEquals(e8("0.25"), m.movingAverageBasisE8());
        m.onTime(T0 + 65_000, 0, high, high);          // 30 s without an index
        assertEquals(0, m.basisSampleCount());
        assertEquals(0, m.movingAverageBasisE8());
        assertEquals(INDEX, markAt(m, INDEX, e8("101")), "no basis left: P1");
    }

    @Test
    void averageRoundsHalfAwayFromZero() {
        final MarkPriceCalculator down = withOneSample(INDEX, e8("99"), e8("100.00000001"));
        assertEquals(-50_000_000, down.movingAverageBasisE8(), "-0.499999995");
        final MarkPriceCalculator up = withOneSample(INDEX, e8("100"), e8("101.00000001"));
        assertEquals(50_000_001, up.movingAverageBasisE8(), "0.500000005");
    }

    @Test
    void theWindowIsConfigurable() {
        final MarkPriceCalculator m = new MarkPriceCalculator(60);
        assertEquals(60, m.windowSeconds());
        m.onTime(T0, 0, 0, 0);
        m.onTime(T0 + 60_000, INDEX, INDEX + E8, INDEX + E8);
        m.onTime(T0 + 90_000, INDEX, INDEX - E8, INDEX - E8);
        assertEquals(60, m.basisSampleCount());
        assertEquals(0, m.movingAverageBasisE8(), "30 s at +1 and 30 s at -1");
        assertThrows(IllegalArgumentException.class, () -> new MarkPriceCalculator(0));
        assertThrows(IllegalArgumentException.class,
            () -> new MarkPriceCalculator(MarkPriceCalculator.MAX_WINDOW_SECONDS + 1));
    }

    @Test
    void oneJumpEqualsStepsOfOneSecond() {
        final SplittableRandom random = new SplittableRandom(99);
        final MarkPriceCalculator jumps = new MarkPriceCalculator();
        final MarkPriceCalculator steps = new MarkPriceCalculator();
        long now = T0 + 123;
        jumps.onTime(now, 0, 0, 0);
        steps.onTime(now, 0, 0, 0);
        long index = 0;
        long bid = 0;
        long ask = 0;
        for (int i = 0; i < 400; i++) {
            final int gapKind = random.nextInt(20);
            final long next = now + (gapKind < 12 ? random.nextLong(0, 2_500)
                : gapKind < 19 ? random.nextLong(2_500, 45_000) : random.nextLong(HOUR_MS, 10 * HOUR_MS));
            for (long t = (Math.floorDiv(now, 1_000) + 1) * 1_000; t < next; t += 1_000) {
                steps.onTime(t, index, bid, ask);
            }
            steps.onTime(next, index, bid, ask);
            jumps.onTime(next, index, bid, ask);
            assertEquals(steps.basisSampleCount(), jumps.basisSampleCount(), "step " + i);
            assertEquals(steps.movingAverageBasisE8(), jumps.movingAverageBasisE8(), "step " + i);
            steps.update(next, index, bid, 10_000, NEXT_FUNDING, INTERVAL_MS);
            jumps.update(next, index, bid, 10_000, NEXT_FUNDING, INTERVAL_MS);
            assertEquals(steps.markE8(), jumps.markE8());
            now = next;
            switch (random.nextInt(4)) {
                case 0 -> index = random.nextInt(8) == 0 ? 0 : INDEX + random.nextLong(-E8, E8);
                case 1 -> bid = random.nextInt(6) == 0 ? 0 : INDEX + random.nextLong(-2 * E8, E8);
                case 2 -> ask = random.nextInt(6) == 0 ? 0 : INDEX + random.nextLong(-E8, 2 * E8);
                default -> { }
            }
        }
    }

    @Test
    void aJumpOfAnyLengthCostsOneWindow() {
        final MarkPriceCalculator m = withOneSample(INDEX, INDEX + E8, INDEX + E8);
        // 1e15 ms is 1e12 seconds: only a refill of the window can finish in time
        assertTimeoutPreemptively(Duration.ofSeconds(2),
            () -> assertTrue(m.onTime(T0 + 1_000_000_000_000_000L, INDEX, INDEX - E8, INDEX - E8)));
        assertEquals(30, m.basisSampleCount());
        assertEquals(-E8, m.movingAverageBasisE8());
    }

    // ---- forced marks ----

    @Test
    void aForcedMarkStaysUntilTheNextIndexTick() {
        final MarkPriceCalculator m = withOneSample(INDEX, e8("100.4"), e8("100.6"));
        assertEquals(e8("100.5"), markAt(m, INDEX, e8("101")));
        assertTrue(m.force(e8("95")));
        assertTrue(m.isForced());
        assertEquals(e8("95"), m.markE8());
        assertFalse(m.update(T0 + 2_000, INDEX, e8("102"), 10_000, NEXT_FUNDING, INTERVAL_MS),
            "inputs move, mark stays");
        assertEquals(e8("95"), m.markE8());
        assertTrue(m.onTime(T0 + 3_000, INDEX, e8("100.4"), e8("100.6")), "sampling goes on");
        assertEquals(3, m.basisSampleCount());
        assertFalse(m.force(e8("95")), "the same forced value is no change");
        m.onIndexTick();
        assertFalse(m.isForced());
        assertTrue(m.update(T0 + 3_000, INDEX, e8("101"), 0, NEXT_FUNDING, INTERVAL_MS));
        assertEquals(e8("100.5"), m.markE8());
    }

    @Test
    void aMarkCanBeForcedBeforeAnyIndex() {
        final MarkPriceCalculator m = new MarkPriceCalculator();
        assertTrue(m.force(e8("121600")));
        assertFalse(m.update(T0, 0, 0, 0, NEXT_FUNDING, INTERVAL_MS));
        assertEquals(e8("121600"), m.markE8());
        m.onIndexTick();
        assertTrue(m.update(T0, e8("121609.1"), 0, 0, NEXT_FUNDING, INTERVAL_MS));
        assertEquals(e8("121609.1"), m.markE8());
    }
}
