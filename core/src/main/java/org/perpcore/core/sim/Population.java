package org.perpcore.core.sim;

import org.perpcore.core.num.Fixed;
import org.perpcore.core.risk.Brackets;

/**
 * A seeded population of traders, each with one BTCUSDT-like position to open: side, size, leverage, margin mode,
 * entry price and deposit. The same spec and opening price give the same population on every run and JVM
 * (SplitMix64, StrictMath, draws in a fixed order). Arrays indexed by trader, so a million traders cost a few
 * tens of megabytes.
 *
 * <p>Each trader opens by a real trade. Those who open at the start rest a limit order at their entry price and one
 * of the market makers ({@link #maker}, round robin) takes it, so open interest balances by construction and the
 * makers carry the population's net position (short, as the population is long-heavy); those who open during the
 * replay ({@link #entryStep} > 0) send an IOC order onto the makers' quotes. A trader's deposit covers the initial
 * margin of its position at its leverage, its open loss against the opening mark and its fee, plus, for cross
 * accounts, a cushion (how much more than the initial margin people hold varies: exponential, {@link
 * CascadeSpec#crossCushionMean}); an isolated position holds exactly its initial margin.
 */
public final class Population {
    private final int size;
    private final long openPriceE8;
    private final long lotTickValueE8;
    private final long openTicks;
    private final boolean[] longs;
    private final boolean[] isolated;
    private final int[] leverage;
    private final long[] lots;
    private final long[] entryTicks;
    private final long[] depositE8;
    /** The stop-loss's trigger price in ticks (on the mark), 0 for none. */
    private final long[] stopTicks;
    private int stops;
    /** 0: opens in the setup; k > 0: opens just before index tick k of the replay. */
    private final int[] entryStep;
    private int lateCount;
    private int[] lateOrder = new int[0];
    private final int makers;
    private final long[] makerMaxExposureE8;
    private final long[] makerNetLots;
    private long longNotionalE8;
    private long shortNotionalE8;
    private long depositsE8;
    private int whales;

    private Population(int size, int makers, long openPriceE8, long tickE8, long lotTickValueE8) {
        this.size = size;
        this.openTicks = openPriceE8 / tickE8;
        this.makers = makers;
        this.openPriceE8 = openPriceE8;
        this.lotTickValueE8 = lotTickValueE8;
        longs = new boolean[size];
        isolated = new boolean[size];
        leverage = new int[size];
        lots = new long[size];
        entryTicks = new long[size];
        depositE8 = new long[size];
        stopTicks = new long[size];
        entryStep = new int[size];
        makerMaxExposureE8 = new long[makers];
        makerNetLots = new long[makers];
    }

    /** Generates {@code spec.accounts()} traders who all open at the start, around the opening (mark) price. */
    public static Population generate(CascadeSpec spec, long openPriceE8) {
        return generate(spec, openPriceE8, null, null);
    }

    /**
     * Generates {@code spec.accounts()} traders: most open at the start around the opening price ({@code
     * ticks.priceE8(0)}); a share {@link CascadeSpec#lateShare} opens during the replay instead, at a tick drawn in
     * proportion to the minute's traded volume in {@code path} (people trade when the market moves), by an IOC order
     * that takes the makers' quotes at that tick's index (their deposit also covers
     * {@link CascadeSpec#lateSlippage} of the notional).
     */
    public static Population generate(CascadeSpec spec, PricePath path, IndexTicks ticks) {
        return generate(spec, ticks.priceE8(0), path, ticks);
    }

