package org.perpcore.core.funding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perpcore.core.num.Fixed;

/** Premium index, weighted average, funding rate formula and payment rounding. */
class FundingCalculatorTest {
    private static final long E8 = Fixed.E8;
    private static final long HOUR_MS = 3_600_000;
    private static final long INTERVAL_MS = 8 * HOUR_MS;
    private static final long CAP_E8 = FundingCalculator.DEFAULT_CAP_E8;
    private static final long INTEREST_E8 = FundingCalculator.DEFAULT_INTEREST_RATE_E8;
    private static final long INDEX_E8 = 100_000 * E8;

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static long rate(long averagePremiumE8) {
        return FundingCalculator.fundingRateE8(averagePremiumE8, INTEREST_E8, INTERVAL_MS, CAP_E8);
    }

    // ---- formula ----

    @Test
    void bitmexOndoExample() {
        // RISK-REFERENCES.md: P = -0.00184, I = 0.0001 -> F = -0.00184 + clamp(0.00194, -0.0005, 0.0005) = -0.00134
        assertEquals(-134_000, FundingCalculator.fundingRateE8(-184_000, 10_000, INTERVAL_MS, CAP_E8));
    }

    @Test
    void rateIsTheInterestRateWhileInterestMinusPremiumIsWithinTheDampener() {
        // Binance: if (I - P) is within +/-0.05 % then F = I; here P from -0.04 % to +0.06 %
        for (long premiumE8 : new long[] {-40_000, -10_000, 0, 10_000, 35_000, 60_000}) {
            assertEquals(INTEREST_E8, rate(premiumE8), "P = " + premiumE8);
        }
        assertEquals(20_000, rate(70_000), "P 0.07 %: F = P - 0.05 %");
        assertEquals(0, rate(-50_000), "P -0.05 %: F = P + 0.05 %");
        assertEquals(-1, rate(-50_001));
        assertEquals(10_001, rate(60_001));
    }

    @Test
    void rateIsCappedPerMarket() {
        assertEquals(CAP_E8, rate(2 * E8 / 100));
        assertEquals(-CAP_E8, rate(-2 * E8 / 100));
        assertEquals(1_950_000, FundingCalculator.fundingRateE8(2_000_000, INTEREST_E8, INTERVAL_MS, 3_000_000));
        assertEquals(CAP_E8, rate(FundingCalculator.PREMIUM_LIMIT_E8));
    }

    @Test
    void binanceScalesTheEightHourRateToShorterIntervals() {
        // Binance 2025-09-18: F = [P + clamp(I - P, 0.05 %, -0.05 %)] / (8 / N); a 4-hour contract pays half
        assertEquals(5_000, FundingCalculator.fundingRateE8(0, INTEREST_E8, 4 * HOUR_MS, CAP_E8));
        assertEquals(1_250, FundingCalculator.fundingRateE8(0, INTEREST_E8, HOUR_MS, CAP_E8));
        assertEquals(10_000, FundingCalculator.fundingRateE8(70_000, INTEREST_E8, 4 * HOUR_MS, CAP_E8));
        // 20,001 / 2 = 10,000.5: half away from zero, both signs
        assertEquals(10_001, FundingCalculator.fundingRateE8(70_001, INTEREST_E8, 4 * HOUR_MS, CAP_E8));
        assertEquals(-10_001, FundingCalculator.fundingRateE8(-70_001, -INTEREST_E8, 4 * HOUR_MS, CAP_E8));
        // the cap applies to the scaled rate
        assertEquals(CAP_E8, FundingCalculator.fundingRateE8(E8, INTEREST_E8, HOUR_MS, CAP_E8));
    }

