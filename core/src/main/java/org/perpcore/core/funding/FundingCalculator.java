package org.perpcore.core.funding;

import org.perpcore.core.num.Fixed;
import org.perpcore.core.snapshot.SnapshotFormatException;
import org.perpcore.core.snapshot.SnapshotSink;
import org.perpcore.core.snapshot.SnapshotSource;

/**
 * The funding rate of one market, from premium-index samples taken on command time. Mutable, single-threaded,
 * deterministic: its state is a function of the sequence of calls only (no clock), every operation is O(1),
 * allocation-free and exception-free (only the constructor validates and may throw).
 *
 * <h2>Binance USDⓈ-M rules implemented</h2>
 * Sources: "Introduction to Binance Futures Funding Rates", https://www.binance.com/en/support/faq/360033525031
 * (IMN, 5-second premium index, 5,760 points, weights 1..n, the +/-0.05 % dampener, I = 0.01 %); the announcement
 * of 2025-09-16, effective 2025-09-18 08:01 UTC, that scales the rate to the settlement frequency (as reported at
 * https://www.btc0o0.com/en/news/22361.html); the CVCUSDT leverage-tier announcement for the cap,
 * https://www.binance.com/en/support/announcement/binance-futures-will-delist-and-update-the-leverage-margin-tiers-of-cvcusdt-perpetual-futures-contract-3188e26f14a1464b91487abad452c04f;
 * {@code GET /fapi/v1/fundingInfo},
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Get-Funding-Rate-Info.
 * <ul>
 *   <li>Premium index {@code P = [max(0, impact bid - index) - max(0, index - impact ask)] / index}
 *       ({@link #premiumIndexE8}), sampled every 5 seconds (5,760 samples in 8 hours).</li>
 *   <li>At each funding time the average premium index is time-weighted with weights 1..n:
 *       {@code P = (1 x P1 + 2 x P2 + ... + n x Pn) / (1 + 2 + ... + n)}.</li>
 *   <li>{@code F = [P + clamp(I - P, -0.05 %, +0.05 %)] / (8 / N)} where I = 0.01 % (the 8-hour interest rate,
 *       0.03 % a day) and N the funding interval in hours: the whole 8-hour rate is scaled to the interval. For
 *       the default 8 h interval this is the classic {@code F = P + clamp(I - P, -0.05 %, 0.05 %)}; Binance's
 *       example: a 4-hour contract (PUMPUSDT) pays half of it. When {@code |I - P| <= 0.05 %}, F = I.</li>
 *   <li>Capped funding rate {@code clamp(F, -cap, +cap)}. Binance states the cap as
 *       {@code clamp(F, -1 x maintenance margin ratio, 1 x maintenance margin ratio)} (the CVCUSDT
 *       announcement) and publishes per-symbol adjusted caps ({@code GET /fapi/v1/fundingInfo},
 *       {@code adjustedFundingRateCap}, e.g. 0.02, 0.025, 0.03). The default {@link #DEFAULT_CAP_E8} is 0.4 %,
 *       BTCUSDT's first-tier maintenance margin rate (the default market is BTCUSDT-like, 125x).</li>
 *   <li>Funding times are aligned to the epoch: every multiple of the interval (00:00, 08:00, 16:00 UTC for 8 h).</li>
 * </ul>
 *
 * <h2>Sampling on command time</h2>
 * The engine calls {@link #onTime} before each command with the state before that command (index, impact bid,
 * impact ask). Sample times are the multiples of {@link #SAMPLE_PERIOD_MS} since the epoch; a call at
 * {@code nowMs} takes every sample time {@code t} with {@code lastMs < t <= nowMs}, all with the state passed,
 * because nothing changed between the previous call and now. A sample at exactly a funding time belongs to the
 * interval that ends there (so an 8 h interval holds samples at +5 s, +10 s, ..., +8 h). Taking {@code m} equal
 * samples after {@code n} adds {@code P x (m n + m (m + 1) / 2)} to the weighted sum: closed form, O(1) whatever
 * the gap. The weighted sum is kept exactly in 128 bits.
 *
 * <h2>Choices where Binance is silent</h2>
 * <ul>
 *   <li>No index yet ({@code indexE8 <= 0}): no sample is taken. An interval with no sample at all settles at
 *       rate 0 (there is no mark either, so no payment would be due).</li>
 *   <li>A side too thin to fill the impact notional (impact price 0) counts as no premium on that side.</li>
 *   <li>Each premium sample is rounded half away from zero to E8 and limited to {@code +/-}
 *       {@link #PREMIUM_LIMIT_E8}, a bound far beyond any cap that keeps every product in range.</li>
 *   <li>The first call only starts the clock: it takes no sample and sets the next funding time to the first
 *       funding time strictly after it. A call whose time is not after the previous one does nothing.</li>
 * </ul>
 *
 * <h2>Call protocol</h2>
 * <pre>{@code
 * // before each command, with the state before it:
 * while (funding.onTime(nowMs, indexE8, impactBidE8, impactAskE8)) {
 *     final long fundingTimeMs = funding.lastFundingTimeMs();
 *     // the mark as of the funding time: no time left until it, so P1 is the index whatever the rate
 *     mark.onTime(fundingTimeMs, indexE8, bestBidE8, bestAskE8);
 *     mark.update(fundingTimeMs, indexE8, lastPriceE8, funding.lastFundingRateE8(), fundingTimeMs,
 *         funding.intervalMs());
 *     // pay each position FundingCalculator.paymentE8(qtyE8, mark.markE8(), funding.lastFundingRateE8());
 *     // credit the residue (sum of the payments, >= 0) to the funding-residue ledger
 * }
 * }</pre>
 * A call stops at the first funding time it reaches and returns true; the next call with the same arguments
 * continues from there, so a jump over k funding times settles each of them, in order, in k + 1 calls.
 */
