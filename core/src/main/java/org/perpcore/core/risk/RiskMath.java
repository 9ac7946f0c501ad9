package org.perpcore.core.risk;

import org.perpcore.core.num.Fixed;

/**
 * The risk formulas of Binance USDⓈ-M futures in one-way position mode, on E8 fixed point: notional, unrealised
 * PnL, maintenance margin, liquidation price (with Binance's tier re-selection) and bankruptcy price. Pure static
 * functions: no state, no allocation, no exception.
 *
 * <p>Conventions shared by every method:
 * <ul>
 *   <li>Prices, quantities, money and rates are E8 ({@code value * 1e8}).</li>
 *   <li>{@code qtyE8} is the signed position: positive long, negative short, 0 flat.</li>
 *   <li>{@code costE8} is the position's entry notional, {@code |qty| * entryPrice}, positive, as the caller keeps
 *       it (the sum of the fills' notionals, say): the formula's {@code |q| * EP} term is then exactly
 *       {@code cost}, and the entry price is {@code cost / |qty|}, with no rounding of its own.</li>
 *   <li>Every rounding goes against the position holder, i.e. in the exchange's favour: notional of a long down
 *       and of a short up in PnL, maintenance margin up, a long's liquidation price up and a short's down.</li>
 *   <li>A result that cannot be represented, or inputs whose sums leave the {@code long} range, give
 *       {@link Fixed#OVERFLOW}.</li>
 * </ul>
 *
 * <p>The liquidation price is the exact root of Binance's margin equation rounded once, not the outcome of a
 * chain of rounded steps: its numerator and denominator are formed exactly in 128 bits ({@link Int128}) and
 * divided once. It therefore differs from the true real-number price by less than 1e-8.
 *
 * <p>Source: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
 * https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93 ; RISK-REFERENCES.md.
 */
public final class RiskMath {
    /**
     * Liquidation price of a long that cannot be liquidated at any price above zero (its collateral covers the
     * whole position): a mark never falls to or below it.
     */
    public static final long LONG_NEVER_LIQUIDATED = 0L;
    /**
     * Liquidation price of a short that cannot be liquidated at any representable price: a mark never reaches it.
     * (A short always has a finite liquidation price in exact arithmetic, since MMR is below 1; this is what a
     * price beyond the E8 range is reported as.)
     */
    public static final long SHORT_NEVER_LIQUIDATED = Long.MAX_VALUE;

    private static final long E16 = Fixed.E8 * Fixed.E8;

    private RiskMath() {
    }

    /**
     * {@code price * |qty|} rounded down, E8. For the value of a long (what the holder receives) and anything
     * that must not be overstated.
     */
    public static long notionalDownE8(long priceE8, long qtyE8) {
        if (qtyE8 == Long.MIN_VALUE) {
            return Fixed.OVERFLOW;
        }
        return Fixed.mulDivFloor(priceE8, Math.abs(qtyE8), Fixed.E8);
    }

    /**
     * {@code price * |qty|} rounded up, E8. For the value of a short (what the holder owes) and for margin
     * requirements, which must not be understated.
     */
    public static long notionalUpE8(long priceE8, long qtyE8) {
        if (qtyE8 == Long.MIN_VALUE) {
            return Fixed.OVERFLOW;
        }
        return Fixed.mulDivCeil(priceE8, Math.abs(qtyE8), Fixed.E8);
    }

    /**
     * Unrealised PnL of a position at a mark price, E8: long {@code N(mark) - cost}, short {@code cost - N(mark)},
     * with the notional {@code N} rounded against the holder (down for a long, up for a short) so that PnL is
     * never overstated. 0 for a flat position.
     */
    public static long unrealizedPnlE8(long qtyE8, long costE8, long markPriceE8) {
        if (qtyE8 == 0) {
            return 0;
        }
        if (qtyE8 > 0) {
            final long notionalE8 = notionalDownE8(markPriceE8, qtyE8);
            return notionalE8 == Fixed.OVERFLOW ? Fixed.OVERFLOW : Fixed.add(notionalE8, -costE8);
        }
        final long notionalE8 = notionalUpE8(markPriceE8, qtyE8);
        return notionalE8 == Fixed.OVERFLOW ? Fixed.OVERFLOW : Fixed.add(costE8, -notionalE8);
    }

