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
    INTEREST_RATE("interestRate"),
    /** 1: the market's liquidations use the shared insurance fund; 0: its own (default). */
    INSURANCE_SHARED("insuranceShared"),
    /** Largest net position (notional at the mark, E8) the insurance fund takes over; 0: it never does. */
    INSURANCE_CAP("insuranceCap"),
    /** The fund's equity may not fall below this (E8) by covering a liquidation; below it, auto-deleverage. */
    INSURANCE_FLOOR("insuranceFloor"),
    /** Positions above this notional (E8) are liquidated in slices; 0: never. */
    SLICE_NOTIONAL("sliceNotional"),
    /** Share of the position one slice closes (E8). */
    SLICE_FRACTION("sliceFraction"),
    /** Time between slices (ms). */
    SLICE_INTERVAL("sliceInterval"),
    /** Circuit breaker: a mark move larger than this fraction (E8) within the window halts the market; 0: off. */
    HALT_MOVE("haltMove"),
    HALT_WINDOW("haltWindow"),
    /** How long a halt lasts (ms). */
    HALT_FOR("haltFor"),
    /** How often the ADL quantiles of positions are recomputed (ms of command time). */
    ADL_REFRESH("adlRefresh"),
    /** Largest position (notional at the mark, E8) an account may hold, whatever its leverage; 0: no limit. */
    MAX_POSITION("maxPosition"),
    /**
     * Binance's {@code triggerProtect}: a conditional order with priceProtect does not fire while the mark and the
     * last price differ by more than this fraction of the mark (E8).
     */
    TRIGGER_PROTECT("triggerProtect");

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
