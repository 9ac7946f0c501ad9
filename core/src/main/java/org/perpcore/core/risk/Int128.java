package org.perpcore.core.risk;

import org.perpcore.core.num.Fixed;

/**
 * A mutable signed 128-bit integer (two's complement in {@code hi:lo}) for the few places where risk arithmetic
 * leaves the {@code long} range: a product of two E8 values, a sum of such products, and a division of one by
 * another. Instances are meant to be preallocated and reused by their single owning thread; nothing here
 * allocates or throws.
 *
 * <p>Contract:
 * <ul>
 *   <li>Products of two {@code long}s are exact (their magnitude is at most 2^126).</li>
 *   <li>Additions and subtractions wrap modulo 2^128, exactly as {@code long} arithmetic wraps modulo 2^64. The
 *       risk formulas add a handful of products of two longs, far below 2^127, so they never wrap.</li>
 *   <li>Divisions take a strictly positive divisor and round toward negative infinity ({@code floor}) or toward
 *       positive infinity ({@code ceil}); the caller names the direction, because every rounding in the risk
 *       model has a reason (in the exchange's favour). When the divisor is not positive, or the rounded quotient
 *       does not fit in a {@code long} other than {@link Long#MIN_VALUE}, they return {@link Fixed#OVERFLOW}
 *       ({@code Long.MIN_VALUE}, which is therefore never a valid quotient).</li>
 * </ul>
 *
 * <p>The division is exact: an unsigned 128/64 long division in 32-bit digits (Knuth's algorithm D as written in
 * Hacker's Delight, {@code divlu}), and for divisors of 2^64 or more the normalised-estimate method of Hacker's
 * Delight figure 9-5 built on it. Both take two hardware divisions ({@link Long#divideUnsigned}) and a few
 * corrections instead of a 64- or 128-step shift-and-subtract loop.
 */
public final class Int128 {
    private static final long DIGIT = 1L << 32;
    private static final long DIGIT_MASK = DIGIT - 1;

    private long hi;
    private long lo;

    /** Zero. */
    public Int128() {
    }

    /** The high 64 bits (the sign is the sign of this word). */
    public long hi() {
        return hi;
    }

    /** The low 64 bits, unsigned. */
    public long lo() {
        return lo;
    }

    /** Sets the raw two's complement words. */
    public Int128 set(long highWord, long lowWord) {
        this.hi = highWord;
        this.lo = lowWord;
        return this;
    }

    /** Sets a {@code long} value (sign-extended). */
    public Int128 set(long value) {
        this.hi = value >> 63;
        this.lo = value;
        return this;
    }

    /** Copies another value. */
    public Int128 set(Int128 other) {
        this.hi = other.hi;
        this.lo = other.lo;
        return this;
    }

    /** Sets the exact product {@code a * b}. */
    public Int128 setProduct(long a, long b) {
        this.hi = Math.multiplyHigh(a, b);
        this.lo = a * b;
        return this;
    }

    /** Adds {@code other} (wrapping modulo 2^128). */
    public Int128 add(Int128 other) {
        return addWords(other.hi, other.lo);
    }

    /** Adds a {@code long} (wrapping modulo 2^128). */
    public Int128 add(long value) {
        return addWords(value >> 63, value);
    }

    /** Subtracts {@code other} (wrapping modulo 2^128). */
    public Int128 subtract(Int128 other) {
        return subtractWords(other.hi, other.lo);
    }

    /** Subtracts a {@code long} (wrapping modulo 2^128). */
    public Int128 subtract(long value) {
        return subtractWords(value >> 63, value);
    }

    /** Adds the exact product {@code a * b} (wrapping modulo 2^128). */
    public Int128 addProduct(long a, long b) {
        return addWords(Math.multiplyHigh(a, b), a * b);
    }

    /** Subtracts the exact product {@code a * b} (wrapping modulo 2^128). */
    public Int128 subtractProduct(long a, long b) {
        return subtractWords(Math.multiplyHigh(a, b), a * b);
    }

    /** Negates this value (wrapping: -2^127 stays -2^127). */
    public Int128 negate() {
        this.lo = -lo;
        this.hi = ~hi + (lo == 0 ? 1 : 0);
        return this;
    }

    /** -1, 0 or 1. */
    public int signum() {
        if (hi < 0) {
            return -1;
        }
        return (hi | lo) == 0 ? 0 : 1;
    }