    @Test
    void premiumIndexFromImpactPricesAroundTheIndex() {
        final long index = 100 * E8;
        assertEquals(50_000, FundingCalculator.premiumIndexE8(index, e8("100.05"), e8("100.10")));
        assertEquals(-100_000, FundingCalculator.premiumIndexE8(index, e8("99.8"), e8("99.9")));
        assertEquals(0, FundingCalculator.premiumIndexE8(index, e8("99.95"), e8("100.05")));
        // a side too thin (0) counts as no premium on that side, never as a price of 0
        assertEquals(0, FundingCalculator.premiumIndexE8(index, e8("99.5"), 0));
        assertEquals(0, FundingCalculator.premiumIndexE8(index, 0, e8("100.5")));
        assertEquals(-200_000, FundingCalculator.premiumIndexE8(index, 0, e8("99.8")));
        assertEquals(0, FundingCalculator.premiumIndexE8(0, e8("100.5"), e8("100.6")));
        // half away from zero: 1e-8 over an index of 2 is 0.5e-8
        assertEquals(1, FundingCalculator.premiumIndexE8(2 * E8, 2 * E8 + 1, 0));
        assertEquals(-1, FundingCalculator.premiumIndexE8(2 * E8, 0, 2 * E8 - 1));
        // absurd books saturate instead of overflowing
        assertEquals(FundingCalculator.PREMIUM_LIMIT_E8, FundingCalculator.premiumIndexE8(1, 1_000_000 * E8, 0));
    }

    private static long e8(String value) {
        return new BigDecimal(value).movePointRight(8).longValueExact();
    }

    // ---- funding times and sampling ----

    @Test
    void fundingTimesAreAlignedToTheEpoch() {
        final FundingCalculator f = new FundingCalculator();
        assertEquals(0, f.nextFundingTimeMs());
        f.onTime(at("2025-10-10T14:00:00Z"), 0, 0, 0);
        assertEquals(at("2025-10-10T16:00:00Z"), f.nextFundingTimeMs());
        final FundingCalculator g = new FundingCalculator();
        g.onTime(at("2025-10-10T23:59:59.999Z"), 0, 0, 0);
        assertEquals(at("2025-10-11T00:00:00Z"), g.nextFundingTimeMs());
        final FundingCalculator h = new FundingCalculator();
        h.onTime(at("2025-10-11T08:00:00Z"), 0, 0, 0);
        assertEquals(at("2025-10-11T16:00:00Z"), h.nextFundingTimeMs(),
            "a start exactly on a funding time settles nothing");
        final FundingCalculator fourHours = new FundingCalculator(4 * HOUR_MS, INTEREST_E8, CAP_E8);
        fourHours.onTime(at("2025-10-11T05:00:00Z"), 0, 0, 0);
        assertEquals(at("2025-10-11T08:00:00Z"), fourHours.nextFundingTimeMs());
    }

    @Test
    void advancingEightHoursAtOnceTakes5760SamplesInConstantTime() {
        final FundingCalculator f = new FundingCalculator();
        final long start = at("2025-10-10T16:00:00Z");
        f.onTime(start, 0, 0, 0);
        final long bid = INDEX_E8 + INDEX_E8 / 1000; // premium 0.1 %
        assertFalse(f.onTime(start + INTERVAL_MS - 1, INDEX_E8, bid, 0));
        assertEquals(5_759, f.sampleCount(), "the sample at 24:00 is not taken yet");
        assertEquals(rate(100_000), f.estimatedFundingRateE8());
        assertTrue(f.onTime(start + INTERVAL_MS, INDEX_E8, bid, 0));
        assertEquals(start + INTERVAL_MS, f.lastFundingTimeMs());
        assertEquals(100_000, f.lastAveragePremiumE8());
        assertEquals(50_000, f.lastFundingRateE8(), "0.1 % - 0.05 %");
        assertEquals(start + 2 * INTERVAL_MS, f.nextFundingTimeMs());
        assertEquals(0, f.sampleCount(), "sampling restarted");
        assertFalse(f.onTime(start + INTERVAL_MS, INDEX_E8, bid, 0), "same time again: nothing to do");

        final FundingCalculator g = new FundingCalculator();
        g.onTime(start, 0, 0, 0);
        assertTrue(g.onTime(start + INTERVAL_MS + 4_999, INDEX_E8, bid, 0), "one jump over the whole interval");
        assertEquals(50_000, g.lastFundingRateE8());
        assertFalse(g.onTime(start + INTERVAL_MS + 4_999, INDEX_E8, bid, 0));
        assertEquals(0, g.sampleCount(), "no sample between 24:00 and 24:00:04.999");
    }

