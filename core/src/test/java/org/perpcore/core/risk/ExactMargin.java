package org.perpcore.core.risk;

import java.math.BigInteger;

/**
 * Test oracle: Binance's margin equation in exact integer arithmetic (BigInteger), independent of
 * {@link RiskMath}'s tier search and rounding. Amounts are in units of 1e-24 (E8 price x E8 quantity x E8 rate).
 *
 * <p>A position of signed quantity q and entry notional {@code cost}, in an account whose other terms sum to
 * {@code base = WB - TMM1 + UPNL1}, has at mark price P the margin surplus
 * {@code base + side * (N(P) - cost) - MM(N(P))} with {@code N(P) = P * |q|} and MM from the tier that N falls in;
 * it is liquidated when the surplus is at or below zero.
 */
final class ExactMargin {
    private static final BigInteger E8 = BigInteger.valueOf(100_000_000L);
    private static final BigInteger E16 = E8.multiply(E8);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private ExactMargin() {
    }

    /** The tier of the exact notional {@code num / den} (den > 0): last floor at or below it; 0 below 0. */
    static int tierOf(Brackets brackets, BigInteger num, BigInteger den) {
        int tier = 0;
        for (int k = 1; k < brackets.count(); k++) {
            if (BigInteger.valueOf(brackets.floorE8(k)).multiply(den).compareTo(num) <= 0) {
                tier = k;
            }
        }
        return tier;
    }

    /** Maintenance margin of notional {@code priceE8 * |qtyE8|}, exactly, in 1e-24 units (0 for an empty table). */
    static BigInteger maintenance24(Brackets brackets, long qtyE8, long priceE8) {
        if (brackets.count() == 0) {
            return BigInteger.ZERO;
        }
        final BigInteger notional16 = BigInteger.valueOf(priceE8).multiply(BigInteger.valueOf(Math.abs(qtyE8)));
        final int tier = tierOf(brackets, notional16, E8);
        return notional16.multiply(BigInteger.valueOf(brackets.mmrE8(tier)))
            .subtract(BigInteger.valueOf(brackets.cumE8(tier)).multiply(E16));
    }

    /** Equity at price P (wallet plus all PnL, minus the other positions' maintenance), 1e-24 units. */
    static BigInteger equity24(long baseE8, long qtyE8, long costE8, long priceE8) {
        final BigInteger notional24 = BigInteger.valueOf(priceE8).multiply(BigInteger.valueOf(Math.abs(qtyE8)))
            .multiply(E8);
        final BigInteger pnl24 = notional24.subtract(BigInteger.valueOf(costE8).multiply(E16));
        return BigInteger.valueOf(baseE8).multiply(E16).add(qtyE8 > 0 ? pnl24 : pnl24.negate());
    }

    /** Margin surplus at price P: equity minus this position's maintenance margin, 1e-24 units. */
    static BigInteger surplus24(Brackets brackets, long baseE8, long qtyE8, long costE8, long priceE8) {
        return equity24(baseE8, qtyE8, costE8, priceE8).subtract(maintenance24(brackets, qtyE8, priceE8));
    }

    /**
     * Brute force by bisection over every E8 price: for a long the smallest price whose surplus is not negative
     * ({@code ceil} of the root, the surplus rising with the price), for a short the largest one ({@code floor} of
     * the root); clamped to {@code [0, Long.MAX_VALUE]} like {@link RiskMath#liquidationPriceE8}. Valid where the
     * surplus is monotonic in the price: tables whose cum is exact.
     */
    static long bisectLiquidationPrice(Brackets brackets, long baseE8, long qtyE8, long costE8) {
        final boolean isLong = qtyE8 > 0;
        if (isLong) {
            if (surplus24(brackets, baseE8, qtyE8, costE8, 0).signum() >= 0) {
                return 0;
            }
            if (surplus24(brackets, baseE8, qtyE8, costE8, Long.MAX_VALUE).signum() < 0) {
                return Long.MAX_VALUE;
            }
            long bad = 0;
            long good = Long.MAX_VALUE; // surplus(bad) < 0 <= surplus(good)
            while (good - bad > 1) {
                final long mid = bad + (good - bad) / 2;
                if (surplus24(brackets, baseE8, qtyE8, costE8, mid).signum() >= 0) {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
            return good;
        }
        if (surplus24(brackets, baseE8, qtyE8, costE8, 0).signum() < 0) {
            return 0;
        }
        if (surplus24(brackets, baseE8, qtyE8, costE8, Long.MAX_VALUE).signum() >= 0) {
            return Long.MAX_VALUE;
        }
        long good = 0;
        long bad = Long.MAX_VALUE; // surplus(good) >= 0 > surplus(bad)
        while (bad - good > 1) {
            final long mid = good + (bad - good) / 2;
            if (surplus24(brackets, baseE8, qtyE8, costE8, mid).signum() >= 0) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }

    /** The outcome of Binance's documented procedure: the tier it settles on and the price, rounded. */
    record Iteration(int tier, long priceE8, int steps) {
    }

    /**
     * Binance's procedure, step by step and exactly: take the tier of the current notional (at the mark), solve the
     * formula, and while the notional at that price falls in another tier, solve again with that tier.
     * The price is rounded once at the end (long up, short down) and clamped to {@code [0, Long.MAX_VALUE]}.
     */
    static Iteration binanceIteration(Brackets brackets, long baseE8, long qtyE8, long costE8, long markPriceE8) {
        final long side = qtyE8 > 0 ? 1 : -1;
        final BigInteger absQty = BigInteger.valueOf(Math.abs(qtyE8));
        int tier = brackets.tierOf(RiskMath.notionalUpE8(markPriceE8, qtyE8));
        BigInteger x = null;
        BigInteger rate = null;
        int steps = 0;
        while (true) {
            steps++;
            // X = WB - TMM1 + UPNL1 + cum - side * cost;  rate = MMR - side (E8)
            x = BigInteger.valueOf(baseE8).add(BigInteger.valueOf(brackets.cumE8(tier)))
                .subtract(BigInteger.valueOf(side * costE8));
            rate = BigInteger.valueOf(brackets.mmrE8(tier) - side * 100_000_000L);
            // notional at the root, E8: X * 1e8 / rate (|q| cancels)
            BigInteger num = x.multiply(E8);
            BigInteger den = rate;
            if (den.signum() < 0) {
                num = num.negate();
                den = den.negate();
            }
            final int next = tierOf(brackets, num, den);
            if (next == tier || steps > brackets.count() + 1) {
                break;
            }
            tier = next;
        }
        // price E8 = X * 1e16 / (|q| * rate)
        BigInteger num = x.multiply(E16);
        BigInteger den = absQty.multiply(rate);
        if (den.signum() < 0) {
            num = num.negate();
            den = den.negate();
        }
        final BigInteger[] qr = num.divideAndRemainder(den);
        BigInteger price = qr[0];
        if (qr[1].signum() != 0) {
            if (side > 0 && num.signum() > 0) {
                price = price.add(BigInteger.ONE);
            } else if (side < 0 && num.signum() < 0) {
                price = price.subtract(BigInteger.ONE);
            }
        }
        final long priceE8 = price.signum() <= 0 ? 0 : price.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE
            : price.longValueExact();
        return new Iteration(tier, priceE8, steps);
    }
}