public final class FundingCalculator {
    /** Premium-index sampling period: 5 s (Binance). */
    public static final long SAMPLE_PERIOD_MS = 5_000;
    /** The interval Binance's formula is written for; other intervals scale the rate by interval / 8 h. */
    public static final long BASE_INTERVAL_MS = 8L * 3_600_000;
    /** Interest rate per 8 h: 0.01 % (0.03 % a day), Binance's default. */
    public static final long DEFAULT_INTEREST_RATE_E8 = 10_000;
    /** The +/- bound of {@code clamp(I - P)}: 0.05 %. */
    public static final long PREMIUM_CLAMP_E8 = 50_000;
    /** Default cap on the funding rate: +/- 0.4 % (see the class comment). */
    public static final long DEFAULT_CAP_E8 = 400_000;
    /** Bound on one premium sample: +/- 100 (10,000 %). */
    public static final long PREMIUM_LIMIT_E8 = 100 * Fixed.E8;
    /** Longest funding interval accepted: 366 days (keeps the weights within 64 bits). */
    public static final long MAX_INTERVAL_MS = 366L * 24 * 3_600_000;

    private final long intervalMs;
    private final long interestRateE8;
    private final long capE8;

    private boolean started;
    private long lastMs;
    private long nextFundingTimeMs;
    private long lastFundingTimeMs;
    private long lastFundingRateE8;
    private long lastAveragePremiumE8;
    private long lastPremiumE8;

    /** Samples taken in the current interval. */
    private long sampleCount;
    /** Sum of k x P_k over the current interval, as a signed 128-bit (hi:lo). */
    private long weightedSumHi;
    private long weightedSumLo;

    /** A calculator with Binance's defaults: 8 h interval, 0.01 % interest, 0.4 % cap. */
    public FundingCalculator() {
        this(BASE_INTERVAL_MS, DEFAULT_INTEREST_RATE_E8, DEFAULT_CAP_E8);
    }

