package org.perpcore.gateway.binance;

import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.model.WorkingType;

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
    /** A conditional order that fired: from then on it trades as the LIMIT or MARKET order it became. */
    boolean triggered;

    // conditional orders (STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET, TRAILING_STOP_MARKET) only
    public boolean conditional;
    public WorkingType workingType;
    public boolean closePosition;
    public boolean priceProtect;
    public long stopPriceE8;
    /** Trailing stops: the activation price (0: none given) and the callback rate in percent, E8. */
    public long activationPriceE8;
    public long callbackRateE8;
    /** When it fired (0: not yet). */
    public long triggerTimeMs;
    /** Why the order it became was refused when it fired (null: it was not). */
    public String rejectMsg;

    /** The algo status last reported by {@link #algoStatusChanged()}. */
    private String reportedAlgoStatus;

    OrderView(long orderId, int accountId, MarketView market) {
        this.orderId = orderId;
        this.accountId = accountId;
        this.market = market;
    }

    public boolean isOpen() {
        return status == OrderStatus.NEW || status == OrderStatus.PARTIALLY_FILLED
            || status == OrderStatus.TRIGGERED;
    }

    public boolean isTriggered() {
        return triggered;
    }

    /** A conditional order still waiting for its trigger. */
    public boolean isWaiting() {
        return conditional && !triggered && status == OrderStatus.NEW;
    }

    public long avgPriceE8() {
        return executedQtyE8 == 0 ? 0 : org.perpcore.core.num.Fixed.mulDivFloor(cumQuoteE8, org.perpcore.core.num.Fixed.E8,
            executedQtyE8);
    }

    /** Binance shows liquidation and ADL fills as LIQUIDATION orders; the client id tells which. */
    public String origType() {
        return type == OrderType.ADL ? "LIQUIDATION" : type == null ? "LIMIT" : type.name();
    }

    /**
     * The type Binance shows now: a conditional order once fired shows as the order it became (LIMIT for STOP and
     * TAKE_PROFIT, MARKET for the others), its {@link #origType()} still the conditional type.
     */
    public String binanceType() {
        if (conditional && triggered) {
            return type == OrderType.STOP || type == OrderType.TAKE_PROFIT ? "LIMIT" : "MARKET";
        }
        return origType();
    }

    /**
     * Binance's order status: the engine's TRIGGERED (a fired order that now rests or trades) is NEW, the status of
     * the order it became; Binance's futures orders have no TRIGGERED status.
     */
    public String binanceStatus() {
        return status == OrderStatus.TRIGGERED ? "NEW" : status.name();
    }

    /**
     * The status of the order as Binance's algo service shows it: NEW while waiting, CANCELED or EXPIRED when it ends
     * while waiting, TRIGGERED once fired and placed, FINISHED when the order it became is done, REJECTED when that
     * order was refused.
     */
    public String algoStatus() {
        if (!triggered) {
            return status == OrderStatus.NEW ? "NEW" : status.name();
        }
        if (rejectMsg != null) {
            return "REJECTED";
        }
        return isOpen() ? "TRIGGERED" : "FINISHED";
    }

    /** True, once, each time a conditional order's {@link #algoStatus()} differs from what it last was. */
    public boolean algoStatusChanged() {
        if (!conditional) {
            return false;
        }
        final String now = algoStatus();
        if (now.equals(reportedAlgoStatus)) {
            return false;
        }
        reportedAlgoStatus = now;
        return true;
    }
}