    /**
     * Maintenance margin of a position at a mark price, E8: its notional at the mark (rounded up) in the tier
     * table, {@code ceil(notional * MMR) - cum}. Both roundings are up, so the result is at most 2e-8 above the
     * exact value and never below it. 0 for a flat position.
     */
    public static long maintenanceMarginE8(long qtyE8, long markPriceE8, Brackets brackets) {
        if (qtyE8 == 0) {
            return 0;
        }
        final long notionalE8 = notionalUpE8(markPriceE8, qtyE8);
        return notionalE8 == Fixed.OVERFLOW ? Fixed.OVERFLOW : brackets.maintenanceMarginE8(notionalE8);
    }

    /**
     * Liquidation price of a position, Binance USDⓈ-M one-way mode, E8:
     * <pre>
     * LP = (WB - TMM1 + UPNL1 + cum - side * |q| * EP) / (|q| * MMR - side * |q|)     side = +1 long, -1 short
     * </pre>
     * with MMR and {@code cum} of the tier that the position's notional <em>at the liquidation price</em> falls
     * in (see {@link #liquidationTier}).
     *
     * @param walletBalanceE8        cross: the account's wallet balance; isolated: the position's isolated margin
     * @param otherMaintenanceE8     TMM1: maintenance margin of the account's other cross positions; 0 isolated
     * @param otherUnrealizedPnlE8   UPNL1: unrealised PnL of the account's other cross positions; 0 isolated
     * @param qtyE8                  the signed position
     * @param costE8                 the position's entry notional {@code |q| * EP}
     * @param brackets               the market's tiers (an empty table means no maintenance margin)
     * @return the price, rounded up for a long and down for a short: a long is liquidated when the mark is at or
     *     below it, a short when the mark is at or above it. {@link #LONG_NEVER_LIQUIDATED} (0) for a long that
     *     cannot be liquidated; 0 for a short whose account is already below maintenance at any price (so any
     *     mark liquidates it); {@code Long.MAX_VALUE} when the price is beyond the E8 range (a short that is never
     *     liquidated, a long that always is); 0 for a flat position; {@link Fixed#OVERFLOW} when the inputs'
     *     sums leave the {@code long} range.
     */
    public static long liquidationPriceE8(long walletBalanceE8, long otherMaintenanceE8, long otherUnrealizedPnlE8,
                                          long qtyE8, long costE8, Brackets brackets) {
        if (qtyE8 == 0) {
            return 0;
        }
        if (qtyE8 == Long.MIN_VALUE) {
            return Fixed.OVERFLOW;
        }
        final long equityE8 = equityWithoutPositionE8(walletBalanceE8, otherMaintenanceE8, otherUnrealizedPnlE8,
            qtyE8, costE8);
        if (equityE8 == Fixed.OVERFLOW) {
            return Fixed.OVERFLOW;
        }
        if (brackets.count() == 0) {
            return priceInTierE8(equityE8, qtyE8, 0, 0);
        }
        final int tier = tierAtLiquidation(equityE8, qtyE8, brackets);
        if (tier < 0) {
            return 0; // a long never liquidated, or a short liquidated at every price
        }
        final long priceE8 = priceInTierE8(equityE8, qtyE8, brackets.mmrE8(tier), brackets.cumE8(tier));
        if (qtyE8 > 0 || tier + 1 >= brackets.count() || priceE8 == Fixed.OVERFLOW) {
            return priceE8;
        }
        // A short whose root on its tier's line lies beyond the next floor: only possible where cum was rounded
        // down, which makes MM step up at that floor; the account is already below maintenance there.
        final long nextFloorPriceE8 = Fixed.mulDivFloor(brackets.floorE8(tier + 1), Fixed.E8, Math.abs(qtyE8));
        return nextFloorPriceE8 == Fixed.OVERFLOW ? priceE8 : Math.min(priceE8, nextFloorPriceE8);
    }

