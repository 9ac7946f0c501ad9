package org.perpcore.core.engine;

/**
 * An account's position and settings in one market (Binance one-way mode): signed size, entry notional, leverage,
 * margin mode, isolated margin, and what its open orders commit. Created on first use and kept (settings survive a
 * flat position).
 *
 * <p>Money is E8; the size is in the market's lots. {@code costE8} is the entry notional {@code |size| x entry}
 * tracked exactly: a reduce removes {@code ceil(cost x closed / size)} (a long's realised PnL never overstated; the
 * rest of the cost stays with the remaining position, so a full round trip realises exactly sells minus buys).
 */
public final class Position {
    /** Binance's default leverage for a new symbol. */
    static final int DEFAULT_LEVERAGE = 20;

    final Account account;
    final Market market;

    long sizeLots;
    long costE8;
    int leverage = DEFAULT_LEVERAGE;
    boolean isolated;
    long isolatedMarginE8;
    long realizedPnlE8;

    /** Open (resting) orders of this account in this market: remaining lots and notional at their prices. */
    long buyOrderLots;
    long buyOrderNotionalE8;
    long sellOrderLots;
    long sellOrderNotionalE8;
    int reduceOnlyOrders;
    /** Resting orders of this account in this market (the max-open-orders rule counts them). */
    int openOrderCount;

    /** Liquidation price as displayed (E8, 0 none); the trigger index key may sit closer to the mark. */
    long liquidationPriceE8;
    long triggerE8;
    /** The trigger index holding this position (null: none) and its place in it. */
    TriggerIndex heap;
    int heapSlot = -1;
    /** Place in the market's list of positions, or -1 when flat. */
    int listSlot = -1;
    /** Place in the market's list of multi-market cross accounts, or -1. */
    int multiCrossSlot = -1;
    /** Seen below maintenance (isolated positions; a cross account's flag is on the account). */
    boolean marginCalled;
    /** Isolated scope: when its next liquidation slice is due (0: none pending). */
    long nextSliceMs;
    /** A margin call raised in this command, not yet emitted. */
    boolean marginCallPending;
    /** Cached figures at the valuation price ({@link RiskEngine}); valid for the recorded inputs only. */
    long vPriceE8 = -1;
    long vSizeLots;
    long vCostE8;
    int vTiersVersion;
    long vNotionalE8;
    long vUpnlE8;
    /** The maintenance margin at {@code vPriceE8} and {@code vTiersVersion}, when known (computed on demand). */
    long vMaintE8;
    boolean vMaintKnown;

    /** Changed by the current command: reported at its end. */
    boolean dirty;

    Position(Account account, Market market) {
        this.account = account;
        this.market = market;
    }

    public long sizeLots() {
        return sizeLots;
    }

    public long costE8() {
        return costE8;
    }

    public int leverage() {
        return leverage;
    }

    public boolean isolated() {
        return isolated;
    }

    public long isolatedMarginE8() {
        return isolatedMarginE8;
    }

    public long liquidationPriceE8() {
        return liquidationPriceE8;
    }

    public Account account() {
        return account;
    }

    public Market market() {
        return market;
    }

    public long nextSliceMs() {
        return nextSliceMs;
    }

    public long realizedPnlE8() {
        return realizedPnlE8;
    }

    /** Signed size in base units, E8. */
    public long qtyE8() {
        return sizeLots * market.stepE8;
    }

    boolean hasOpenOrders() {
        return buyOrderLots != 0 || sellOrderLots != 0;
    }
}
