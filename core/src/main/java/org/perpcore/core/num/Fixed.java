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
        if (d == E8) {
            return mulDivE8(a, b, ceil);
        }
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
        return mulDivWide(hi, lo, d, ceil);
    }

    /**
     * The 128-bit path of {@link #mulDiv} (the product {@code hi:lo} leaves 64 bits), apart so that the 64-bit path
     * stays small enough for the JIT to inline it at every call: inlined, a call with a constant divisor or factor
     * folds, and the rare wide case costs a call.
     */
    private static long mulDivWide(long hi, long lo, long d, boolean ceil) {
        // work on the magnitude, then apply the sign and the rounding direction
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
        final long q = d < SMALL_DIVISOR ? divideBySmall(mHi, mLo, d) : divideUnsigned128(mHi, mLo, d);
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
     * {@link #mulDiv} for the divisor 1e8, the one of nearly every call (notionals, fees, margin rates): written
     * with the constant so that the JIT divides by multiplying with its reciprocal instead of a hardware division
     * (tens of cycles each, two of them for a 128-bit product). Same results as the general path.
     */
    private static long mulDivE8(long a, long b, boolean ceil) {
        final long hi = Math.multiplyHigh(a, b);
        final long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            if (lo == OVERFLOW) {
                return OVERFLOW;
            }
            long q = lo / E8;
            if (q * E8 != lo) {
                if (ceil && lo > 0) {
                    q++;
                } else if (!ceil && lo < 0) {
                    q--;
                }
            }
            return q;
        }
        return mulDivE8Wide(hi, lo, ceil);
    }

    /** The 128-bit path of {@link #mulDivE8}, apart for the same reason as {@link #mulDivWide}. */
    private static long mulDivE8Wide(long hi, long lo, boolean ceil) {
        final boolean negative = hi < 0;
        long mHi = hi;
        long mLo = lo;
        if (negative) {
            mLo = -lo;
            mHi = ~hi + (lo == 0 ? 1 : 0);
        }
        if (Long.compareUnsigned(mHi, E8) >= 0) {
            return OVERFLOW;
        }
        // two base-2^32 digits (mHi < 1e8 < 2^31: the higher ones are 0), each partial dividend below 1e8 x 2^32
        final long r1 = (mHi << 32) | (mLo >>> 32);
        final long q1 = r1 / E8;
        final long r0 = ((r1 - q1 * E8) << 32) | (mLo & MASK32);
        final long q0 = r0 / E8;
        final long q = (q1 << 32) + q0;
        if (q < 0) {
            return OVERFLOW;
        }
        final boolean exact = r0 == q0 * E8;
        long result = negative ? -q : q;
        if (!exact) {
            if (ceil && !negative) {
                result++;
            } else if (!ceil && negative) {
                result--;
            }
        }
        return result == OVERFLOW ? OVERFLOW : result;
    }

    private static final long B = 1L << 32;
    /** Divisors below 2^31 (1e8, leverages, tier counts...) divide a 128-bit value digit by digit in base 2^32. */
    private static final long SMALL_DIVISOR = 1L << 31;

    /**
     * Unsigned (hi:lo) / d for 0 < d < 2^31 and hi < d: 32-bit digits, each step dividing
     * {@code remainder x 2^32 + digit}, which stays below d x 2^32 < 2^63, so plain signed division is exact.
     */
    private static long divideBySmall(long hi, long lo, long d) {
        // hi < d < 2^31: the two high digits' quotients are 0 and their remainder is hi itself
        long r = (hi << 32) | (lo >>> 32);
        final long q1 = r / d;
        r = ((r - q1 * d) << 32) | (lo & MASK32);
        final long q0 = r / d;
        return (q1 << 32) + q0;
    }
    private static final long MASK32 = 0xFFFF_FFFFL;

    /**
     * Unsigned (hi:lo) / d with hi < d (unsigned), so the quotient fits 64 bits: long division in base 2^32 after
     * normalising d (Knuth's algorithm D for a two-digit divisor, as in Hacker's Delight's divlu): two 64/32
     * divisions and at most two corrections each, instead of 64 shift-and-subtract steps. Products that do come out
     * of 63 bits (large positions at high prices) take this path on every notional.
     */
    private static long divideUnsigned128(long hi, long lo, long d) {
        final int s = Long.numberOfLeadingZeros(d);
        final long v = d << s;
        final long vn1 = v >>> 32;
        final long vn0 = v & MASK32;
        final long un32 = s == 0 ? hi : (hi << s) | (lo >>> (64 - s));
        final long un10 = lo << s;
        final long un1 = un10 >>> 32;
        final long un0 = un10 & MASK32;

        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, B) >= 0
            || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, B) >= 0) {
                break;
            }
        }
        final long un21 = (un32 << 32) + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, B) >= 0
            || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, B) >= 0) {
                break;
            }
        }
        return (q1 << 32) + q0;
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