    @Test
    void laterSamplesWeighMore() {
        // first half of the interval at +0.2 %, second half at 0: weights 1..2880 vs 2881..5760
        final FundingCalculator f = new FundingCalculator();
        final long start = at("2025-10-10T16:00:00Z");
        f.onTime(start, 0, 0, 0);
        f.onTime(start + INTERVAL_MS / 2, INDEX_E8, INDEX_E8 + INDEX_E8 / 500, 0);
        assertEquals(200_000, f.averagePremiumE8());
        assertTrue(f.onTime(start + INTERVAL_MS, INDEX_E8, INDEX_E8, INDEX_E8 + 1));
        final BigInteger weightFirst = BigInteger.valueOf(2880L * 2881 / 2);
        final BigInteger total = BigInteger.valueOf(5760L * 5761 / 2);
        final long expected = halfAway(weightFirst.multiply(BigInteger.valueOf(200_000)), total);
        assertEquals(expected, f.lastAveragePremiumE8());
        assertEquals(50_009, expected, "hand check: 0.2 % x 4,148,640 / 16,591,680, far below the plain mean of 0.1 %");
        assertEquals(rate(expected), f.lastFundingRateE8());
        assertEquals(INTEREST_E8, f.lastFundingRateE8(), "I - P = -0.040009 % is within the dampener");
    }

    @Test
    void oneCallPerFundingTimeWhenAJumpCrossesSeveral() {
        final FundingCalculator f = new FundingCalculator();
        f.onTime(at("2025-10-10T14:00:00Z"), 0, 0, 0);
        final long a = INDEX_E8 + INDEX_E8 / 1000;     // +0.1 %
        final long b = INDEX_E8 - INDEX_E8 / 500;      // -0.2 % on the asks
        f.onTime(at("2025-10-10T15:00:00Z"), INDEX_E8, a, 0);
        final long now = at("2025-10-11T10:00:00Z");
        final List<Long> times = new ArrayList<>();
        final List<Long> rates = new ArrayList<>();
        while (f.onTime(now, INDEX_E8, 0, b)) {
            times.add(f.lastFundingTimeMs());
            rates.add(f.lastFundingRateE8());
        }
        assertEquals(List.of(at("2025-10-10T16:00:00Z"), at("2025-10-11T00:00:00Z"), at("2025-10-11T08:00:00Z")),
            times);
        // 14:00-15:00 at +0.1 % (720 samples), 15:00-16:00 at -0.2 % (720 samples)
        final BigInteger first = BigInteger.valueOf(720L * 721 / 2).multiply(BigInteger.valueOf(100_000));
        final BigInteger second = BigInteger.valueOf(1440L * 1441 / 2 - 720L * 721 / 2)
            .multiply(BigInteger.valueOf(-200_000));
        final long mixed = halfAway(first.add(second), BigInteger.valueOf(1440L * 1441 / 2));
        assertEquals(List.of(rate(mixed), rate(-200_000), rate(-200_000)), rates);
        assertEquals(at("2025-10-11T16:00:00Z"), f.nextFundingTimeMs());
        assertEquals(1_440, f.sampleCount(), "08:00 to 10:00");
        assertEquals(-200_000, f.averagePremiumE8());
    }

    @Test
    void withoutAnIndexNoSampleIsTakenAndAnEmptyIntervalSettlesAtZero() {
        final FundingCalculator f = new FundingCalculator();
        final long start = at("2025-10-10T16:00:00Z");
        f.onTime(start, 0, 0, 0);
        assertEquals(0, f.estimatedFundingRateE8());
        assertTrue(f.onTime(start + INTERVAL_MS, 0, 110 * E8, 0));
        assertEquals(0, f.lastFundingRateE8());
        assertEquals(0, f.lastAveragePremiumE8());
        // the index arrives at 02:00: only samples from then on count
        f.onTime(start + INTERVAL_MS + 2 * HOUR_MS, 0, 0, 0);
        assertFalse(f.onTime(start + INTERVAL_MS + 3 * HOUR_MS, INDEX_E8, INDEX_E8 + INDEX_E8 / 1000, 0));
        assertEquals(720, f.sampleCount());
        assertEquals(100_000, f.averagePremiumE8());
        assertEquals(50_000, f.estimatedFundingRateE8());
    }