    /** Signed comparison. */
    public int compareTo(Int128 other) {
        return compare(hi, lo, other.hi, other.lo);
    }

    /** Whether the value fits in a {@code long}. */
    public boolean fitsInLong() {
        return hi == (lo >> 63);
    }

    /** The value as a {@code long}, or {@link Fixed#OVERFLOW} when it does not fit (or is {@code Long.MIN_VALUE}). */
    public long toLong() {
        return fitsInLong() ? lo : Fixed.OVERFLOW;
    }

    /** {@code floor(this / divisor)} for {@code divisor > 0}, or {@link Fixed#OVERFLOW}. */
    public long divideFloor(Int128 divisor) {
        return divide(hi, lo, divisor.hi, divisor.lo, false);
    }

    /** {@code ceil(this / divisor)} for {@code divisor > 0}, or {@link Fixed#OVERFLOW}. */
    public long divideCeil(Int128 divisor) {
        return divide(hi, lo, divisor.hi, divisor.lo, true);
    }

    /** {@code floor(this / divisor)} for {@code divisor > 0}, or {@link Fixed#OVERFLOW}. */
    public long divideFloor(long divisor) {
        return divide(hi, lo, divisor >> 63, divisor, false);
    }

    /** {@code ceil(this / divisor)} for {@code divisor > 0}, or {@link Fixed#OVERFLOW}. */
    public long divideCeil(long divisor) {
        return divide(hi, lo, divisor >> 63, divisor, true);
    }

    /**
     * {@code floor((a * b) / (c * d))} with both products exact in 128 bits, for {@code c * d > 0}; or
     * {@link Fixed#OVERFLOW}. Needs no scratch object.
     */
    public static long multiplyDivideFloor(long a, long b, long c, long d) {
        return divide(Math.multiplyHigh(a, b), a * b, Math.multiplyHigh(c, d), c * d, false);
    }

    /**
     * {@code ceil((a * b) / (c * d))} with both products exact in 128 bits, for {@code c * d > 0}; or
     * {@link Fixed#OVERFLOW}. Needs no scratch object.
     */
    public static long multiplyDivideCeil(long a, long b, long c, long d) {
        return divide(Math.multiplyHigh(a, b), a * b, Math.multiplyHigh(c, d), c * d, true);
    }

    /** The sign of {@code a * b - c * d}, computed exactly: -1, 0 or 1. */
    public static int compareProducts(long a, long b, long c, long d) {
        return compare(Math.multiplyHigh(a, b), a * b, Math.multiplyHigh(c, d), c * d);
    }

    @Override
    public String toString() {
        return "Int128[hi=" + hi + ", lo=" + Long.toUnsignedString(lo) + "]";
    }

    private Int128 addWords(long otherHi, long otherLo) {
        final long sumLo = lo + otherLo;
        final long carry = Long.compareUnsigned(sumLo, lo) < 0 ? 1 : 0;
        this.hi = hi + otherHi + carry;
        this.lo = sumLo;
        return this;
    }

    private Int128 subtractWords(long otherHi, long otherLo) {
        final long differenceLo = lo - otherLo;
        final long borrow = Long.compareUnsigned(lo, otherLo) < 0 ? 1 : 0;
        this.hi = hi - otherHi - borrow;
        this.lo = differenceLo;
        return this;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        if (aHi != bHi) {
            return aHi < bHi ? -1 : 1;
        }
        final int low = Long.compareUnsigned(aLo, bLo);
        return Integer.signum(low);
    }