    /**
     * The tier whose MMR and {@code cum} {@link #liquidationPriceE8} uses: the tier the position's notional falls
     * in at its liquidation price. -1 when there is no such price (a long never liquidated, a short liquidated at
     * every price), or for a flat position, an empty table or overflowing inputs.
     *
     * <p>Binance's procedure computes the price with the tier of the current notional and, when the notional at
     * that price falls in another tier, recomputes with that tier, until it stops changing. The same fixed point
     * is found here directly and exactly. As a function of the notional N, the margin surplus
     * {@code equity - MM(N)} of a long rises (slope {@code 1 - MMR > 0}, MM being continuous) and that of a short
     * falls (slope {@code -(1 + MMR)}); so the root lies at or above {@code floor(k)} exactly when the surplus at
     * {@code floor(k)} is at most 0 for a long, at least 0 for a short. The highest tier for which that holds
     * contains the root. Every test is an exact comparison of two 128-bit products, with no intermediate price to
     * round, so no boundary case can oscillate. Binance's iteration, which converges whenever MM is continuous,
     * converges to this tier (the tests check it step by step).
     */
    public static int liquidationTier(long walletBalanceE8, long otherMaintenanceE8, long otherUnrealizedPnlE8,
                                      long qtyE8, long costE8, Brackets brackets) {
        if (qtyE8 == 0 || qtyE8 == Long.MIN_VALUE || brackets.count() == 0) {
            return -1;
        }
        final long equityE8 = equityWithoutPositionE8(walletBalanceE8, otherMaintenanceE8, otherUnrealizedPnlE8,
            qtyE8, costE8);
        return equityE8 == Fixed.OVERFLOW ? -1 : tierAtLiquidation(equityE8, qtyE8, brackets);
    }

    /**
     * The liquidation price formula for one given tier (MMR and {@code cum}), without tier re-selection; for a
     * venue with a single rate (Hyperliquid isolated positions: MMR = 1 / (2 * max leverage), cum = 0) and for
     * {@link #bankruptcyPriceE8}. Same parameters, rounding and special values as {@link #liquidationPriceE8};
     * {@link Fixed#OVERFLOW} also when {@code mmrE8} is outside {@code [0, 1)}.
     */
    public static long liquidationPriceInTierE8(long walletBalanceE8, long otherMaintenanceE8,
                                                long otherUnrealizedPnlE8, long qtyE8, long costE8,
                                                long mmrE8, long cumE8) {
        if (qtyE8 == 0) {
            return 0;
        }
        if (qtyE8 == Long.MIN_VALUE || mmrE8 < 0 || mmrE8 >= Fixed.E8) {
            return Fixed.OVERFLOW;
        }
        final long equityE8 = equityWithoutPositionE8(walletBalanceE8, otherMaintenanceE8, otherUnrealizedPnlE8,
            qtyE8, costE8);
        return equityE8 == Fixed.OVERFLOW ? Fixed.OVERFLOW : priceInTierE8(equityE8, qtyE8, mmrE8, cumE8);
    }

    /**
     * Bankruptcy price, E8: the price at which the position's isolated margin, or the cross account's margin
     * balance, reaches zero. Binance's liquidation formula with MMR = 0, cum = 0 and TMM1 = 0:
     * {@code (WB + UPNL1 - side * |q| * EP) / (-side * |q|)}.
     *
     * <p>Rounded like the liquidation price (up for a long, down for a short), so that closing the position at
     * the returned price never leaves the account below zero: the rounding, less than 1e-8 per unit of quantity,
     * stays with the account instead of becoming bad debt. Same special values as {@link #liquidationPriceE8}.
     *
     * @param walletBalanceE8      cross: the account's wallet balance; isolated: the position's isolated margin
     * @param otherUnrealizedPnlE8 unrealised PnL of the account's other cross positions; 0 isolated
     */
    public static long bankruptcyPriceE8(long walletBalanceE8, long otherUnrealizedPnlE8, long qtyE8, long costE8) {
        return liquidationPriceInTierE8(walletBalanceE8, 0, otherUnrealizedPnlE8, qtyE8, costE8, 0, 0);
    }

