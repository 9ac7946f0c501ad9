package org.perpcore.core.engine;

import org.perpcore.core.book.LevelStore;
import org.perpcore.core.book.OrderBook;
import org.perpcore.core.book.OrderStore;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.num.Fixed;

/**
 * A perpetual market: its specification (from {@link MarketParam}s), its book and its running figures.
 * Derived fields are recomputed whenever the specification changes.
 */
public final class Market {
    private final int id;
    private final byte[] symbol;
    private final long[] params = new long[MarketParam.COUNT];
    private final OrderBook book;

    long tickE8;
    long stepE8;
    /** Money value of one lot moving one tick: tick x step, in E8. Notional E8 = priceTicks x lots x this. */
    long lotTickValueE8;
    long minQtyLots;
    long maxQtyLots;
    long maxPriceTicks;
    long minNotionalE8;
    long makerFeeE8;
    long takerFeeE8;
    long priceBandE8;
    long marketBandE8;
    StpMode stpMode;
    int maxOpenOrders;
    int priceDecimals;
    int qtyDecimals;

    long lastPriceTicks;
    /** Mark price in ticks; 0 until a mark is known. */
    long markPriceTicks;
    long feesCollectedE8;

    Market(int id, byte[] symbol, OrderStore orders, LevelStore levels) {
        this.id = id;
        this.symbol = symbol;
        this.book = new OrderBook(orders, levels);
    }

    /** Installs validated parameters (see {@link MarketSpecs#validate}). */
    void apply(long[] newParams) {
        System.arraycopy(newParams, 0, params, 0, params.length);
        tickE8 = params[MarketParam.TICK.ordinal()];
        stepE8 = params[MarketParam.STEP.ordinal()];
        lotTickValueE8 = tickE8 * stepE8 / Fixed.E8;
        minQtyLots = params[MarketParam.MIN_QTY.ordinal()] / stepE8;
        maxQtyLots = params[MarketParam.MAX_QTY.ordinal()] / stepE8;
        maxPriceTicks = params[MarketParam.MAX_PRICE.ordinal()] / tickE8;
        minNotionalE8 = params[MarketParam.MIN_NOTIONAL.ordinal()];
        makerFeeE8 = params[MarketParam.MAKER_FEE.ordinal()];
        takerFeeE8 = params[MarketParam.TAKER_FEE.ordinal()];
        priceBandE8 = params[MarketParam.PRICE_BAND.ordinal()];
        marketBandE8 = params[MarketParam.MARKET_BAND.ordinal()];
        stpMode = StpMode.fromCode((int) params[MarketParam.STP.ordinal()]);
        maxOpenOrders = (int) params[MarketParam.MAX_OPEN_ORDERS.ordinal()];
        priceDecimals = Fixed.decimalsOf(tickE8);
        qtyDecimals = Fixed.decimalsOf(stepE8);
    }

    /** True once the market has resting orders, a trade or a mark: prices kept in ticks exist. */
    boolean hasPriceHistory() {
        return book.orderCount() > 0 || lastPriceTicks != 0 || markPriceTicks != 0;
    }

    public int id() {
        return id;
    }

    /** The symbol's bytes. Read only. */
    public byte[] symbol() {
        return symbol;
    }

    public String symbolString() {
        return new String(symbol, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A parameter's current value (E8 for decimals, ms for durations, plain integers for counts and codes). */
    public long param(MarketParam p) {
        return params[p.ordinal()];
    }

    long[] params() {
        return params;
    }

    public OrderBook book() {
        return book;
    }

    public long tickE8() {
        return tickE8;
    }

    public long stepE8() {
        return stepE8;
    }

    public int priceDecimals() {
        return priceDecimals;
    }

    public int qtyDecimals() {
        return qtyDecimals;
    }

    public long lastPriceTicks() {
        return lastPriceTicks;
    }

    public long feesCollectedE8() {
        return feesCollectedE8;
    }

    /** Ticks to E8 (exact: prices within the market's max price fit). */
    public long priceE8(long ticks) {
        return ticks * tickE8;
    }

    /** Lots to E8 (exact: quantities within the market's max quantity fit). */
    public long qtyE8(long lots) {
        return lots * stepE8;
    }
}