    /**
     * Signed 128-bit {@code n} over positive 128-bit {@code d}, rounded down ({@code ceil == false}) or up.
     * Divides the magnitudes unsigned, then applies the sign and the rounding direction.
     */
    static long divide(long nHi, long nLo, long dHi, long dLo, boolean ceil) {
        if (dHi < 0 || (dHi | dLo) == 0) {
            return Fixed.OVERFLOW;
        }
        final boolean negative = nHi < 0;
        long mHi = nHi;
        long mLo = nLo;
        if (negative) {
            mLo = -nLo;
            mHi = ~nHi + (nLo == 0 ? 1 : 0);
        }
        final long quotient;
        final boolean exact;
        if (dHi == 0) {
            if (mHi == 0 && mLo >= 0 && dLo > 0) {
                // both fit in 63 bits: the hardware division is exact and fast
                quotient = mLo / dLo;
                exact = mLo - quotient * dLo == 0;
            } else {
                if (Long.compareUnsigned(mHi, dLo) >= 0) {
                    return Fixed.OVERFLOW; // the quotient needs more than 64 bits
                }
                quotient = divideUnsigned128By64(mHi, mLo, dLo);
                // the remainder is below the 64-bit divisor, so its low word is all of it: wrapping gives it exactly
                exact = mLo - quotient * dLo == 0;
            }
        } else {
            quotient = divideUnsigned128By128(mHi, mLo, dHi, dLo);
            // remainder = m - q * d, below d; it is zero exactly when m == q * d in all 128 bits
            final long productLo = quotient * dLo;
            final long productHi = unsignedMultiplyHigh(quotient, dLo) + quotient * dHi;
            exact = productLo == mLo && productHi == mHi;
        }
        if (quotient < 0) {
            return Fixed.OVERFLOW; // the unsigned quotient is 2^63 or more
        }
        long result = negative ? -quotient : quotient;
        if (!exact) {
            if (ceil && !negative) {
                if (result == Long.MAX_VALUE) {
                    return Fixed.OVERFLOW;
                }
                result++;
            } else if (!ceil && negative) {
                result--;
            }
        }
        return result; // Long.MIN_VALUE can only come out of the last decrement, and it is the OVERFLOW sentinel
    }

    /** Unsigned {@code (u1:u0) / v} for {@code u1 < v} (unsigned): Hacker's Delight {@code divlu}, 32-bit digits. */
    private static long divideUnsigned128By64(long u1, long u0, long v) {
        final int shift = Long.numberOfLeadingZeros(v);
        final long vn = v << shift;
        final long vn1 = vn >>> 32;
        final long vn0 = vn & DIGIT_MASK;
        final long un32 = shift == 0 ? u1 : (u1 << shift) | (u0 >>> (64 - shift));
        final long un10 = u0 << shift;
        final long un1 = un10 >>> 32;
        final long un0 = un10 & DIGIT_MASK;

        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, DIGIT) >= 0
            || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, DIGIT) >= 0) {
                break;
            }
        }
        final long un21 = (un32 << 32) + un1 - q1 * vn;

        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, DIGIT) >= 0
            || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, DIGIT) >= 0) {
                break;
            }
        }
        return (q1 << 32) + q0;
    }

    /**
     * Unsigned {@code (uHi:uLo) / (vHi:vLo)} for {@code vHi != 0}, whose quotient is below 2^64: Hacker's Delight
     * figure 9-5 one size up. Normalise the divisor's top word, divide half the dividend by it to get an estimate
     * that is exact or one too large, then correct once.
     */
    private static long divideUnsigned128By128(long uHi, long uLo, long vHi, long vLo) {
        final int shift = Long.numberOfLeadingZeros(vHi);
        final long v1 = shift == 0 ? vHi : (vHi << shift) | (vLo >>> (64 - shift));
        final long halfHi = uHi >>> 1;
        final long halfLo = (uLo >>> 1) | (uHi << 63);
        final long q1 = divideUnsigned128By64(halfHi, halfLo, v1);
        // (q1 << shift) >> 63 over 128 bits
        final long shiftedHi = shift == 0 ? 0 : q1 >>> (64 - shift);
        final long shiftedLo = q1 << shift;
        long q0 = (shiftedHi << 1) | (shiftedLo >>> 63);
        if (q0 != 0) {
            q0--;
        }
        // remainder u - q0 * v, then one correction step
        final long productLo = q0 * vLo;
        final long productHi = unsignedMultiplyHigh(q0, vLo) + q0 * vHi;
        final long remainderLo = uLo - productLo;
        final long remainderHi = uHi - productHi - (Long.compareUnsigned(uLo, productLo) < 0 ? 1 : 0);
        if (Long.compareUnsigned(remainderHi, vHi) > 0
            || (remainderHi == vHi && Long.compareUnsigned(remainderLo, vLo) >= 0)) {
            q0++;
        }
        return q0;
    }

    /** High word of the unsigned 64x64 product (Java 17 has only the signed {@link Math#multiplyHigh}). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }
}