    /**
     * @param intervalMs     funding interval, from {@link #SAMPLE_PERIOD_MS} to {@link #MAX_INTERVAL_MS}
     * @param interestRateE8 interest rate per 8 h, within +/- 1 (Binance: 0.01 %; 0 for some contracts)
     * @param capE8          cap on the absolute funding rate, from 0 to 1
     * @throws IllegalArgumentException when a parameter is out of range (configuration time, not the hot path)
     */
    public FundingCalculator(long intervalMs, long interestRateE8, long capE8) {
        if (intervalMs < SAMPLE_PERIOD_MS || intervalMs > MAX_INTERVAL_MS) {
            throw new IllegalArgumentException("funding interval out of range: " + intervalMs + " ms");
        }
        if (Math.abs(interestRateE8) > Fixed.E8 || capE8 < 0 || capE8 > Fixed.E8) {
            throw new IllegalArgumentException("interest rate or cap out of range");
        }
        this.intervalMs = intervalMs;
        this.interestRateE8 = interestRateE8;
        this.capE8 = capE8;
    }

    /**
     * Advances command time to {@code nowMs}, taking the 5-second samples crossed with the state passed (the state
     * before the command at {@code nowMs}), up to and including the next funding time.
     *
     * @param indexE8     index price, 0 when unknown (no sample is taken)
     * @param impactBidE8 impact bid ({@link ImpactPrices#impactBidE8}), 0 when the bids cannot fill the notional
     * @param impactAskE8 impact ask, 0 when the asks cannot fill the notional
     * @return true when a funding time was reached: {@link #lastFundingRateE8()} and {@link #lastFundingTimeMs()}
     *     then hold the rate to settle, and sampling restarted for the next interval; call again with the same
     *     arguments until it returns false
     */
    public boolean onTime(long nowMs, long indexE8, long impactBidE8, long impactAskE8) {
        if (!started) {
            started = true;
            lastMs = nowMs;
            nextFundingTimeMs = Math.floorDiv(nowMs, intervalMs) * intervalMs + intervalMs;
            return false;
        }
        if (nowMs <= lastMs) {
            return false;
        }
        final long endMs = Math.min(nowMs, nextFundingTimeMs);
        final long samples = Math.floorDiv(endMs, SAMPLE_PERIOD_MS) - Math.floorDiv(lastMs, SAMPLE_PERIOD_MS);
        if (samples > 0 && indexE8 > 0) {
            addSamples(premiumIndexE8(indexE8, impactBidE8, impactAskE8), samples);
        }
        lastMs = endMs;
        if (endMs < nextFundingTimeMs) {
            return false;
        }
        lastAveragePremiumE8 = averagePremiumE8();
        lastFundingRateE8 = sampleCount == 0 ? 0 : rateOf(lastAveragePremiumE8);
        lastFundingTimeMs = nextFundingTimeMs;
        nextFundingTimeMs += intervalMs;
        sampleCount = 0;
        weightedSumHi = 0;
        weightedSumLo = 0;
        return true;
    }

    /** Takes {@code m} samples of premium {@code premiumE8}: weights n+1 .. n+m, sum m n + m (m + 1) / 2. */
    private void addSamples(long premiumE8, long m) {
        final long weight = m * sampleCount + m * (m + 1) / 2;
        final long productHi = Math.multiplyHigh(premiumE8, weight);
        final long productLo = premiumE8 * weight;
        final long sumLo = weightedSumLo + productLo;
        final long carry = Long.compareUnsigned(sumLo, weightedSumLo) < 0 ? 1 : 0;
        weightedSumHi = weightedSumHi + productHi + carry;
        weightedSumLo = sumLo;
        sampleCount += m;
        lastPremiumE8 = premiumE8;
    }

    private long rateOf(long averagePremiumE8) {
        return fundingRateE8(averagePremiumE8, interestRateE8, intervalMs, capE8);
    }

