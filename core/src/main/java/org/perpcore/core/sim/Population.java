package org.perpcore.core.sim;

import org.perpcore.core.num.Fixed;
import org.perpcore.core.risk.Brackets;

/**
 * A seeded population of traders, each with one BTCUSDT-like position to open: side, size, leverage, margin mode,
 * entry price and deposit. The same spec and opening price give the same population on every run and JVM
 * (SplitMix64, StrictMath, draws in a fixed order). Arrays indexed by trader, so a million traders cost a few
 * tens of megabytes.
 *
 * <p>Each trader opens by a real trade: its limit order rests at the entry price and one of the market makers
 * ({@link #maker}, round robin) takes it, so open interest balances by construction and the makers carry the
 * population's net position (short, as the population is long-heavy). A trader's deposit covers the initial
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
        makerMaxExposureE8 = new long[makers];
        makerNetLots = new long[makers];
    }

    /** Generates {@code spec.accounts()} traders around the opening (mark) price. */
    public static Population generate(CascadeSpec spec, long openPriceE8) {
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
        final double[] cumulative = cumulativeWeights(spec.leverageWeights());
        final long openTicks = openPriceE8 / tick;
        final long maxLots = spec.maxQtyE8() / step;
        final long[] makerPosition = new long[spec.makers()];
        for (int i = 0; i < p.size; i++) {
            final boolean whale = rng.nextBoolean(spec.whaleShare());
            double notional = whale
                ? spec.whaleMinUsdt() * StrictMath.pow(rng.nextDoubleOpen(), -1 / spec.whaleAlpha())
                : spec.retailMedianUsdt() * StrictMath.exp(spec.retailSigma() * rng.nextGaussian());
            notional = Math.max(spec.minNotionalUsdt(), Math.min(spec.whaleMaxUsdt(), notional));
            final boolean isLong = rng.nextBoolean(spec.longShare());
            int lev = spec.leverages()[pick(cumulative, rng.nextDouble())];
            final boolean iso = rng.nextBoolean(spec.isolatedShare());
            final double gauss = rng.nextGaussian();
            final double cushion = iso ? 0 : spec.crossCushionMean() * rng.nextExponential();

            // entries around the open, never so far that the open loss eats more than a quarter of the margin
            final double limit = Math.min(3 * spec.entrySpread(), 0.25 / lev);
            final double offset = Math.max(-limit, Math.min(limit, gauss * spec.entrySpread()));
            final long entry = Math.max(1, Math.round(openTicks * (1 + offset)));
            final long l = Math.max(1, Math.min(maxLots,
                (long) StrictMath.ceil(notional * Fixed.E8 / ((double) entry * lotTickValue))));
            final long notionalE8 = entry * l * lotTickValue;
            if (notionalE8 > brackets.maxNotionalForLeverage(lev)) {
                lev = brackets.maxLeverageAt(notionalE8); // big positions get the lower leverage of their tier
            }
            final long im = Fixed.mulDivCeil(notionalE8, 1, lev);
            final long markNotional = openTicks * l * lotTickValue;
            final long openLoss = Math.max(0, isLong ? notionalE8 - markNotional : markNotional - notionalE8);
            final long fee = Fixed.mulDivCeil(notionalE8, Math.max(spec.makerFeeE8(), spec.takerFeeE8()), Fixed.E8);
            final long extra = (long) (cushion * im);
            // whole cents, rounded up, plus one USDT for the roundings of the margin check
            final long deposit = ceilTo(im + openLoss + fee + extra + Fixed.E8, 1_000_000L);

            p.longs[i] = isLong;
            p.isolated[i] = iso;
            p.leverage[i] = lev;
            p.lots[i] = l;
            p.entryTicks[i] = entry;
            p.depositE8[i] = deposit;
            p.depositsE8 += deposit;
            if (whale) {
                p.whales++;
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
        return p;
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

    /** The notional of the trader's position at its entry, E8. */
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

    /** Notional of the traders' longs and shorts at entry, E8. */
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
