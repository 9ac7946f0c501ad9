package org.perpcore.core.sim;

import java.util.Arrays;
import org.perpcore.core.num.Fixed;

/**
 * Every knob of a cascade simulation, with defaults shaped on Binance USDⓈ-M BTCUSDT and on 2025-10-10 (see
 * docs/CASCADE.md for where each number comes from). Fluent setters return this; a {@link CascadeSimulation}
 * copies what it needs when it is built, so changing a spec afterwards does not change a simulation already made.
 *
 * <p>Fractions and rates are doubles here because they only shape the generated commands (sizes, prices,
 * deposits are rounded to lots, ticks and E8 before they reach a command); nothing in the engine sees them.
 */
public final class CascadeSpec {
    // ---------------------------------------------------------------------------------------- market
    private String symbol = "BTCUSDT";
    private long tickE8 = 10_000_000L;   // 0.1
    private long stepE8 = 100_000L;      // 0.001
    private long makerFeeE8 = 20_000L;   // 0.02 %
    private long takerFeeE8 = 50_000L;   // 0.05 %
    private long maxQtyE8 = 1_000 * Fixed.E8;
    /**
     * Binance USDⓈ-M BTCUSDT's leverage brackets as published in its leverage-bracket table (notional floors in USDT,
     * maintenance margin rate, max leverage); cum follows from the recursion.
     */
    private long[] bracketFloorsUsdt = {0, 50_000, 250_000, 1_000_000, 10_000_000, 20_000_000, 50_000_000,
        100_000_000, 200_000_000, 300_000_000};
    private double[] bracketMmr = {0.004, 0.005, 0.01, 0.025, 0.05, 0.10, 0.125, 0.15, 0.25, 0.50};
    private int[] bracketMaxLeverage = {125, 100, 50, 20, 10, 5, 4, 3, 2, 1};

    // ---------------------------------------------------------------------------------------- population
    private int accounts = 100_000;
    private long seed = 20251010L;
    /** Probability that a trader is long (2025-10-10 was long-heavy: about 87 % of the day's liquidations were longs). */
    private double longShare = 0.75;
    private double isolatedShare = 0.15;
    /** Leverage settings and their weights: most at 5-25x, a tail at 50-125x. */
    private int[] leverages = {1, 2, 3, 5, 10, 15, 20, 25, 30, 50, 75, 100, 125};
    private double[] leverageWeights = {2, 3, 5, 14, 22, 8, 20, 8, 3, 7, 3, 3, 2};
    /** Retail notional: log-normal with this median (USDT) and log-deviation. */
    private double retailMedianUsdt = 1_500;
    private double retailSigma = 1.5;
    /** Whales: this share of accounts, Pareto from the minimum with this tail index, capped. */
    private double whaleShare = 0.002;
    private double whaleMinUsdt = 250_000;
    private double whaleAlpha = 1.5;
    private double whaleMaxUsdt = 20_000_000;
    /** Smallest position opened, USDT (Binance BTCUSDT's minimum order notional is 100). */
    private double minNotionalUsdt = 100;
    /** Entry prices around the opening price: normal with this relative deviation. */
    private double entrySpread = 0.001;
    /** Cross accounts hold more than the initial margin: exponential with this mean, as a multiple of it. */
    private double crossCushionMean = 0.6;

    /**
     * Share of the traders who open during the day rather than at its start (in proportion to the minutes' volume:
     * dip buyers and momentum shorts in the crash), and the probability that such a trader is long.
     */
    private double lateShare = 0.25;
    private double lateLongShare = 0.5;
    /** How far beyond the index a late trader's IOC order may fill (its limit). */
    private double lateSlippage = 0.002;
    /**
     * Share of the traders who open at the start that also place a stop-loss (a STOP_MARKET closePosition order on
     * the mark price) once their position is open, and where it sits: a uniform fraction within this range of the
     * way from the entry to the position's liquidation price (people set stops before the liquidation, not at it).
     */
    private double stopShare = 0.3;
    private double stopNearest = 0.35;
    private double stopFarthest = 0.85;

