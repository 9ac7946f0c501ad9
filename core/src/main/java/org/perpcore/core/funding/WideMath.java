package org.perpcore.core.funding;

import org.perpcore.core.num.Fixed;

/**
 * Rounding and 128-bit helpers of the funding package. Rates and averages here round half away from zero, so a
 * premium and an equal discount give results of opposite sign and equal size. Like {@link Fixed}, nothing here
 * throws or allocates; a result that does not fit a {@code long} is {@link Fixed#OVERFLOW}.
 */
final class WideMath {
    private WideMath() {
    }

    /** {@code a * b / d} rounded half away from zero, exact through 128 bits, for {@code d > 0}; or OVERFLOW. */
    static long mulDivHalfAway(long a, long b, long d) {
        if (d <= 0 || a == Fixed.OVERFLOW || b == Fixed.OVERFLOW) {
            return Fixed.OVERFLOW;
        }
        final boolean negative = (a < 0) != (b < 0) && a != 0 && b != 0;
        final long magnitudeA = Math.abs(a);
        final long magnitudeB = Math.abs(b);
        final long q = Fixed.mulDivFloor(magnitudeA, magnitudeB, d);
        if (q == Fixed.OVERFLOW) {
            return Fixed.OVERFLOW;
        }
        // a*b = q*d + r with 0 <= r < d < 2^63: wrapping arithmetic gives r exactly
        final long r = magnitudeA * magnitudeB - q * d;
        long rounded = q;
        if (r >= d - r) {
            rounded++;
            if (rounded < 0) {
                return Fixed.OVERFLOW;
            }
        }
        return negative ? -rounded : rounded;
    }

    /** {@code n / d} rounded half away from zero, for {@code d > 0} and {@code n != Long.MIN_VALUE}. */
    static long divHalfAway(long n, long d) {
        final long q = n / d;
        final long r = Math.abs(n % d);
        if (r >= d - r) {
            return n < 0 ? q - 1 : q + 1;
        }
        return q;
    }

    /**
     * The signed 128-bit value {@code (hi:lo)} divided by {@code d > 0}, rounded half away from zero, or OVERFLOW
     * when the quotient does not fit a {@code long}. Shift-and-subtract over 64 bits: used once per funding time.
     */
    static long divHalfAway128(long hi, long lo, long d) {
        if (d <= 0) {
            return Fixed.OVERFLOW;
        }
        final boolean negative = hi < 0;
        long magnitudeHi = hi;
        long magnitudeLo = lo;
        if (negative) {
            magnitudeLo = -lo;
            magnitudeHi = ~hi + (lo == 0 ? 1 : 0);
        }
        if (Long.compareUnsigned(magnitudeHi, d) >= 0) {
            return Fixed.OVERFLOW;
        }
        long q = 0;
        long r = magnitudeHi;
        for (int i = 63; i >= 0; i--) {
            final boolean carry = r < 0; // top bit set: shifting left would lose it
            r = (r << 1) | ((magnitudeLo >>> i) & 1L);
            q <<= 1;
            if (carry || Long.compareUnsigned(r, d) >= 0) {
                r -= d;
                q |= 1L;
            }
        }
        if (q < 0) {
            return Fixed.OVERFLOW; // the unsigned quotient is 2^63 or more
        }
        // here 0 <= r < d
        if (r >= d - r) {
            q++;
            if (q < 0) {
                return Fixed.OVERFLOW;
            }
        }
        return negative ? -q : q;
    }

    /** {@code value} limited to {@code [-bound, bound]}, for {@code bound >= 0}. */
    static long clamp(long value, long bound) {
        return Math.max(-bound, Math.min(bound, value));
    }
}
