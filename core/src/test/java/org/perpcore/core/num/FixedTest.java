package org.perpcore.core.num;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedTest {
    @Test
    void checkedMultiplyReportsOverflowInsteadOfWrapping() {
        assertEquals(6, Fixed.mul(2, 3));
        assertEquals(-6, Fixed.mul(-2, 3));
        assertEquals(Fixed.OVERFLOW, Fixed.mul(Long.MAX_VALUE, 2));
        assertEquals(Fixed.OVERFLOW, Fixed.mul(Long.MIN_VALUE + 1, 2));
        assertEquals(Fixed.OVERFLOW, Fixed.mul(3_037_000_500L, 3_037_000_500L));
        assertEquals(Fixed.OVERFLOW, Fixed.add(Long.MAX_VALUE, 1));
        assertEquals(Long.MAX_VALUE, Fixed.add(Long.MAX_VALUE - 1, 1));
    }

    @Test
    void mulDivRoundsInTheRequestedDirection() {
        assertEquals(3, Fixed.mulDivFloor(10, 1, 3));
        assertEquals(4, Fixed.mulDivCeil(10, 1, 3));
        assertEquals(-4, Fixed.mulDivFloor(-10, 1, 3));
        assertEquals(-3, Fixed.mulDivCeil(-10, 1, 3));
        assertEquals(5, Fixed.mulDivCeil(10, 1, 2));
    }

    @Test
    void mulDivIsExactThrough128BitsAgainstBigInteger() {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            final long a = random.nextLong() >> random.nextInt(0, 40);
            final long b = random.nextLong() >> random.nextInt(0, 40);
            final long d = Math.max(1, Math.abs(random.nextLong() >> random.nextInt(0, 60)));
            check(a, b, d, RoundingMode.FLOOR);
            check(a, b, d, RoundingMode.CEILING);
        }
    }

    @Test
    void mulDivByE8AndSmallDivisorsIsExactAgainstBigInteger() {
        // the divisors of the fast paths (1e8 with its constant, below 2^31 digit by digit), on products of every size
        final SplittableRandom random = new SplittableRandom(7);
        final long[] divisors = {Fixed.E8, 1, 3, 20, 125, 1000, (1L << 31) - 1, Fixed.E8 - 1, Fixed.E8 + 1};
        for (int i = 0; i < 200_000; i++) {
            final long a = random.nextLong() >> random.nextInt(0, 63);
            final long b = random.nextLong() >> random.nextInt(0, 63);
            final long d = divisors[i % divisors.length];
            check(a, b, d, RoundingMode.FLOOR);
            check(a, b, d, RoundingMode.CEILING);
        }
        // (Long.MIN_VALUE is the OVERFLOW sentinel: an input of it stays a sentinel, as the general path does)
        final long[] edges = {0, 1, -1, Fixed.E8, -Fixed.E8, Long.MAX_VALUE, Long.MIN_VALUE + 1,
            Long.MAX_VALUE / Fixed.E8, 1L << 62, -(1L << 62), 6_000_000_000_000L, 12_345_678_901L};
        for (long a : edges) {
            for (long b : edges) {
                check(a, b, Fixed.E8, RoundingMode.FLOOR);
                check(a, b, Fixed.E8, RoundingMode.CEILING);
            }
        }
    }

    private static void check(long a, long b, long d, RoundingMode mode) {
        final BigInteger exact = new BigDecimal(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)))
            .divide(BigDecimal.valueOf(d), 0, mode).toBigInteger();
        final long actual = mode == RoundingMode.FLOOR ? Fixed.mulDivFloor(a, b, d) : Fixed.mulDivCeil(a, b, d);
        if (exact.bitLength() > 63 || exact.longValue() == Long.MIN_VALUE) {
            assertEquals(Fixed.OVERFLOW, actual, () -> a + " * " + b + " / " + d);
        } else {
            assertEquals(exact.longValue(), actual, () -> a + " * " + b + " / " + d + " " + mode);
        }
    }

    @Test
    void decimalsParseAndPrintExactly() {
        assertEquals(12_160_910_000_000L, Decimal.parseE8("121609.1"));
        assertEquals(100_000L, Decimal.parseE8("0.001"));
        assertEquals(-300_000_000_000L, Decimal.parseE8("-3000"));
        assertEquals(1L, Decimal.parseE8("0.00000001"));
        assertEquals("121609.10", Decimal.toString(12_160_910_000_000L, 2));
        assertEquals("0.001", Decimal.toPlain(100_000L));
        assertEquals("-3000", Decimal.toPlain(-300_000_000_000L));
        assertEquals("0.00000001", Decimal.toString(1, 8));
        assertEquals("-0.50000000", Decimal.toString(-50_000_000L, 8));
    }

    @Test
    void malformedDecimalsAreRefusedWithAReason() {
        for (String bad : new String[] {"", "-", "1e5", "1,000", "+5", "1.", ".5", "1.123456789", "abc", "99999999999999"}) {
            assertThrows(NumberFormatException.class, () -> Decimal.parseE8(bad), bad);
        }
    }
}