    // ---------------------------------------------------------------------------------------- makers, fund
    private int makers = 4;
    private int makerLevels = 10;
    /** Half the spread and the distance between levels in calm markets, basis points of the index. */
    private double makerHalfSpreadBps = 1;
    private double makerLevelSpacingBps = 2;
    /** Depth of the makers' ladders together, per side, in calm markets, as a share of the open interest. */
    private double makerDepthShare = 0.02;
    /**
     * Volatility (an exponential average over 30 s of the index's absolute moves, basis points per second) at
     * which spreads double and depth halves; they scale with 1 + volatility / this.
     */
    private double makerVolatilityRefBps = 0.5;
    /** Re-quote when the index moved this far from the last quotes' mid (bps), or after the refresh interval. */
    private double makerRequoteBps = 3;
    private long makerRefreshMs = 15_000;
    /** The insurance fund's starting balance as a share of the open interest. */
    private double insuranceShare = 0.01;

    // ---------------------------------------------------------------------------------------- replay
    private long stepMs = 1_000;
    /** The circuit breaker's mark move (0: off, as Binance had none). */
    private double haltMove = 0;

    public static CascadeSpec defaults() {
        return new CascadeSpec();
    }

    public CascadeSpec copy() {
        final CascadeSpec c = new CascadeSpec();
        c.symbol = symbol;
        c.tickE8 = tickE8;
        c.stepE8 = stepE8;
        c.makerFeeE8 = makerFeeE8;
        c.takerFeeE8 = takerFeeE8;
        c.maxQtyE8 = maxQtyE8;
        c.bracketFloorsUsdt = bracketFloorsUsdt.clone();
        c.bracketMmr = bracketMmr.clone();
        c.bracketMaxLeverage = bracketMaxLeverage.clone();
        c.accounts = accounts;
        c.seed = seed;
        c.longShare = longShare;
        c.isolatedShare = isolatedShare;
        c.leverages = leverages.clone();
        c.leverageWeights = leverageWeights.clone();
        c.retailMedianUsdt = retailMedianUsdt;
        c.retailSigma = retailSigma;
        c.whaleShare = whaleShare;
        c.whaleMinUsdt = whaleMinUsdt;
        c.whaleAlpha = whaleAlpha;
        c.whaleMaxUsdt = whaleMaxUsdt;
        c.minNotionalUsdt = minNotionalUsdt;
        c.entrySpread = entrySpread;
        c.crossCushionMean = crossCushionMean;
        c.lateShare = lateShare;
        c.lateLongShare = lateLongShare;
        c.lateSlippage = lateSlippage;
        c.stopShare = stopShare;
        c.stopNearest = stopNearest;
        c.stopFarthest = stopFarthest;
        c.makers = makers;
        c.makerLevels = makerLevels;
        c.makerHalfSpreadBps = makerHalfSpreadBps;
        c.makerLevelSpacingBps = makerLevelSpacingBps;
        c.makerDepthShare = makerDepthShare;
        c.makerVolatilityRefBps = makerVolatilityRefBps;
        c.makerRequoteBps = makerRequoteBps;
        c.makerRefreshMs = makerRefreshMs;
        c.insuranceShare = insuranceShare;
        c.stepMs = stepMs;
        c.haltMove = haltMove;
        return c;
    }