    /**
     * The premium index of one sample, E8, rounded half away from zero and limited to {@code +/-}
     * {@link #PREMIUM_LIMIT_E8}: {@code [max(0, impactBid - index) - max(0, index - impactAsk)] / index}. An impact
     * price of 0 (side too thin) contributes nothing; an index of 0 or less gives 0.
     */
    public static long premiumIndexE8(long indexE8, long impactBidE8, long impactAskE8) {
        if (indexE8 <= 0) {
            return 0;
        }
        long differenceE8 = 0;
        if (impactBidE8 > indexE8) {
            differenceE8 += impactBidE8 - indexE8;
        }
        if (impactAskE8 > 0 && impactAskE8 < indexE8) {
            differenceE8 -= indexE8 - impactAskE8;
        }
        final long premiumE8 = WideMath.mulDivHalfAway(differenceE8, Fixed.E8, indexE8);
        if (premiumE8 == Fixed.OVERFLOW) {
            return differenceE8 < 0 ? -PREMIUM_LIMIT_E8 : PREMIUM_LIMIT_E8;
        }
        return WideMath.clamp(premiumE8, PREMIUM_LIMIT_E8);
    }

    /**
     * The capped funding rate for an average premium index:
     * {@code clamp([P + clamp(I - P, -0.05 %, 0.05 %)] x intervalMs / 8 h, -cap, cap)}, the scaling rounded half
     * away from zero (exact for 8 h). BitMEX's ONDO example: P = -0.00184, I = 0.0001 gives -0.00134.
     *
     * @param averagePremiumE8 average premium index, within +/- {@link #PREMIUM_LIMIT_E8}
     * @param interestRateE8   interest rate per 8 h, within +/- 1
     * @param intervalMs       funding interval, positive, at most {@link #MAX_INTERVAL_MS}
     * @param capE8            cap on the absolute rate, not negative
     */
    public static long fundingRateE8(long averagePremiumE8, long interestRateE8, long intervalMs, long capE8) {
        final long clampedE8 = WideMath.clamp(interestRateE8 - averagePremiumE8, PREMIUM_CLAMP_E8);
        final long per8hE8 = averagePremiumE8 + clampedE8;
        final long rateE8 = intervalMs == BASE_INTERVAL_MS
            ? per8hE8
            : WideMath.mulDivHalfAway(per8hE8, intervalMs, BASE_INTERVAL_MS);
        return WideMath.clamp(rateE8, capE8);
    }

    /**
     * The funding payment of one position at a funding time, E8 of the quote asset: positive = the account pays,
     * negative = it receives. {@code payment = qty x mark x rate}: longs pay shorts when the rate is positive,
     * shorts pay longs when it is negative.
     *
     * <p>Rounding: payers round up, receivers round down, at both steps (notional at mark, then times the rate),
     * so every payer pays at least its exact share and every receiver gets at most its exact share. With equal long
     * and short open interest at one mark, the sum of all payments is therefore {@code >= 0}: that residue (at most
     * a few 1e-8 per position) stays with the exchange and the engine credits it to its funding-residue ledger, so
     * money is conserved exactly.
     *
     * @param positionQtyE8 signed position size in base units E8 (long {@code > 0}, short {@code < 0})
     * @param markE8        mark price at the funding time, positive
     * @param rateE8        the funding rate settled ({@link #lastFundingRateE8()})
     * @return the amount paid (negative: received), or {@link Fixed#OVERFLOW} when it does not fit
     */
    public static long paymentE8(long positionQtyE8, long markE8, long rateE8) {
        if (positionQtyE8 == 0 || rateE8 == 0 || markE8 <= 0) {
            return 0;
        }
        if (positionQtyE8 == Fixed.OVERFLOW || rateE8 == Fixed.OVERFLOW) {
            return Fixed.OVERFLOW;
        }
        final long qtyE8 = Math.abs(positionQtyE8);
        final long absRateE8 = Math.abs(rateE8);
        final boolean pays = (positionQtyE8 > 0) == (rateE8 > 0);
        if (pays) {
            final long notionalE8 = Fixed.mulDivCeil(qtyE8, markE8, Fixed.E8);
            return notionalE8 == Fixed.OVERFLOW ? Fixed.OVERFLOW : Fixed.mulDivCeil(notionalE8, absRateE8, Fixed.E8);
        }
        final long notionalE8 = Fixed.mulDivFloor(qtyE8, markE8, Fixed.E8);
        if (notionalE8 == Fixed.OVERFLOW) {
            return Fixed.OVERFLOW;
        }
        final long receivedE8 = Fixed.mulDivFloor(notionalE8, absRateE8, Fixed.E8);
        return receivedE8 == Fixed.OVERFLOW ? Fixed.OVERFLOW : -receivedE8;
    }

