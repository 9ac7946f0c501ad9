package org.perpcore.core.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perpcore.core.num.Fixed;

class Int128Test {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);
    private static final BigInteger MIN_128 = BigInteger.ONE.shiftLeft(127).negate();
    private static final BigInteger MAX_128 = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** Interesting 64-bit values: zero, ones, the ends of the range, powers of two and their neighbours, E8, E16. */
    private static final long[] EDGE_LONGS = edgeLongs();

    private static long[] edgeLongs() {
        final long[] base = {0, 1, 2, 3, 7, 10, Fixed.E8, Fixed.E8 * Fixed.E8, 99_999_999L, 100_000_001L,
            Integer.MAX_VALUE, 1L << 31, 1L << 32, (1L << 32) - 1, (1L << 32) + 1, 1L << 62, (1L << 62) - 1,
            Long.MAX_VALUE, Long.MAX_VALUE - 1, 3_037_000_499L, 3_037_000_500L};
        final long[] all = new long[base.length * 2 + 1];
        int n = 0;
        for (long v : base) {
            all[n++] = v;
            all[n++] = -v;
        }
        all[n] = Long.MIN_VALUE;
        return all;
    }

    private static BigInteger big(Int128 v) {
        return BigInteger.valueOf(v.hi()).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(v.lo())));
    }

    private static Int128 of(BigInteger v) {
        final BigInteger wrapped = v.mod(TWO_128);
        final long lo = wrapped.longValue();
        final long hi = wrapped.shiftRight(64).longValue();
        return new Int128().set(hi, lo);
    }

    /** Two's complement wrap of an exact result into 128 bits. */
    private static BigInteger wrap(BigInteger v) {
        BigInteger w = v.mod(TWO_128);
        if (w.compareTo(MAX_128) > 0) {
            w = w.subtract(TWO_128);
        }
        return w;
    }

    private static long expectedQuotient(BigInteger numerator, BigInteger divisor, boolean ceil) {
        if (divisor.signum() <= 0) {
            return Fixed.OVERFLOW;
        }
        final BigInteger[] qr = numerator.divideAndRemainder(divisor);
        BigInteger q = qr[0];
        if (qr[1].signum() != 0) {
            if (ceil && numerator.signum() > 0) {
                q = q.add(BigInteger.ONE);
            } else if (!ceil && numerator.signum() < 0) {
                q = q.subtract(BigInteger.ONE);
            }
        }
        if (q.compareTo(LONG_MAX) > 0 || q.compareTo(LONG_MIN) <= 0) {
            return Fixed.OVERFLOW;
        }
        return q.longValueExact();
    }

    /** A random 128-bit value whose magnitude is spread over every bit length. */
    private static BigInteger random128(SplittableRandom random) {
        final int bits = random.nextInt(0, 128);
        BigInteger v = new BigInteger(bits + 1, new java.util.Random(random.nextLong()));
        if (random.nextBoolean()) {
            v = v.negate();
        }
        return v.max(MIN_128).min(MAX_128);
    }

    private static BigInteger randomPositive128(SplittableRandom random) {
        BigInteger v;
        do {
            v = random128(random).abs().min(MAX_128);
        } while (v.signum() == 0);
        return v;
    }

    private static long randomLong(SplittableRandom random) {
        if (random.nextInt(8) == 0) {
            return EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
        }
        return random.nextLong() >> random.nextInt(0, 64);
    }

    @Test
    void productsSumsAndComparisonsMatchBigInteger() {
        final SplittableRandom random = new SplittableRandom(7);
        final Int128 a = new Int128();
        final Int128 b = new Int128();
        for (int i = 0; i < 300_000; i++) {
            final long x = randomLong(random);
            final long y = randomLong(random);
            final long z = randomLong(random);
            final long w = randomLong(random);
            final BigInteger xy = BigInteger.valueOf(x).multiply(BigInteger.valueOf(y));
            final BigInteger zw = BigInteger.valueOf(z).multiply(BigInteger.valueOf(w));
            assertEquals(xy, big(a.setProduct(x, y)));
            assertEquals(wrap(xy.add(zw)), big(a.setProduct(x, y).addProduct(z, w)));
            assertEquals(wrap(xy.subtract(zw)), big(a.setProduct(x, y).subtractProduct(z, w)));
            assertEquals(wrap(xy.add(BigInteger.valueOf(z))), big(a.setProduct(x, y).add(z)));
            assertEquals(wrap(xy.subtract(BigInteger.valueOf(z))), big(a.setProduct(x, y).subtract(z)));
            b.setProduct(z, w);
            assertEquals(wrap(xy.add(zw)), big(a.setProduct(x, y).add(b)));
            assertEquals(wrap(xy.subtract(zw)), big(a.setProduct(x, y).subtract(b)));
            assertEquals(xy.negate(), big(a.setProduct(x, y).negate()));
            assertEquals(xy.signum(), a.setProduct(x, y).signum());
            assertEquals(xy.compareTo(zw), a.compareTo(b));
            assertEquals(xy.compareTo(zw), Int128.compareProducts(x, y, z, w));
            assertEquals(BigInteger.valueOf(x), big(a.set(x)));
            final boolean fits = xy.bitLength() <= 63;
            assertEquals(fits, a.setProduct(x, y).fitsInLong());
            assertEquals(fits && xy.longValue() != Long.MIN_VALUE ? xy.longValue() : Fixed.OVERFLOW, a.toLong());
        }
    }

    @Test
    void wideSumsWrapLikeLongArithmetic() {
        final SplittableRandom random = new SplittableRandom(11);
        final Int128 a = new Int128();
        final Int128 b = new Int128();
        for (int i = 0; i < 200_000; i++) {
            final BigInteger x = random128(random);
            final BigInteger y = random128(random);
            assertEquals(wrap(x.add(y)), big(a.set(of(x)).add(of(y))));
            assertEquals(wrap(x.subtract(y)), big(a.set(of(x)).subtract(of(y))));
            assertEquals(wrap(x.negate()), big(a.set(of(x)).negate()));
            assertEquals(x.compareTo(y), a.set(of(x)).compareTo(b.set(of(y))));
        }
        assertEquals(MIN_128, big(a.set(of(MIN_128)).negate()), "-(-2^127) wraps to itself");
        assertEquals(MIN_128, big(a.set(of(MAX_128)).add(1)));
    }

    @Test
    void divisionOfRandomValuesMatchesBigIntegerInBothDirections() {
        final SplittableRandom random = new SplittableRandom(42);
        final Int128 n = new Int128();
        final Int128 d = new Int128();
        for (int i = 0; i < 1_000_000; i++) {
            final BigInteger numerator = random128(random);
            final BigInteger divisor = random.nextInt(4) == 0 ? random128(random) : randomPositive128(random);
            n.set(of(numerator));
            d.set(of(divisor));
            assertEquals(expectedQuotient(numerator, divisor, false), n.divideFloor(d),
                () -> numerator + " / " + divisor + " floor");
            assertEquals(expectedQuotient(numerator, divisor, true), n.divideCeil(d),
                () -> numerator + " / " + divisor + " ceil");
        }
    }

    @Test
    void divisionWithQuotientsNearTheLongRangeMatchesBigInteger() {
        final SplittableRandom random = new SplittableRandom(3);
        final Int128 n = new Int128();
        final Int128 d = new Int128();
        for (int i = 0; i < 500_000; i++) {
            // quotient chosen first, near 2^63 or small, then numerator = q * d + r with 0 <= r < d
            final BigInteger divisor = randomPositive128(random).shiftRight(random.nextInt(0, 64)).max(BigInteger.ONE);
            final long qBase = random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(4) : random.nextLong();
            final BigInteger quotient = BigInteger.valueOf(qBase).add(BigInteger.valueOf(random.nextInt(-2, 3)));
            final BigInteger remainder = random.nextInt(3) == 0 ? BigInteger.ZERO
                : new BigInteger(divisor.bitLength(), new java.util.Random(random.nextLong())).mod(divisor);
            BigInteger numerator = quotient.multiply(divisor).add(remainder);
            if (random.nextBoolean()) {
                numerator = numerator.negate();
            }
            if (numerator.compareTo(MAX_128) > 0 || numerator.compareTo(MIN_128) < 0) {
                continue;
            }
            final BigInteger num = numerator;
            n.set(of(num));
            d.set(of(divisor));
            assertEquals(expectedQuotient(num, divisor, false), n.divideFloor(d), () -> num + " / " + divisor);
            assertEquals(expectedQuotient(num, divisor, true), n.divideCeil(d), () -> num + " / " + divisor);
        }
    }

    @Test
    void divisionOfEdgeProductsByEdgeProductsMatchesBigInteger() {
        final Int128 n = new Int128();
        final Int128 d = new Int128();
        for (long a : EDGE_LONGS) {
            for (long b : EDGE_LONGS) {
                for (long c : EDGE_LONGS) {
                    for (long e : new long[] {1, 2, 3, Fixed.E8, Long.MAX_VALUE, Long.MIN_VALUE, -1, 1L << 32}) {
                        final BigInteger numerator = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
                        final BigInteger divisor = BigInteger.valueOf(c).multiply(BigInteger.valueOf(e));
                        n.setProduct(a, b);
                        d.setProduct(c, e);
                        assertEquals(expectedQuotient(numerator, divisor, false), n.divideFloor(d));
                        assertEquals(expectedQuotient(numerator, divisor, true), n.divideCeil(d));
                        assertEquals(expectedQuotient(numerator, divisor, false),
                            Int128.multiplyDivideFloor(a, b, c, e));
                        assertEquals(expectedQuotient(numerator, divisor, true),
                            Int128.multiplyDivideCeil(a, b, c, e));
                    }
                    final BigInteger numerator = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
                    n.setProduct(a, b);
                    assertEquals(expectedQuotient(numerator, BigInteger.valueOf(c), false), n.divideFloor(c));
                    assertEquals(expectedQuotient(numerator, BigInteger.valueOf(c), true), n.divideCeil(c));
                }
            }
        }
    }

    @Test
    void divisionByA64BitDivisorMatchesBigInteger() {
        final SplittableRandom random = new SplittableRandom(5);
        final Int128 n = new Int128();
        for (int i = 0; i < 500_000; i++) {
            final BigInteger numerator = random128(random);
            final long divisor = randomLong(random);
            n.set(of(numerator));
            final BigInteger bigDivisor = BigInteger.valueOf(divisor);
            assertEquals(expectedQuotient(numerator, bigDivisor, false), n.divideFloor(divisor),
                () -> numerator + " / " + divisor);
            assertEquals(expectedQuotient(numerator, bigDivisor, true), n.divideCeil(divisor),
                () -> numerator + " / " + divisor);
        }
    }

    @Test
    void divisorsBetween2To63And2To64UseTheWidePath() {
        // positive 128-bit divisors whose high word is 0 but whose low word has its top bit set
        final SplittableRandom random = new SplittableRandom(9);
        final Int128 n = new Int128();
        final Int128 d = new Int128();
        for (int i = 0; i < 200_000; i++) {
            final BigInteger divisor = BigInteger.ONE.shiftLeft(63)
                .add(BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE));
            assertTrue(divisor.compareTo(TWO_64) < 0);
            final BigInteger numerator = random128(random);
            n.set(of(numerator));
            d.set(of(divisor));
            assertEquals(expectedQuotient(numerator, divisor, false), n.divideFloor(d));
            assertEquals(expectedQuotient(numerator, divisor, true), n.divideCeil(d));
        }
    }

    @Test
    void nonPositiveDivisorsAndUnrepresentableQuotientsReportOverflow() {
        final Int128 n = new Int128().set(10);
        assertEquals(Fixed.OVERFLOW, n.divideFloor(0));
        assertEquals(Fixed.OVERFLOW, n.divideFloor(-3));
        assertEquals(Fixed.OVERFLOW, n.divideCeil(new Int128().set(-1)));
        assertEquals(Fixed.OVERFLOW, new Int128().set(Long.MIN_VALUE).divideFloor(1),
            "the sentinel is never a quotient");
        assertEquals(Long.MIN_VALUE + 1, new Int128().set(Long.MIN_VALUE + 1).divideFloor(1));
        assertEquals(Fixed.OVERFLOW, new Int128().set(Long.MAX_VALUE).add(1).divideFloor(1));
        // (2^64 - 1) / 2 = 2^63 - 0.5: floor is Long.MAX_VALUE, ceil is 2^63 and does not fit
        assertEquals(Long.MAX_VALUE, new Int128().set(Long.MAX_VALUE).add(Long.MAX_VALUE).add(1).divideFloor(2));
        assertEquals(Fixed.OVERFLOW, new Int128().set(Long.MAX_VALUE).add(Long.MAX_VALUE).add(1).divideCeil(2));
        assertEquals(Long.MAX_VALUE, new Int128().set(Long.MAX_VALUE).add(Long.MAX_VALUE).divideFloor(2));
        assertEquals(Long.MAX_VALUE, new Int128().set(Long.MAX_VALUE).add(Long.MAX_VALUE).divideCeil(2));
        assertEquals(3, new Int128().set(10).divideFloor(3));
        assertEquals(4, new Int128().set(10).divideCeil(3));
        assertEquals(-4, new Int128().set(-10).divideFloor(3));
        assertEquals(-3, new Int128().set(-10).divideCeil(3));
        assertEquals(0, new Int128().divideCeil(7));
        assertFalse(new Int128().set(Long.MAX_VALUE).add(1).fitsInLong());
    }
}