    private static Population generate(CascadeSpec spec, long openPriceE8, PricePath path, IndexTicks ticks) {
        spec.validate();
        final long tick = spec.tickE8();
        final long step = spec.stepE8();
        final long lotTickValue = tick * step / Fixed.E8;
        if (lotTickValue * Fixed.E8 != tick * step || openPriceE8 <= 0 || openPriceE8 % tick != 0) {
            throw new IllegalArgumentException("tick x step must be a whole number of 1e-8 and the opening price on"
                + " the tick");
        }
        final Brackets brackets = new Brackets();
        for (int t = 0; t < spec.bracketCount(); t++) {
            if (brackets.add(spec.bracketFloorE8(t), spec.bracketMmrE8(t), spec.bracketMaxLeverage(t))
                != org.perpcore.core.model.RejectCode.NONE) {
                throw new IllegalArgumentException("invalid margin tier " + (t + 1));
            }
        }
        final Population p = new Population(spec.accounts(), spec.makers(), openPriceE8, tick, lotTickValue);
        final SplitMix64 rng = new SplitMix64(spec.seed());
        // stops draw from a stream of their own, so adding them left every trader's other draws as they were
        final SplitMix64 stopRng = new SplitMix64(spec.seed() ^ 0x5709_1055_0000_0000L);
        final long mmr0E8 = spec.bracketMmrE8(0);
        final double[] cumulative = cumulativeWeights(spec.leverageWeights());
        final double[] volumeCumulative = path == null ? null : volumeWeights(path);
        final int perMinute = ticks == null ? 0 : ticks.size() / path.minutes();
        final long openTicks = openPriceE8 / tick;
        final long maxLots = spec.maxQtyE8() / step;
        final long[] makerPosition = new long[spec.makers()];
        for (int i = 0; i < p.size; i++) {
            final boolean whale = rng.nextBoolean(spec.whaleShare());
            double notional = whale
                ? spec.whaleMinUsdt() * StrictMath.pow(rng.nextDoubleOpen(), -1 / spec.whaleAlpha())
                : spec.retailMedianUsdt() * StrictMath.exp(spec.retailSigma() * rng.nextGaussian());
            notional = Math.max(spec.minNotionalUsdt(), Math.min(spec.whaleMaxUsdt(), notional));
            final boolean late = volumeCumulative != null && rng.nextBoolean(spec.lateShare());
            final boolean isLong = rng.nextBoolean(late ? spec.lateLongShare() : spec.longShare());
            int lev = spec.leverages()[pick(cumulative, rng.nextDouble())];
            final boolean iso = rng.nextBoolean(spec.isolatedShare());
            final double gauss = rng.nextGaussian();
            final double cushion = iso ? 0 : spec.crossCushionMean() * rng.nextExponential();
            final int entryStep;
            final long entry;
            if (late) {
                // a minute in proportion to its volume, a tick within it uniformly
                entryStep = 1 + Math.min(ticks.size() - 2,
                    pick(volumeCumulative, rng.nextDouble()) * perMinute + rng.nextInt(perMinute));
                final long index = ticks.priceE8(entryStep) / tick;
                // the limit of its IOC order: it may fill anywhere up to there
                entry = isLong ? (long) StrictMath.ceil(index * (1 + spec.lateSlippage()))
                    : Math.max(1, (long) StrictMath.floor(index * (1 - spec.lateSlippage())));
            } else {
                entryStep = 0;
                // entries around the open, never so far that the open loss eats more than a quarter of the margin
                final double limit = Math.min(3 * spec.entrySpread(), 0.25 / lev);
                final double offset = Math.max(-limit, Math.min(limit, gauss * spec.entrySpread()));
                entry = Math.max(1, Math.round(openTicks * (1 + offset)));
            }
            final long l = Math.max(1, Math.min(maxLots,
                (long) StrictMath.ceil(notional * Fixed.E8 / ((double) entry * lotTickValue))));
            final long notionalE8 = entry * l * lotTickValue;
            if (notionalE8 > brackets.maxNotionalForLeverage(lev)) {
                lev = brackets.maxLeverageAt(notionalE8); // big positions get the lower leverage of their tier
            }
            final long im = Fixed.mulDivCeil(notionalE8, 1, lev);
            final long markTicks = late ? ticks.priceE8(entryStep) / tick : openTicks;
            final long markNotional = markTicks * l * lotTickValue;
            // the open loss against the mark; a late order meets the mark of the tick before its own, so it also
            // holds twice its slippage for the mark's move in between
            final long openLoss = Math.max(0, isLong ? notionalE8 - markNotional : markNotional - notionalE8)
                + (late ? (long) (2 * spec.lateSlippage() * notionalE8) : 0);
            final long fee = Fixed.mulDivCeil(notionalE8, Math.max(spec.makerFeeE8(), spec.takerFeeE8()), Fixed.E8);
            final long extra = (long) (cushion * im);
            // whole cents, rounded up, plus one USDT for the roundings of the margin check
            final long deposit = ceilTo(im + openLoss + fee + extra + Fixed.E8, 1_000_000L);

            p.longs[i] = isLong;
            p.isolated[i] = iso;
            p.leverage[i] = lev;
            p.lots[i] = l;
            p.entryTicks[i] = entry;
            p.entryStep[i] = entryStep;
            p.depositE8[i] = deposit;
            p.depositsE8 += deposit;
            if (whale) {
                p.whales++;
            }
            if (late) {
                p.lateCount++;
                continue;
            }
            final boolean stop = stopRng.nextBoolean(spec.stopShare());
            final double where = spec.stopNearest() + (spec.stopFarthest() - spec.stopNearest()) * stopRng.nextDouble();
            if (stop) {
                p.stopTicks[i] = stopTicks(isLong, entry, openTicks, notionalE8, deposit - fee, mmr0E8, where);
                if (p.stopTicks[i] > 0) {
                    p.stops++;
                }
            }
            if (isLong) {
                p.longNotionalE8 += notionalE8;
            } else {
                p.shortNotionalE8 += notionalE8;
            }
            final int maker = i % spec.makers();
            makerPosition[maker] += isLong ? -l : l; // the maker takes the other side
            final long exposure = Math.abs(makerPosition[maker]) * openTicks * lotTickValue;
            p.makerMaxExposureE8[maker] = Math.max(p.makerMaxExposureE8[maker], exposure);
        }
        System.arraycopy(makerPosition, 0, p.makerNetLots, 0, spec.makers());
        p.lateOrder = lateOrder(p);
        return p;
    }

