package org.perpcore.gateway.postmortem;

import java.util.ArrayList;
import java.util.List;
import org.perpcore.core.engine.Account;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.engine.Market;
import org.perpcore.core.engine.Position;
import org.perpcore.core.risk.RiskMath;

/**
 * Where positions would be liquidated, from the engine's state at one moment: every open position of the market
 * (insurance funds' excepted) at its liquidation price, as the engine keeps it, in price buckets. A level's
 * notional is the position's quantity x its liquidation price: what would go to liquidation if the mark reached
 * that level with nothing else changing (the published "liquidation heatmaps" estimate the same from open interest
 * and assumed leverage; here it is exact). Longs are liquidated below the mark, shorts above it.
 *
 * @param bucketE8    width of a level, E8 (a round number near 0.25 % of the mark)
 * @param levels      the levels within {@link #RANGE} of the mark, in price order, empty ones left out
 * @param longTotalE8 every long's notional at its liquidation price (shortTotalE8 likewise), in range or not
 * @param longNever   long positions with no liquidation price (enough margin to go to zero), shorts likewise
 */
public record LiquidationMap(String symbol, long atMs, long seq, long markE8, long bucketE8, List<Level> levels,
                             long longTotalE8, long shortTotalE8, int longPositions, int shortPositions,
                             int longNever, int shortNever) {
    /** Levels are kept within this fraction of the mark. */
    public static final double RANGE = 0.25;

    /** One price level: {@code [priceE8, priceE8 + bucket)}. */
    public record Level(long priceE8, long longNotionalE8, long shortNotionalE8, int longPositions,
                        int shortPositions) {
    }

    /** The map of {@code symbol} in {@code engine} as it stands (after command {@code engine.lastSeq()}). */
    public static LiquidationMap of(Engine engine, String symbol) {
        final Market m = engine.market(symbol);
        if (m == null) {
            throw new IllegalArgumentException("no market " + symbol + " in the engine");
        }
        final long mark = m.markE8() > 0 ? m.markE8() : m.priceE8(m.lastPriceTicks());
        final long bucket = bucketFor(mark);
        final long low = Math.floorDiv((long) (mark * (1 - RANGE)), bucket) * bucket;
        final long high = Math.floorDiv((long) (mark * (1 + RANGE)), bucket) * bucket;
        final int n = (int) ((high - low) / bucket) + 1;
        final long[] longs = new long[n];
        final long[] shorts = new long[n];
        final int[] longCount = new int[n];
        final int[] shortCount = new int[n];
        long longTotal = 0;
        long shortTotal = 0;
        int longPositions = 0;
        int shortPositions = 0;
        int longNever = 0;
        int shortNever = 0;
        for (int id = 0; id < engine.accountCount(); id++) {
            final Account a = engine.account(id);
            final Position p = a == null || a.isFund() ? null : a.position(m.id());
            if (p == null || p.qtyE8() == 0) {
                continue;
            }
            final boolean isLong = p.qtyE8() > 0;
            final long lp = p.liquidationPriceE8();
            if (isLong) {
                longPositions++;
            } else {
                shortPositions++;
            }
            if (lp <= 0 || lp == RiskMath.SHORT_NEVER_LIQUIDATED) {
                if (isLong) {
                    longNever++;
                } else {
                    shortNever++;
                }
                continue;
            }
            final long notional = RiskMath.notionalDownE8(lp, Math.abs(p.qtyE8()));
            if (isLong) {
                longTotal += notional;
            } else {
                shortTotal += notional;
            }
            if (lp < low || lp >= high + bucket) {
                continue;
            }
            final int k = (int) ((lp - low) / bucket);
            if (isLong) {
                longs[k] += notional;
                longCount[k]++;
            } else {
                shorts[k] += notional;
                shortCount[k]++;
            }
        }
        final List<Level> levels = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (longCount[k] + shortCount[k] > 0) {
                levels.add(new Level(low + k * bucket, longs[k], shorts[k], longCount[k], shortCount[k]));
            }
        }
        return new LiquidationMap(symbol, engine.nowMs(), engine.lastSeq(), mark, bucket, List.copyOf(levels),
            longTotal, shortTotal, longPositions, shortPositions, longNever, shortNever);
    }

    /** A round bucket (1, 2 or 5 x a power of ten, E8) near 0.25 % of the price. */
    static long bucketFor(long priceE8) {
        final double target = Math.max(1, priceE8 * 0.0025);
        long unit = 1;
        while (unit * 10 <= target) {
            unit *= 10;
        }
        final long[] steps = {unit, 2 * unit, 5 * unit, 10 * unit};
        long best = unit;
        for (long s : steps) {
            if (Math.abs(s - target) < Math.abs(best - target)) {
                best = s;
            }
        }
        return best;
    }

    /** Long notional liquidated if the mark fell by {@code fraction} from here (shorts: rose). */
    public long longWithinE8(double fraction) {
        final long floor = (long) (markE8 * (1 - fraction));
        long sum = 0;
        for (Level l : levels) {
            if (l.priceE8 >= floor && l.priceE8 <= markE8) {
                sum += l.longNotionalE8;
            }
        }
        return sum;
    }

    public long shortWithinE8(double fraction) {
        final long ceiling = (long) (markE8 * (1 + fraction));
        long sum = 0;
        for (Level l : levels) {
            if (l.priceE8 < ceiling && l.priceE8 >= markE8) {
                sum += l.shortNotionalE8;
            }
        }
        return sum;
    }
}