    /** The time-weighted average premium index of the current interval so far (weights 1..n), E8; 0 without samples. */
    public long averagePremiumE8() {
        if (sampleCount == 0) {
            return 0;
        }
        final long totalWeight = sampleCount * (sampleCount + 1) / 2;
        return WideMath.divHalfAway128(weightedSumHi, weightedSumLo, totalWeight);
    }

    /**
     * The rate the current interval would settle at if it ended now (Binance's "estimated funding rate"), from the
     * samples so far; 0 without samples.
     */
    public long estimatedFundingRateE8() {
        return sampleCount == 0 ? 0 : rateOf(averagePremiumE8());
    }

    /** The rate settled at the last funding time, E8; 0 before the first one. Feeds the mark price's P1. */
    public long lastFundingRateE8() {
        return lastFundingRateE8;
    }

    /** The last funding time reached, ms since the epoch; 0 before the first one. */
    public long lastFundingTimeMs() {
        return lastFundingTimeMs;
    }

    /** The average premium index the last funding rate came from, E8; 0 before the first funding time. */
    public long lastAveragePremiumE8() {
        return lastAveragePremiumE8;
    }

    /** The next funding time, ms since the epoch; 0 before the first {@link #onTime} call. */
    public long nextFundingTimeMs() {
        return nextFundingTimeMs;
    }

    /** The premium index of the most recent sample, E8; 0 before the first sample. */
    public long lastPremiumE8() {
        return lastPremiumE8;
    }

    /** Samples taken in the current interval. */
    public long sampleCount() {
        return sampleCount;
    }

    public long intervalMs() {
        return intervalMs;
    }

    public long interestRateE8() {
        return interestRateE8;
    }

    public long capE8() {
        return capE8;
    }

    /** Writes the whole state (parameters included) for a snapshot; {@link #readState} restores it exactly. */
    public void writeState(SnapshotSink out) {
        out.putLong(intervalMs);
        out.putLong(interestRateE8);
        out.putLong(capE8);
        out.putBoolean(started);
        out.putLong(lastMs);
        out.putLong(nextFundingTimeMs);
        out.putLong(lastFundingTimeMs);
        out.putLong(lastFundingRateE8);
        out.putLong(lastAveragePremiumE8);
        out.putLong(lastPremiumE8);
        out.putLong(sampleCount);
        out.putLong(weightedSumHi);
        out.putLong(weightedSumLo);
    }

    /**
     * A calculator in the state {@link #writeState} wrote.
     *
     * @throws SnapshotFormatException when the parameters are out of range or the counters impossible
     */
    public static FundingCalculator readState(SnapshotSource in) {
        final long interval = in.getLong();
        final long interest = in.getLong();
        final long cap = in.getLong();
        final FundingCalculator f;
        try {
            f = new FundingCalculator(interval, interest, cap);
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException("funding calculator: " + e.getMessage(), e);
        }
        f.started = in.getBoolean();
        f.lastMs = in.getLong();
        f.nextFundingTimeMs = in.getLong();
        f.lastFundingTimeMs = in.getLong();
        f.lastFundingRateE8 = in.getLong();
        f.lastAveragePremiumE8 = in.getLong();
        f.lastPremiumE8 = in.getLong();
        f.sampleCount = in.getLong();
        f.weightedSumHi = in.getLong();
        f.weightedSumLo = in.getLong();
        if (f.sampleCount < 0) {
            throw new SnapshotFormatException("funding calculator: negative sample count " + f.sampleCount);
        }
        return f;
    }
}