    /**
     * A stop-loss trigger {@code where} of the way from the entry to (about) the liquidation price: the margin the
     * position can lose, less its maintenance margin at the first tier, as a fraction of its notional. Kept 0.2 %
     * on the safe side of the opening price, where the mark stands when the stop is placed (a stop already crossed
     * would be refused, -2021); 0 when there is no room for one.
     */
    private static long stopTicks(boolean isLong, long entryTicks, long openTicks, long notionalE8, long marginE8,
                                  long mmrE8, double where) {
        final double room = (double) marginE8 / notionalE8 - (double) mmrE8 / Fixed.E8;
        if (room <= 0) {
            return 0;
        }
        final double distance = Math.min(0.9, room * where);
        if (isLong) {
            final long stop = Math.min((long) StrictMath.floor(entryTicks * (1 - distance)),
                (long) StrictMath.floor(openTicks * 0.998));
            return Math.max(1, stop);
        }
        return Math.max((long) StrictMath.ceil(entryTicks * (1 + distance)), (long) StrictMath.ceil(openTicks * 1.002));
    }

    /** Cumulative shares of the path's minutes in its total volume (equal shares when it has none). */
    private static double[] volumeWeights(PricePath path) {
        final double[] w = new double[path.minutes()];
        for (int m = 0; m < w.length; m++) {
            w[m] = path.volumeE8(m);
        }
        boolean any = false;
        for (double v : w) {
            any |= v > 0;
        }
        if (!any) {
            java.util.Arrays.fill(w, 1);
        }
        return cumulativeWeights(w);
    }

    /** Late traders by entry tick, then index (a counting sort: stable, deterministic). */
    private static int[] lateOrder(Population p) {
        final int[] order = new int[p.lateCount];
        int maxStep = 0;
        for (int i = 0; i < p.size; i++) {
            maxStep = Math.max(maxStep, p.entryStep[i]);
        }
        final int[] start = new int[maxStep + 2];
        for (int i = 0; i < p.size; i++) {
            if (p.entryStep[i] > 0) {
                start[p.entryStep[i] + 1]++;
            }
        }
        for (int k = 1; k < start.length; k++) {
            start[k] += start[k - 1];
        }
        for (int i = 0; i < p.size; i++) {
            if (p.entryStep[i] > 0) {
                order[start[p.entryStep[i]]++] = i;
            }
        }
        return order;
    }

