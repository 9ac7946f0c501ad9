package org.perpcore.core.command;

import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.model.WorkingType;

/**
 * One engine command, also the ring-buffer slot that carries it through the pipeline: mutable, preallocated and
 * reused. Ingress fills the input fields; the sequencing stage stamps {@link #seq}; the engine appends its output
 * events to {@link #events()}. Decimal inputs are E8 ({@link org.perpcore.core.num.Fixed}); the engine converts
 * them to the market's ticks and lots and rejects what does not fit.
 *
 * <p>Fields are public for the codecs and translators that fill them in one place; everything else should treat a
 * command it did not create as read only.
 */
public final class Command {
    /** Marks an absent decimal input. */
    public static final long ABSENT = Long.MIN_VALUE;

    public long seq;
    public long timestampMs;
    public CommandType type;

    public final Name account = new Name();
    public final Name symbol = new Name();
    /** New client order id (place), or the client order id to act on (cancel, amend, query). */
    public final Name clientId = new Name();
    /** Order id to act on (cancel, amend, query) when no client id is given; 0 when absent. */
    public long orderId;

    public Side side;
    /**
     * PLACE_ORDER: the order's type. CANCEL_ORDER and CANCEL_ALL: null for any open order; set (to any conditional
     * type) to act only on conditional orders waiting for their trigger (Binance's algo-order cancels).
     */
    public OrderType orderType;
    public TimeInForce timeInForce;
    /** Null: the market's default. */
    public StpMode stpMode;
    public boolean reduceOnly;

    public long priceE8 = ABSENT;
    public long qtyE8 = ABSENT;
    public long amountE8 = ABSENT;

    /** Conditional orders: the stop (trigger) price, E8 (STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET). */
    public long stopPriceE8 = ABSENT;
    /** TRAILING_STOP_MARKET: the callback rate in percent, E8 (1 % = 100_000_000), and the activation price, E8. */
    public long callbackRateE8 = ABSENT;
    public long activationPriceE8 = ABSENT;
    /** The price a conditional order watches; null: the default (CONTRACT_PRICE). */
    public WorkingType workingType;
    /** STOP_MARKET / TAKE_PROFIT_MARKET: close the whole position when triggered (no quantity). */
    public boolean closePosition;
    /** Conditional orders: do not fire while mark and last price differ by more than the market's triggerProtect. */
    public boolean priceProtect;

    /** LEVERAGE: the leverage; BRACKET: the tier's max leverage. */
    public int leverage;
    /** MARGIN_TYPE: true for isolated, false for cross. */
    public boolean isolated;
    /** BRACKET: the tier's floor notional and maintenance margin rate, E8. */
    public long floorE8;
    public long mmrE8;

    /** Values of {@link MarketParam}s present in a MARKET command, by ordinal; see {@link #paramMask}. */
    public final long[] params = new long[MarketParam.COUNT];
    public int paramMask;

    /** Ingress time from a monotonic clock, for latency measurement only: never journaled, never read by the engine. */
    public long ingressNanos;

    /**
     * Lets a front door (the gateway) match the engine's events for this command to the request that sent it:
     * never journaled, never read by the engine; 0 when nobody waits for the answer.
     */
    public long correlationId;

    private final EventBuffer events = new EventBuffer();

    /** Output events of the engine for this command. */
    public EventBuffer events() {
        return events;
    }

    public boolean has(MarketParam p) {
        return (paramMask & p.bit()) != 0;
    }

    public long param(MarketParam p) {
        return params[p.ordinal()];
    }

    public Command param(MarketParam p, long value) {
        params[p.ordinal()] = value;
        paramMask |= p.bit();
        return this;
    }

    /** Resets every input field and the output events. */
    public Command clear() {
        seq = 0;
        timestampMs = 0;
        type = null;
        account.clear();
        symbol.clear();
        clientId.clear();
        orderId = 0;
        side = null;
        orderType = null;
        timeInForce = null;
        stpMode = null;
        reduceOnly = false;
        priceE8 = ABSENT;
        qtyE8 = ABSENT;
        amountE8 = ABSENT;
        stopPriceE8 = ABSENT;
        callbackRateE8 = ABSENT;
        activationPriceE8 = ABSENT;
        workingType = null;
        closePosition = false;
        priceProtect = false;
        leverage = 0;
        isolated = false;
        floorE8 = 0;
        mmrE8 = 0;
        paramMask = 0;
        ingressNanos = 0;
        correlationId = 0;
        events.clear();
        return this;
    }

    /** Copies every input field of {@code src} (not its events); the output events are cleared. */
    public void copyFrom(Command src) {
        seq = src.seq;
        timestampMs = src.timestampMs;
        type = src.type;
        account.set(src.account);
        symbol.set(src.symbol);
        clientId.set(src.clientId);
        orderId = src.orderId;
        side = src.side;
        orderType = src.orderType;
        timeInForce = src.timeInForce;
        stpMode = src.stpMode;
        reduceOnly = src.reduceOnly;
        priceE8 = src.priceE8;
        qtyE8 = src.qtyE8;
        amountE8 = src.amountE8;
        stopPriceE8 = src.stopPriceE8;
        callbackRateE8 = src.callbackRateE8;
        activationPriceE8 = src.activationPriceE8;
        workingType = src.workingType;
        closePosition = src.closePosition;
        priceProtect = src.priceProtect;
        leverage = src.leverage;
        isolated = src.isolated;
        floorE8 = src.floorE8;
        mmrE8 = src.mmrE8;
        paramMask = src.paramMask;
        System.arraycopy(src.params, 0, params, 0, params.length);
        ingressNanos = src.ingressNanos;
        correlationId = src.correlationId;
        events.clear();
    }
}
