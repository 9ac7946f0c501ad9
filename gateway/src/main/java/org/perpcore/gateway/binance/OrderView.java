package org.perpcore.gateway.binance;

import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;

/** An order as its ORDER events last described it. Owned by the output stage's thread. */
public final class OrderView {
    public final long orderId;
    public final int accountId;
    public final MarketView market;
    public String clientOrderId;
    public Side side;
    public OrderType type;
    public TimeInForce timeInForce;
    public StpMode stpMode;
    public boolean reduceOnly;
    public OrderStatus status;
    public long priceE8;
    public long origQtyE8;
    public long executedQtyE8;
    public long cumQuoteE8;
    public long timeMs;
    public long updateTimeMs;
    /** Price and quantity this order holds in the read model's book (0: none). */
    long bookPriceE8;
    long bookQtyE8;
    /** A conditional limit order rests in the book only once triggered. */
    boolean triggered;

    OrderView(long orderId, int accountId, MarketView market) {
        this.orderId = orderId;
        this.accountId = accountId;
        this.market = market;
    }

    public boolean isOpen() {
        return status == OrderStatus.NEW || status == OrderStatus.PARTIALLY_FILLED;
    }

    public long avgPriceE8() {
        return executedQtyE8 == 0 ? 0 : org.perpcore.core.num.Fixed.mulDivFloor(cumQuoteE8, org.perpcore.core.num.Fixed.E8,
            executedQtyE8);
    }

    /** Binance shows liquidation and ADL fills as LIQUIDATION orders; the client id tells which. */
    public String binanceType() {
        return type == OrderType.ADL ? "LIQUIDATION" : type == null ? "LIMIT" : type.name();
    }
}