    private static double[] cumulativeWeights(double[] weights) {
        final double[] c = new double[weights.length];
        double total = 0;
        for (double w : weights) {
            if (w < 0) {
                throw new IllegalArgumentException("negative leverage weight");
            }
            total += w;
        }
        double run = 0;
        for (int i = 0; i < weights.length; i++) {
            run += weights[i];
            c[i] = run / total;
        }
        return c;
    }

    private static int pick(double[] cumulative, double u) {
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    private static long ceilTo(long value, long unit) {
        return Math.floorDiv(value + unit - 1, unit) * unit;
    }

    // ---------------------------------------------------------------------------------------- per trader

    public int size() {
        return size;
    }

    /** The account name of trader {@code i}. */
    public static String name(int i) {
        return "u" + i;
    }

    public boolean isLong(int i) {
        return longs[i];
    }

    public boolean isolated(int i) {
        return isolated[i];
    }

    public int leverage(int i) {
        return leverage[i];
    }

    public long lots(int i) {
        return lots[i];
    }

    public long entryTicks(int i) {
        return entryTicks[i];
    }

    public long depositE8(int i) {
        return depositE8[i];
    }

    /** The trader's stop-loss trigger price (mark), ticks; 0 when it places none. */
    public long stopTicks(int i) {
        return stopTicks[i];
    }

    /** Traders who place a stop-loss. */
    public int stops() {
        return stops;
    }

    /** 0 when the trader opens in the setup; otherwise the index tick of the replay it opens just before. */
    public int entryStep(int i) {
        return entryStep[i];
    }

    /** Traders who open during the replay. */
    public int lateCount() {
        return lateCount;
    }

    /** The {@code k}-th trader to open during the replay (in order of entry tick, then index). */
    public int late(int k) {
        return lateOrder[k];
    }

    /**
     * The notional of the trader's position at its entry, E8 (for a late trader, at the limit of its order: what
     * it fills may be less).
     */
    public long notionalE8(int i) {
        return entryTicks[i] * lots[i] * lotTickValueE8;
    }

    /** The maker (0-based) whose order opens trader {@code i}'s position. */
    public int maker(int i) {
        return i % makers;
    }

    // ---------------------------------------------------------------------------------------- totals

    public long openPriceE8() {
        return openPriceE8;
    }

    /** Notional of the longs and shorts of the traders who open at the start, at entry, E8. */
    public long longNotionalE8() {
        return longNotionalE8;
    }

    public long shortNotionalE8() {
        return shortNotionalE8;
    }

    /**
     * The open interest once every position is open, one side, at the opening price, E8: the traders' longs
     * (at entry) plus the longs the makers end up holding.
     */
    public long openInterestE8() {
        long makerLongLots = 0;
        for (int j = 0; j < makers; j++) {
            makerLongLots += Math.max(0, makerNetLots[j]);
        }
        return longNotionalE8 + makerLongLots * openTicks * lotTickValueE8;
    }

    public long depositsE8() {
        return depositsE8;
    }

    public int whales() {
        return whales;
    }

    public int makers() {
        return makers;
    }

    /** The largest position (notional at the opening price, E8) maker {@code j} holds while the traders open. */
    public long makerMaxExposureE8(int j) {
        return makerMaxExposureE8[j];
    }

    /** Maker {@code j}'s position once every trader has opened, lots (negative: short). */
    public long makerNetLots(int j) {
        return makerNetLots[j];
    }

    /** The number of traders whose leverage lies within {@code [minLeverage, maxLeverage]}. */
    public int count(int minLeverage, int maxLeverage) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (leverage[i] >= minLeverage && leverage[i] <= maxLeverage) {
                n++;
            }
        }
        return n;
    }

    public int isolatedCount() {
        int n = 0;
        for (boolean b : isolated) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}
