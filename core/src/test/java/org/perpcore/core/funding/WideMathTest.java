package org.perpcore.core.funding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perpcore.core.num.Fixed;

/** The package's rounding helpers against BigDecimal's HALF_UP (half away from zero). */
class WideMathTest {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static long expected(BigInteger numerator, long d) {
        final BigInteger q = new BigDecimal(numerator).divide(BigDecimal.valueOf(d), 0, RoundingMode.HALF_UP)
            .toBigIntegerExact();
        return q.compareTo(LONG_MIN) <= 0 || q.compareTo(LONG_MAX) > 0 ? Fixed.OVERFLOW : q.longValueExact();
    }

    @Test
    void halfAwayFromZeroOnTies() {
        assertEquals(2, WideMath.mulDivHalfAway(3, 1, 2));
        assertEquals(-2, WideMath.mulDivHalfAway(-3, 1, 2));
        assertEquals(1, WideMath.mulDivHalfAway(1, 1, 3 - 1));
        assertEquals(0, WideMath.mulDivHalfAway(1, 1, 3));
        assertEquals(2, WideMath.divHalfAway(3, 2));
        assertEquals(-2, WideMath.divHalfAway(-3, 2));
        assertEquals(-1, WideMath.divHalfAway(-4, 3));
        assertEquals(Fixed.OVERFLOW, WideMath.mulDivHalfAway(Long.MAX_VALUE, 2, 1));
        assertEquals(Fixed.OVERFLOW, WideMath.mulDivHalfAway(1, 1, 0));
    }

    @Test
    void mulDivMatchesBigDecimal() {
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            final long a = random.nextLong() >> random.nextInt(0, 40);
            final long b = random.nextLong() >> random.nextInt(0, 40);
            final long d = Math.max(1, Math.abs(random.nextLong() >> random.nextInt(0, 62)));
            if (a == Long.MIN_VALUE || b == Long.MIN_VALUE) {
                continue;
            }
            final BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
            assertEquals(expected(product, d), WideMath.mulDivHalfAway(a, b, d), () -> a + " * " + b + " / " + d);
        }
    }

    @Test
    void divide128MatchesBigInteger() {
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            final long hi = random.nextLong() >> random.nextInt(1, 64);
            final long lo = random.nextLong();
            final long d = Math.max(1, Math.abs(random.nextLong() >> random.nextInt(0, 62)));
            final BigInteger value = BigInteger.valueOf(hi).shiftLeft(64)
                .add(new BigInteger(Long.toUnsignedString(lo)));
            assertEquals(expected(value, d), WideMath.divHalfAway128(hi, lo, d), () -> value + " / " + d);
        }
        assertEquals(-3, WideMath.divHalfAway128(-1, -5, 2), "-5 / 2 = -2.5");
        assertEquals(Fixed.OVERFLOW, WideMath.divHalfAway128(0, -1, 1), "2^64 - 1 does not fit");
    }
}
