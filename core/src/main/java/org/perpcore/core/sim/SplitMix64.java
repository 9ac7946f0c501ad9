package org.perpcore.core.sim;

/**
 * A seeded pseudo-random generator: Steele, Lea and Flood's SplitMix64 ("Fast splittable pseudorandom number
 * generators", OOPSLA 2014). Small, fast, and fully specified by its seed, so the same seed gives the same
 * sequence on every JVM and platform, which {@code java.util.Random} (and its JDK-version-dependent subclasses)
 * does not promise. Not for cryptography; not thread-safe.
 *
 * <p>Doubles are built from the top 53 bits of a draw and derived with {@link StrictMath} only, whose results
 * are reproducible bit for bit (the platform {@code Math} functions may differ in the last bit between the
 * interpreter and compiled code).
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 uniformly distributed bits. */
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, bound)}, without modulo bias (rejection of the incomplete last block). */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        final long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return r % bound;
    }

    /** Uniform in {@code [0, bound)}. */
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in {@code [0, 1)}, a multiple of 2^-53. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in {@code (0, 1]}: safe to take the logarithm of. */
    public double nextDoubleOpen() {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    /** Standard normal (Box-Muller, one value per two draws; no cached second value, so no hidden state). */
    public double nextGaussian() {
        final double u = nextDoubleOpen();
        final double v = nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * StrictMath.PI * v);
    }

    /** Exponential with mean 1. */
    public double nextExponential() {
        return -StrictMath.log(nextDoubleOpen());
    }

    /** True with probability {@code p}. */
    public boolean nextBoolean(double p) {
        return nextDouble() < p;
    }
}
