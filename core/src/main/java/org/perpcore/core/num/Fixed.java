package org.perpcore.core.num;

/**
 * Fixed-point arithmetic for prices, quantities and money.
 *
 * <p>Scales used across Perpcore:
 * <ul>
 *   <li><b>E8</b>: a decimal with 8 fractional digits in a {@code long} ({@code 1.5 -> 150_000_000}). Money
 *       (quote asset, USDT), rates (fees, funding, margin rates: {@code 0.0005 -> 50_000}) and decimal inputs on
 *       commands use it. The range is about +/- 9.2e10 units, enough for every balance and notional of one
 *       market group.</li>
 *   <li><b>ticks</b>: a price as a count of the market's tick size.</li>
 *   <li><b>lots</b>: a quantity as a count of the market's lot step.</li>
 * </ul>
 *
 * <p>Products that can leave the {@code long} range go through 128-bit intermediates
 * ({@link Math#multiplyHigh}); a result that does not fit is reported as {@link #OVERFLOW}, never wrapped.
 * No method here throws or allocates.
 */
public final class Fixed {
    /** One unit in E8. */
    public static final long E8 = 100_000_000L;
    /** Sentinel returned by the checked operations when the exact result does not fit in a long. */
    public static final long OVERFLOW = Long.MIN_VALUE;

    private Fixed() {
    }

    /** {@code a * b}, or {@link #OVERFLOW}. */
    public static long mul(long a, long b) {
        final long hi = Math.multiplyHigh(a, b);
        final long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo == OVERFLOW ? OVERFLOW : lo;
        }
        return OVERFLOW;
    }

    /** {@code a + b}, or {@link #OVERFLOW}. */
    public static long add(long a, long b) {
        final long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0 || r == OVERFLOW) {
            return OVERFLOW;
        }
        return r;
    }

    /** {@code floor(a * b / d)} for {@code d > 0}, exact through 128 bits, or {@link #OVERFLOW}. */
    public static long mulDivFloor(long a, long b, long d) {
        return mulDiv(a, b, d, false);
    }

    /** {@code ceil(a * b / d)} for {@code d > 0}, exact through 128 bits, or {@link #OVERFLOW}. */
    public static long mulDivCeil(long a, long b, long d) {
        return mulDiv(a, b, d, true);
    }

    private static long mulDiv(long a, long b, long d, boolean ceil) {
        if (d <= 0) {
            return OVERFLOW;
        }
        final long hi = Math.multiplyHigh(a, b);
        final long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            if (lo == OVERFLOW) {
                return OVERFLOW;
            }
            long q = lo / d;
            final long r = lo % d;
            if (r != 0) {
                if (ceil && lo > 0) {
                    q++;
                } else if (!ceil && lo < 0) {
                    q--;
                }
            }
            return q;
        }
        // 128-bit path: work on the magnitude, then apply the sign and the rounding direction.
        final boolean negative = hi < 0;
        long mHi = hi;
        long mLo = lo;
        if (negative) {
            mLo = -lo;
            mHi = ~hi + (lo == 0 ? 1 : 0);
        }
        if (Long.compareUnsigned(mHi, d) >= 0) {
            return OVERFLOW;
        }
        final long q = divideUnsigned128(mHi, mLo, d);
        // the remainder is below d, so its low 64 bits are all of it: wrapping arithmetic gives it exactly
        final long rem = mLo - q * d;
        if (q < 0) {
            return OVERFLOW;
        }
        long result = negative ? -q : q;
        if (rem != 0) {
            if (ceil && !negative) {
                result++;
            } else if (!ceil && negative) {
                result--;
            }
        }
        return result == OVERFLOW ? OVERFLOW : result;
    }

    /**
     * Unsigned (hi:lo) / d with hi < d, by shift-and-subtract over the 64 low bits. Rare path: only reached when
     * the product itself does not fit in 63 bits.
     */
    private static long divideUnsigned128(long hi, long lo, long d) {
        long q = 0;
        long r = hi;
        for (int i = 63; i >= 0; i--) {
            final boolean carry = r < 0; // top bit set: shifting left would overflow 64 bits
            r = (r << 1) | ((lo >>> i) & 1L);
            q <<= 1;
            if (carry || Long.compareUnsigned(r, d) >= 0) {
                r -= d;
                q |= 1L;
            }
        }
        return q;
    }

    /** Number of fractional decimal digits needed to print {@code valueE8} exactly (0..8). */
    public static int decimalsOf(long valueE8) {
        if (valueE8 == 0) {
            return 0;
        }
        int decimals = 8;
        long v = Math.abs(valueE8);
        while (decimals > 0 && v % 10 == 0) {
            v /= 10;
            decimals--;
        }
        return decimals;
    }
}