    /**
     * {@code WB - TMM1 + UPNL1 - side * cost}: the account's margin surplus with this position's notional taken
     * out; adding {@code side * notional(P) - MM(P)} gives the surplus at price P.
     */
    private static long equityWithoutPositionE8(long walletBalanceE8, long otherMaintenanceE8,
                                                long otherUnrealizedPnlE8, long qtyE8, long costE8) {
        if (walletBalanceE8 == Fixed.OVERFLOW || otherMaintenanceE8 == Fixed.OVERFLOW
            || otherUnrealizedPnlE8 == Fixed.OVERFLOW || costE8 == Fixed.OVERFLOW) {
            return Fixed.OVERFLOW; // a sentinel passed in stays a sentinel
        }
        long sumE8 = Fixed.add(walletBalanceE8, -otherMaintenanceE8);
        if (sumE8 != Fixed.OVERFLOW) {
            sumE8 = Fixed.add(sumE8, otherUnrealizedPnlE8);
        }
        if (sumE8 != Fixed.OVERFLOW) {
            sumE8 = Fixed.add(sumE8, qtyE8 > 0 ? -costE8 : costE8);
        }
        return sumE8;
    }

    /**
     * The tier at the liquidation notional (see {@link #liquidationTier}), or -1. With {@code E} the equity
     * without the position and {@code N} a notional, the surplus on tier k's line is
     * long: {@code E + cum + N * (1 - MMR)}; short: {@code E + cum - N * (1 + MMR)}. Scaled by 1e8 so every term
     * is an exact integer, the test "the root lies at or above floor(k)" is
     * long: {@code (E + cum) * 1e8 <= -floor * (1e8 - MMR)}; short: {@code (E + cum) * 1e8 >= floor * (1e8 + MMR)}.
     * Scanning from the top also settles the one case where the surplus is not monotonic, a long at a floor where
     * a rounded-down cum makes MM step up: the highest tier is the last notional at which it is liquidated.
     */
    private static int tierAtLiquidation(long equityE8, long qtyE8, Brackets brackets) {
        final boolean isLong = qtyE8 > 0;
        for (int tier = brackets.count() - 1; tier >= 0; tier--) {
            final long surplusAtZeroE8 = Fixed.add(equityE8, brackets.cumE8(tier));
            if (surplusAtZeroE8 == Fixed.OVERFLOW) {
                // cum >= 0, so this is a surplus beyond the long range: a long's root is below this floor, a
                // short's above it (and its price then reports the overflow)
                if (isLong) {
                    continue;
                }
                return tier;
            }
            final long floorE8 = brackets.floorE8(tier);
            final long mmrE8 = brackets.mmrE8(tier);
            final int rootAtOrAboveFloor = isLong
                ? -Int128.compareProducts(surplusAtZeroE8, Fixed.E8, -floorE8, Fixed.E8 - mmrE8)
                : Int128.compareProducts(surplusAtZeroE8, Fixed.E8, floorE8, Fixed.E8 + mmrE8);
            if (rootAtOrAboveFloor >= 0) {
                return tier;
            }
        }
        return -1;
    }

    /**
     * Root of one tier's line, {@code (E + cum) * 1e16 / (|q| * (MMR - side * 1e8))} in E8 units, by one exact
     * 128-bit division: long {@code ceil(-(E + cum) * 1e16 / (|q| * (1e8 - MMR)))}, short
     * {@code floor((E + cum) * 1e16 / (|q| * (1e8 + MMR)))}, clamped to {@code [0, Long.MAX_VALUE]}.
     */
    private static long priceInTierE8(long equityE8, long qtyE8, long mmrE8, long cumE8) {
        final long numeratorE8 = Fixed.add(equityE8, cumE8);
        if (numeratorE8 == Fixed.OVERFLOW) {
            return Fixed.OVERFLOW;
        }
        final long absQtyE8 = Math.abs(qtyE8);
        final long priceE8;
        if (qtyE8 > 0) {
            if (numeratorE8 >= 0) {
                return LONG_NEVER_LIQUIDATED;
            }
            priceE8 = Int128.multiplyDivideCeil(-numeratorE8, E16, absQtyE8, Fixed.E8 - mmrE8);
        } else {
            if (numeratorE8 <= 0) {
                return 0;
            }
            priceE8 = Int128.multiplyDivideFloor(numeratorE8, E16, absQtyE8, Fixed.E8 + mmrE8);
        }
        // the numerator is positive here, so OVERFLOW can only mean a quotient above the long range
        return priceE8 == Fixed.OVERFLOW ? Long.MAX_VALUE : priceE8;
    }
}
