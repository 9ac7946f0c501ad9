package org.perpcore.core.risk;

import org.perpcore.core.model.RejectCode;
import org.perpcore.core.num.Fixed;

/**
 * One market's margin tiers, Binance's "leverage brackets" (Bybit "risk limits", Hyperliquid "margin tiers"):
 * by position notional, a maintenance margin rate (MMR), a maximum leverage and a maintenance amount {@code cum}.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Notionals and {@code cum} are money in E8, MMRs are rates in E8 ({@code 0.4 % = 400_000}).</li>
 *   <li>Tier {@code i} covers notionals {@code floorE8(i) <= notional < floorE8(i + 1)}; the last tier is
 *       unbounded. Tier 0 starts at 0. (Binance publishes each tier's floor and cap with the cap equal to the
 *       next floor; the boundary value itself belongs to the higher tier here. It does not change any maintenance
 *       margin, which is continuous, only which leverage applies at exactly the boundary.)</li>
 *   <li>Floors strictly ascend, MMRs do not decrease and stay in {@code [0, 1)}, maximum leverages are at least
 *       1 and do not increase.</li>
 *   <li>{@code cum} is derived, never given: Binance's documented recursion {@code cum(0) = 0},
 *       {@code cum(n) = floor(n) * (MMR(n) - MMR(n-1)) + cum(n-1)}, which makes
 *       {@code MM = notional * MMR - cum} continuous across tier boundaries. When {@code floor * deltaMMR} is
 *       not a whole number of 1e-8 (a floor with a fractional part, say) it is rounded <b>down</b>: a smaller
 *       {@code cum} is a larger maintenance margin, the exchange's side. MM then steps up by less than 1e-8 at
 *       that boundary instead of being exactly continuous; with whole-unit floors (every real table) it is exact.</li>
 * </ul>
 *
 * <p>Storage is preallocated ({@value #MAX_TIERS} tiers); lookups neither allocate nor throw. Tier accessors
 * expect {@code 0 <= tier < count()}. Not thread-safe: owned by the engine thread like all exchange state.
 */
public final class Brackets {
    /** Capacity: more tiers than any venue publishes (Binance BTCUSDT has had 10 to 20). */
    public static final int MAX_TIERS = 32;

    private final long[] floorsE8 = new long[MAX_TIERS];
    private final long[] mmrsE8 = new long[MAX_TIERS];
    private final long[] cumsE8 = new long[MAX_TIERS];
    private final int[] maxLeverages = new int[MAX_TIERS];
    private int count;

    /** An empty table: no tier, no maintenance margin. */
    public Brackets() {
    }

    /**
     * Appends a tier. A tier with floor 0 starts a new table (the previous tiers are dropped); any other tier
     * extends the current table and must keep it valid (see the class conventions). A rejected tier changes
     * nothing. To replace a live table atomically, build the new one in a spare instance and {@link #copyFrom}.
     *
     * @return {@link RejectCode#NONE}, or {@link RejectCode#INVALID_BRACKET}
     */
    public RejectCode add(long floorE8, long mmrE8, int maxLeverage) {
        if (mmrE8 < 0 || mmrE8 >= Fixed.E8 || maxLeverage < 1 || floorE8 < 0) {
            return RejectCode.INVALID_BRACKET;
        }
        if (floorE8 == 0) {
            floorsE8[0] = 0;
            mmrsE8[0] = mmrE8;
            cumsE8[0] = 0;
            maxLeverages[0] = maxLeverage;
            count = 1;
            return RejectCode.NONE;
        }
        if (count == 0 || count == MAX_TIERS) {
            return RejectCode.INVALID_BRACKET;
        }
        final int last = count - 1;
        if (floorE8 <= floorsE8[last] || mmrE8 < mmrsE8[last] || maxLeverage > maxLeverages[last]) {
            return RejectCode.INVALID_BRACKET;
        }
        // floor * deltaMMR < floor and cum(n) <= floor(n) * MMR(n) < floor(n): neither can overflow
        final long stepE8 = Fixed.mulDivFloor(floorE8, mmrE8 - mmrsE8[last], Fixed.E8);
        floorsE8[count] = floorE8;
        mmrsE8[count] = mmrE8;
        cumsE8[count] = cumsE8[last] + stepE8;
        maxLeverages[count] = maxLeverage;
        count++;
        return RejectCode.NONE;
    }