    @Test
    void aSampleAtExactlyAFundingTimeBelongsToTheIntervalItEnds() {
        final FundingCalculator f = new FundingCalculator(5 * 5_000, INTEREST_E8, CAP_E8); // 25 s: 5 samples
        f.onTime(0, 0, 0, 0);
        assertFalse(f.onTime(4_999, INDEX_E8, INDEX_E8, 0));
        assertEquals(0, f.sampleCount(), "no boundary in (0, 4999]");
        assertFalse(f.onTime(5_000, INDEX_E8, INDEX_E8, 0));
        assertEquals(1, f.sampleCount(), "the boundary at 5000 is in (4999, 5000]");
        assertTrue(f.onTime(25_000, INDEX_E8, INDEX_E8, 0));
        assertEquals(0, f.sampleCount());
        assertFalse(f.onTime(29_999, INDEX_E8, INDEX_E8, 0));
        assertEquals(0, f.sampleCount());
        assertFalse(f.onTime(30_000, INDEX_E8, INDEX_E8, 0));
        assertEquals(1, f.sampleCount());
        assertFalse(f.onTime(20_000, INDEX_E8, INDEX_E8, 0), "time never goes back");
        assertEquals(1, f.sampleCount());
    }

    @Test
    void rejectsAnIntervalItCannotSample() {
        assertThrows(IllegalArgumentException.class, () -> new FundingCalculator(4_999, INTEREST_E8, CAP_E8));
        assertThrows(IllegalArgumentException.class,
            () -> new FundingCalculator(FundingCalculator.MAX_INTERVAL_MS + 1, INTEREST_E8, CAP_E8));
        assertThrows(IllegalArgumentException.class, () -> new FundingCalculator(INTERVAL_MS, INTEREST_E8, -1));
    }

    // ---- closed form against brute force ----

    /** One command: its time and the state before it (index, impact bid, impact ask). */
    private record Step(long nowMs, long indexE8, long impactBidE8, long impactAskE8) {
    }

    /** A funding time reached: time, average premium, rate. */
    private record Settlement(long timeMs, long averagePremiumE8, long rateE8) {
    }

    @Test
    void closedFormMatchesSampleBySampleAndABruteForceWeightedAverage() {
        final SplittableRandom random = new SplittableRandom(2025);
        for (int run = 0; run < 40; run++) {
            final long intervalMs = new long[] {HOUR_MS, 4 * HOUR_MS, INTERVAL_MS, 37_000}[run % 4];
            final List<Step> steps = randomSteps(random, intervalMs);
            final List<Settlement> jumps = runClosedForm(steps, intervalMs, false);
            final List<Settlement> stepped = runClosedForm(steps, intervalMs, true);
            final List<Settlement> brute = bruteForce(steps, intervalMs);
            assertEquals(brute, jumps, "closed form vs brute force, run " + run);
            assertEquals(brute, stepped, "sample by sample vs brute force, run " + run);
            assertTrue(brute.size() > 2, "the run crosses funding times");
            assertEquals(jumps, runClosedForm(steps, intervalMs, false), "a replay gives the same settlements");
        }
    }

