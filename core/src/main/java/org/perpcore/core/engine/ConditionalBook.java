package org.perpcore.core.engine;

import org.perpcore.core.trigger.PriceTriggers;

/**
 * One market's waiting conditional orders ({@link ConditionalOrders}) and the price ranges they have not been
 * checked against yet.
 *
 * <p>Ranges: every trade of the market (its price in ticks) and every new mark (E8) widens the range since the last
 * evaluation, so an evaluation sees every price a command (or a triggered order, or a liquidation pass) went through,
 * not only where it ended: a sweep down and back up still fires the stops it crossed. An evaluation resets them
 * ({@link #NO_LOW} / {@link #NO_HIGH}: no price since); between commands they are always reset, so they are not state.
 */
final class ConditionalBook {
    static final long NO_LOW = Long.MAX_VALUE;
    static final long NO_HIGH = Long.MIN_VALUE;

    long tradeLowTicks = NO_LOW;
    long tradeHighTicks = NO_HIGH;
    long markLowE8 = NO_LOW;
    long markHighE8 = NO_HIGH;

    /** Orders watching the last trade price / the mark; null until the market's first such order. */
    PriceTriggers contract;
    PriceTriggers mark;
    /** Waiting orders of this market (in both structures). */
    int waiting;

    /** A trade at {@code priceTicks} (the hook in matching). */
    void onTrade(long priceTicks) {
        if (priceTicks < tradeLowTicks) {
            tradeLowTicks = priceTicks;
        }
        if (priceTicks > tradeHighTicks) {
            tradeHighTicks = priceTicks;
        }
    }

    /** A new mark price (the hook where the engine sets it). */
    void onMark(long markE8) {
        if (markE8 < markLowE8) {
            markLowE8 = markE8;
        }
        if (markE8 > markHighE8) {
            markHighE8 = markE8;
        }
    }

    boolean traded() {
        return tradeLowTicks != NO_LOW;
    }

    boolean markMoved() {
        return markLowE8 != NO_LOW;
    }

    void resetRanges() {
        tradeLowTicks = NO_LOW;
        tradeHighTicks = NO_HIGH;
        markLowE8 = NO_LOW;
        markHighE8 = NO_HIGH;
    }
}