    /**
     * Replaces the table with one tier from 0 whose MMR is {@code 1 / (2 * maxLeverage)} rounded up to E8: half
     * the initial margin at maximum leverage. This is Hyperliquid's documented rule, and Binance BTCUSDT's first
     * tier (125x, 0.4 %) follows it too.
     *
     * @return {@link RejectCode#NONE}, or {@link RejectCode#INVALID_BRACKET} when {@code maxLeverage < 1}
     */
    public RejectCode setDefault(int maxLeverage) {
        if (maxLeverage < 1) {
            return RejectCode.INVALID_BRACKET;
        }
        final long mmrE8 = (Fixed.E8 + 2L * maxLeverage - 1) / (2L * maxLeverage);
        return add(0, mmrE8, maxLeverage);
    }

    /** Removes every tier. */
    public void clear() {
        count = 0;
    }

    /** Makes this table an exact copy of {@code other} (for snapshots and atomic replacement). */
    public void copyFrom(Brackets other) {
        System.arraycopy(other.floorsE8, 0, floorsE8, 0, other.count);
        System.arraycopy(other.mmrsE8, 0, mmrsE8, 0, other.count);
        System.arraycopy(other.cumsE8, 0, cumsE8, 0, other.count);
        System.arraycopy(other.maxLeverages, 0, maxLeverages, 0, other.count);
        count = other.count;
    }

    /** Whether both tables have the same tiers. */
    public boolean sameTiers(Brackets other) {
        if (count != other.count) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (floorsE8[i] != other.floorsE8[i] || mmrsE8[i] != other.mmrsE8[i]
                || maxLeverages[i] != other.maxLeverages[i] || cumsE8[i] != other.cumsE8[i]) {
                return false;
            }
        }
        return true;
    }

    /** Number of tiers (0 for an empty table). */
    public int count() {
        return count;
    }

    /** The notional where the tier starts, E8 (0 for tier 0). */
    public long floorE8(int tier) {
        return floorsE8[tier];
    }

    /** The notional where the tier ends (exclusive), E8: the next tier's floor, or {@code Long.MAX_VALUE}. */
    public long capE8(int tier) {
        return tier + 1 < count ? floorsE8[tier + 1] : Long.MAX_VALUE;
    }

    /** The tier's maintenance margin rate, E8. */
    public long mmrE8(int tier) {
        return mmrsE8[tier];
    }

    /** The tier's maintenance amount {@code cum}, E8 (derived; see the class comment for its rounding). */
    public long cumE8(int tier) {
        return cumsE8[tier];
    }

    /** The tier's maximum leverage. */
    public int maxLeverage(int tier) {
        return maxLeverages[tier];
    }

    /**
     * The tier a position of this (absolute) notional falls in: the last tier whose floor is at most the
     * notional. 0 for a notional below 0, -1 for an empty table.
     */
    public int tierOf(long notionalE8) {
        if (count == 0) {
            return -1;
        }
        int low = 0;
        int high = count - 1;
        while (low < high) {
            final int mid = (low + high + 1) >>> 1;
            if (floorsE8[mid] <= notionalE8) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /**
     * Maintenance margin of a position of this (absolute) notional: {@code ceil(notional * MMR) - cum} of its
     * tier, E8. Rounded up, in the exchange's favour. 0 for a notional of 0 or less, or an empty table.
     */
    public long maintenanceMarginE8(long notionalE8) {
        if (notionalE8 <= 0 || count == 0) {
            return 0;
        }
        final int tier = tierOf(notionalE8);
        return Fixed.mulDivCeil(notionalE8, mmrsE8[tier], Fixed.E8) - cumsE8[tier];
    }

    /** Maximum leverage allowed for a position of this (absolute) notional; 0 for an empty table. */
    public int maxLeverageAt(long notionalE8) {
        final int tier = tierOf(notionalE8);
        return tier < 0 ? 0 : maxLeverages[tier];
    }

    /**
     * The largest notional, E8, whose tier still allows {@code leverage}: {@code notional <= result} exactly when
     * {@code maxLeverageAt(notional) >= leverage}. {@code Long.MAX_VALUE} when the last tier allows it
     * (unlimited), -1 when no tier does (the leverage exceeds every tier's maximum, or the table is empty).
     */
    public long maxNotionalForLeverage(int leverage) {
        int tier = count - 1;
        while (tier >= 0 && maxLeverages[tier] < leverage) {
            tier--;
        }
        if (tier < 0) {
            return -1;
        }
        return tier == count - 1 ? Long.MAX_VALUE : floorsE8[tier + 1] - 1;
    }
}
