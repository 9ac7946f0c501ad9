package org.perpcore.core.model;

/**
 * The settable parameters of a market ({@code market} command). Decimal values are E8; durations are
 * milliseconds; {@link #STP} is a {@link StpMode} code. Indexes are stable: they are written into journals.
 * A parameter left out of a {@code market} command keeps its current value (or its default for a new market).
 */
public enum MarketParam {
    TICK("tick"),
    STEP("step"),
    MIN_QTY("minQty"),
    MAX_QTY("maxQty"),
    MAX_PRICE("maxPrice"),
    MIN_NOTIONAL("minNotional"),
    MAKER_FEE("makerFee"),
    TAKER_FEE("takerFee"),
    /** Limit prices must lie within mark (or last price) x (1 +/- band); 0 switches the check off. */
    PRICE_BAND("priceBand"),
    /** Market orders never fill further than reference x (1 +/- band) from the reference price. */
    MARKET_BAND("marketBand"),
    STP("stp"),
    MAX_OPEN_ORDERS("maxOpenOrders"),
    MAX_LEVERAGE("maxLeverage"),
    LIQUIDATION_FEE("liquidationFee"),
    FUNDING_INTERVAL("fundingInterval"),
    /** Cap on the absolute funding rate per interval (E8). */
    FUNDING_CAP("fundingCap"),
    /** Interest rate per 8 hours in the funding formula (E8; Binance 0.01 %). */
    INTEREST_RATE("interestRate");

    public static final int COUNT = values().length;
    private static final MarketParam[] BY_INDEX = values();

    private final String key;

    MarketParam(String key) {
        this.key = key;
    }

    /** The scenario keyword ({@code key=value}). */
    public String key() {
        return key;
    }

    public int bit() {
        return 1 << ordinal();
    }

    public static MarketParam fromIndex(int index) {
        return index >= 0 && index < COUNT ? BY_INDEX[index] : null;
    }

    public static MarketParam fromKey(String key) {
        for (MarketParam p : BY_INDEX) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        return null;
    }
}