    private static List<Step> randomSteps(SplittableRandom random, long intervalMs) {
        final List<Step> steps = new ArrayList<>();
        long now = at("2025-10-10T13:17:42.123Z") + random.nextLong(0, intervalMs);
        long index = 0;
        long bid = 0;
        long ask = 0;
        for (int i = 0; i < 120; i++) {
            steps.add(new Step(now, index, bid, ask));
            // the command changes the state seen by the next one
            switch (random.nextInt(4)) {
                case 0 -> index = random.nextInt(10) == 0 ? index : INDEX_E8 + random.nextLong(-50, 50) * E8;
                case 1 -> bid = random.nextInt(5) == 0 ? 0 : index + random.nextLong(-200, 300) * E8;
                case 2 -> ask = random.nextInt(5) == 0 ? 0 : index + random.nextLong(-300, 200) * E8;
                default -> { }
            }
            final int gapKind = random.nextInt(10);
            now += gapKind < 5 ? random.nextLong(0, 3_000)
                : gapKind < 8 ? random.nextLong(3_000, 120_000)
                : gapKind < 9 ? random.nextLong(0, intervalMs)
                : random.nextLong(intervalMs, 3 * intervalMs);
        }
        return steps;
    }

    /** The calculator fed the commands, optionally with an extra call at every 5-second boundary in between. */
    private static List<Settlement> runClosedForm(List<Step> steps, long intervalMs, boolean everyBoundary) {
        final FundingCalculator f = new FundingCalculator(intervalMs, INTEREST_E8, CAP_E8);
        final List<Settlement> out = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (Step s : steps) {
            if (everyBoundary && previous != Long.MIN_VALUE) {
                for (long t = (Math.floorDiv(previous, 5_000) + 1) * 5_000; t < s.nowMs; t += 5_000) {
                    drain(f, t, s, out);
                }
            }
            drain(f, s.nowMs, s, out);
            previous = s.nowMs;
        }
        return out;
    }

    private static void drain(FundingCalculator f, long nowMs, Step s, List<Settlement> out) {
        while (f.onTime(nowMs, s.indexE8, s.impactBidE8, s.impactAskE8)) {
            out.add(new Settlement(f.lastFundingTimeMs(), f.lastAveragePremiumE8(), f.lastFundingRateE8()));
        }
    }

    /** Every 5-second sample listed one by one, weights 1..n summed in BigInteger. */
    private static List<Settlement> bruteForce(List<Step> steps, long intervalMs) {
        final List<Settlement> out = new ArrayList<>();
        final List<Long> samples = new ArrayList<>();
        long previous = steps.get(0).nowMs;
        long nextFunding = Math.floorDiv(previous, intervalMs) * intervalMs + intervalMs;
        for (int i = 1; i < steps.size(); i++) {
            final Step s = steps.get(i);
            for (long t = (Math.floorDiv(previous, 5_000) + 1) * 5_000; ; t += 5_000) {
                while (nextFunding < t && nextFunding <= s.nowMs) {
                    out.add(settle(samples, nextFunding, intervalMs));
                    nextFunding += intervalMs;
                }
                if (t > s.nowMs) {
                    break;
                }
                if (s.indexE8 > 0) {
                    samples.add(premium(s));
                }
            }
            while (nextFunding <= s.nowMs) {
                out.add(settle(samples, nextFunding, intervalMs));
                nextFunding += intervalMs;
            }
            previous = s.nowMs;
        }
        return out;
    }

    /** The premium index written out from its definition, in BigDecimal. */
    private static long premium(Step s) {
        BigDecimal difference = BigDecimal.ZERO;
        if (s.impactBidE8 > 0) {
            difference = difference.add(BigDecimal.valueOf(Math.max(0, s.impactBidE8 - s.indexE8)));
        }
        if (s.impactAskE8 > 0) {
            difference = difference.subtract(BigDecimal.valueOf(Math.max(0, s.indexE8 - s.impactAskE8)));
        }
        return difference.movePointRight(8).divide(BigDecimal.valueOf(s.indexE8), 0, RoundingMode.HALF_UP)
            .longValueExact();
    }