    /** Checks the spec as a whole; throws {@link IllegalArgumentException} saying what is wrong. */
    public CascadeSpec validate() {
        require(accounts >= 1 && accounts <= 2_000_000, "accounts must be 1 to 2,000,000: " + accounts);
        require(makers >= 1 && makers <= 100, "makers must be 1 to 100: " + makers);
        require(makerLevels >= 1 && makerLevels <= 90, "maker levels must be 1 to 90 per side: " + makerLevels);
        require(leverages.length == leverageWeights.length && leverages.length > 0, "leverages and weights differ");
        for (int l : leverages) {
            require(l >= 1 && l <= bracketMaxLeverage[0], "leverage out of the brackets' range: " + l);
        }
        require(bracketFloorsUsdt.length == bracketMmr.length && bracketMmr.length == bracketMaxLeverage.length
            && bracketFloorsUsdt.length > 0 && bracketFloorsUsdt[0] == 0, "brackets must start at 0 and agree");
        require(longShare >= 0 && longShare <= 1 && isolatedShare >= 0 && isolatedShare <= 1
            && whaleShare >= 0 && whaleShare <= 1 && lateShare >= 0 && lateShare <= 1 && lateLongShare >= 0
            && lateLongShare <= 1, "shares must be within [0, 1]");
        require(lateSlippage >= 0 && lateSlippage < 0.04, "lateSlippage must be within [0, 0.04)");
        require(stopShare >= 0 && stopShare <= 1 && stopNearest > 0 && stopNearest <= stopFarthest
            && stopFarthest < 1, "stops: share within [0, 1], 0 < nearest <= farthest < 1");
        require(retailMedianUsdt > 0 && whaleMinUsdt > 0 && whaleMaxUsdt >= whaleMinUsdt && whaleAlpha > 0
            && minNotionalUsdt > 0, "sizes must be positive");
        require(stepMs > 0 && PricePath.MINUTE_MS % stepMs == 0 && PricePath.MINUTE_MS / stepMs >= 4,
            "the step must divide a minute into at least 4 ticks: " + stepMs);
        require(makerDepthShare > 0 && insuranceShare >= 0 && makerVolatilityRefBps > 0 && makerRefreshMs > 0,
            "maker depth, volatility reference and refresh must be positive");
        require(makerHalfSpreadBps > 0 && makerLevelSpacingBps > 0, "spreads must be positive");
        require(haltMove >= 0 && haltMove < 1, "haltMove must be within [0, 1)");
        return this;
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            throw new IllegalArgumentException(why);
        }
    }

    // ---------------------------------------------------------------------------------------- accessors

    public String symbol() {
        return symbol;
    }

    public CascadeSpec symbol(String v) {
        symbol = v;
        return this;
    }

    public long tickE8() {
        return tickE8;
    }

    public long stepE8() {
        return stepE8;
    }

    public CascadeSpec tickAndStep(long tick, long step) {
        tickE8 = tick;
        stepE8 = step;
        return this;
    }

    public long makerFeeE8() {
        return makerFeeE8;
    }

    public long takerFeeE8() {
        return takerFeeE8;
    }

    public CascadeSpec fees(long makerE8, long takerE8) {
        makerFeeE8 = makerE8;
        takerFeeE8 = takerE8;
        return this;
    }

    public long maxQtyE8() {
        return maxQtyE8;
    }

    public int bracketCount() {
        return bracketFloorsUsdt.length;
    }

    public long bracketFloorE8(int tier) {
        return bracketFloorsUsdt[tier] * Fixed.E8;
    }

    public long bracketMmrE8(int tier) {
        return Math.round(bracketMmr[tier] * Fixed.E8);
    }

    public int bracketMaxLeverage(int tier) {
        return bracketMaxLeverage[tier];
    }

    /** Replaces the margin tiers (floors in USDT, MMR as a fraction, max leverage). */
    public CascadeSpec brackets(long[] floorsUsdt, double[] mmr, int[] maxLeverage) {
        bracketFloorsUsdt = floorsUsdt.clone();
        bracketMmr = mmr.clone();
        bracketMaxLeverage = maxLeverage.clone();
        return this;
    }

    public int accounts() {
        return accounts;
    }

    public CascadeSpec accounts(int v) {
        accounts = v;
        return this;
    }

    public long seed() {
        return seed;
    }

    public CascadeSpec seed(long v) {
        seed = v;
        return this;
    }

    public double longShare() {
        return longShare;
    }

    public CascadeSpec longShare(double v) {
        longShare = v;
        return this;
    }

    public double isolatedShare() {
        return isolatedShare;
    }

    public CascadeSpec isolatedShare(double v) {
        isolatedShare = v;
        return this;
    }

    int[] leverages() {
        return leverages;
    }

    double[] leverageWeights() {
        return leverageWeights;
    }

    /** Replaces the leverage settings and their relative weights. */
    public CascadeSpec leverages(int[] values, double[] weights) {
        leverages = values.clone();
        leverageWeights = weights.clone();
        return this;
    }

    public double retailMedianUsdt() {
        return retailMedianUsdt;
    }

    public double retailSigma() {
        return retailSigma;
    }

    public CascadeSpec retail(double medianUsdt, double sigma) {
        retailMedianUsdt = medianUsdt;
        retailSigma = sigma;
        return this;
    }

    public double whaleShare() {
        return whaleShare;
    }

    public double whaleMinUsdt() {
        return whaleMinUsdt;
    }

    public double whaleAlpha() {
        return whaleAlpha;
    }

    public double whaleMaxUsdt() {
        return whaleMaxUsdt;
    }

    public CascadeSpec whales(double share, double minUsdt, double alpha, double maxUsdt) {
        whaleShare = share;
        whaleMinUsdt = minUsdt;
        whaleAlpha = alpha;
        whaleMaxUsdt = maxUsdt;
        return this;
    }

    public double minNotionalUsdt() {
        return minNotionalUsdt;
    }

    public double entrySpread() {
        return entrySpread;
    }

    public CascadeSpec entrySpread(double v) {
        entrySpread = v;
        return this;
    }

    public double crossCushionMean() {
        return crossCushionMean;
    }

    public CascadeSpec crossCushionMean(double v) {
        crossCushionMean = v;
        return this;
    }

    public double lateShare() {
        return lateShare;
    }

    public double lateLongShare() {
        return lateLongShare;
    }

    public double lateSlippage() {
        return lateSlippage;
    }

    /** Traders who open during the replay: their share, the probability each is long, their orders' slippage. */
    public CascadeSpec late(double share, double longShare, double slippage) {
        lateShare = share;
        lateLongShare = longShare;
        lateSlippage = slippage;
        return this;
    }

    public double stopShare() {
        return stopShare;
    }

    public double stopNearest() {
        return stopNearest;
    }

    public double stopFarthest() {
        return stopFarthest;
    }

    /**
     * Stop-losses: the share of the traders who open at the start that place one, and the range of its distance
     * from the entry as a fraction of the distance to the liquidation price.
     */
    public CascadeSpec stops(double share, double nearest, double farthest) {
        stopShare = share;
        stopNearest = nearest;
        stopFarthest = farthest;
        return this;
    }

    public int makers() {
        return makers;
    }

    public CascadeSpec makers(int v) {
        makers = v;
        return this;
    }

    public int makerLevels() {
        return makerLevels;
    }

    public CascadeSpec makerLevels(int v) {
        makerLevels = v;
        return this;
    }

    public double makerHalfSpreadBps() {
        return makerHalfSpreadBps;
    }

    public double makerLevelSpacingBps() {
        return makerLevelSpacingBps;
    }

    public CascadeSpec makerSpreads(double halfSpreadBps, double levelSpacingBps) {
        makerHalfSpreadBps = halfSpreadBps;
        makerLevelSpacingBps = levelSpacingBps;
        return this;
    }

    public double makerDepthShare() {
        return makerDepthShare;
    }

    public CascadeSpec makerDepthShare(double v) {
        makerDepthShare = v;
        return this;
    }

    public double makerVolatilityRefBps() {
        return makerVolatilityRefBps;
    }

    public CascadeSpec makerVolatilityRefBps(double v) {
        makerVolatilityRefBps = v;
        return this;
    }

    public double makerRequoteBps() {
        return makerRequoteBps;
    }

    public long makerRefreshMs() {
        return makerRefreshMs;
    }

    public CascadeSpec makerRequote(double bps, long refreshMs) {
        makerRequoteBps = bps;
        makerRefreshMs = refreshMs;
        return this;
    }

    public double insuranceShare() {
        return insuranceShare;
    }

    public CascadeSpec insuranceShare(double v) {
        insuranceShare = v;
        return this;
    }

    public long stepMs() {
        return stepMs;
    }

    public CascadeSpec stepMs(long v) {
        stepMs = v;
        return this;
    }

    public double haltMove() {
        return haltMove;
    }

    public CascadeSpec haltMove(double v) {
        haltMove = v;
        return this;
    }

    @Override
    public String toString() {
        return "CascadeSpec{accounts=" + accounts + ", seed=" + seed + ", longShare=" + longShare + ", isolated="
            + isolatedShare + ", stops=" + stopShare + ", leverages=" + Arrays.toString(leverages) + ", makers="
            + makers + "x" + makerLevels + ", depth=" + makerDepthShare + ", insurance=" + insuranceShare + "}";
    }
}