    private static Settlement settle(List<Long> samples, long timeMs, long intervalMs) {
        BigInteger weighted = BigInteger.ZERO;
        for (int k = 0; k < samples.size(); k++) {
            weighted = weighted.add(BigInteger.valueOf(k + 1).multiply(BigInteger.valueOf(samples.get(k))));
        }
        final long n = samples.size();
        final long average = n == 0 ? 0 : halfAway(weighted, BigInteger.valueOf(n * (n + 1) / 2));
        final long rate = n == 0 ? 0 : FundingCalculator.fundingRateE8(average, INTEREST_E8, intervalMs, CAP_E8);
        samples.clear();
        return new Settlement(timeMs, average, rate);
    }

    /** Division rounded half away from zero (BigDecimal's HALF_UP). */
    private static long halfAway(BigInteger numerator, BigInteger denominator) {
        return new BigDecimal(numerator).divide(new BigDecimal(denominator), 0, RoundingMode.HALF_UP).longValueExact();
    }

    // ---- payments ----

    @Test
    void longsPayShortsWhenTheRateIsPositiveAndTheReverse() {
        final long oneBtc = E8;
        assertEquals(10 * E8, FundingCalculator.paymentE8(oneBtc, INDEX_E8, 10_000), "1 BTC at 100,000 x 0.01 %");
        assertEquals(-10 * E8, FundingCalculator.paymentE8(-oneBtc, INDEX_E8, 10_000));
        assertEquals(13 * E8, FundingCalculator.paymentE8(-oneBtc, INDEX_E8, -13_000));
        assertEquals(-13 * E8, FundingCalculator.paymentE8(oneBtc, INDEX_E8, -13_000));
        assertEquals(0, FundingCalculator.paymentE8(oneBtc, INDEX_E8, 0));
        assertEquals(0, FundingCalculator.paymentE8(0, INDEX_E8, 10_000));
    }

    @Test
    void payersRoundUpAndReceiversRoundDown() {
        // 0.001 BTC at 12,345.12345678: notional 12.34512345678, x 0.01 % = 0.001234512345678
        final long qty = 100_000;
        final long mark = 1_234_512_345_678L;
        assertEquals(123_452, FundingCalculator.paymentE8(qty, mark, 10_000));
        assertEquals(-123_451, FundingCalculator.paymentE8(-qty, mark, 10_000));
    }

    @Test
    void paymentsNeverCreateMoneyAndTheResidueIsTiny() {
        final SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 2_000; round++) {
            final long mark = random.nextLong(1, 200_000 * E8);
            final long rate = random.nextLong(-CAP_E8, CAP_E8 + 1);
            final int positions = random.nextInt(2, 20);
            final long[] longs = new long[positions];
            long openInterest = 0;
            for (int i = 0; i < positions; i++) {
                longs[i] = random.nextLong(1, 1_000 * E8);
                openInterest += longs[i];
            }
            // shorts split the same open interest differently
            final List<Long> shorts = new ArrayList<>();
            long left = openInterest;
            while (left > 0) {
                final long q = Math.min(left, random.nextLong(1, 2_000 * E8));
                shorts.add(-q);
                left -= q;
            }
            long sum = 0;
            int count = 0;
            for (long q : longs) {
                sum += checkedPayment(q, mark, rate);
                count++;
            }
            for (long q : shorts) {
                sum += checkedPayment(q, mark, rate);
                count++;
            }
            assertTrue(sum >= 0, "payers cover receivers: residue " + sum);
            assertTrue(sum <= 2L * count, "residue at most 2e-8 a position: " + sum);
        }
    }

    /** The payment, checked against the exact amount: a payer pays at least it, a receiver gets at most it. */
    private static long checkedPayment(long qty, long mark, long rate) {
        final long payment = FundingCalculator.paymentE8(qty, mark, rate);
        final BigDecimal exact = BigDecimal.valueOf(qty).multiply(BigDecimal.valueOf(mark))
            .multiply(BigDecimal.valueOf(rate))
            .movePointLeft(16);
        assertTrue(BigDecimal.valueOf(payment).compareTo(exact) >= 0, "rounded against the account");
        assertTrue(BigDecimal.valueOf(payment).subtract(exact).compareTo(BigDecimal.valueOf(2)) <= 0);
        return payment;
    }
}
