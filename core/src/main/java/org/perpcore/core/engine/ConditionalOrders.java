package org.perpcore.core.engine;

import java.util.Arrays;
import org.perpcore.core.book.ClientIdIndex;
import org.perpcore.core.book.OrderStore;
import org.perpcore.core.command.Command;
import org.perpcore.core.command.Name;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.model.WorkingType;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.trigger.FireBatch;
import org.perpcore.core.trigger.HandleLinks;
import org.perpcore.core.trigger.PriceQueue;
import org.perpcore.core.trigger.PriceTriggers;
import org.perpcore.core.trigger.TrailingBook;

/**
 * Conditional orders, as Binance USDⓈ-M defines them: STOP and TAKE_PROFIT (a limit order once triggered),
 * STOP_MARKET and TAKE_PROFIT_MARKET (a market order), TRAILING_STOP_MARKET (a market order when the price comes back
 * by its callback rate from its best since activation), watching the last trade price (CONTRACT_PRICE) or the mark
 * (MARK_PRICE), with reduceOnly, closePosition and priceProtect. Runs on the engine thread, inside the commands that
 * place, cancel and trigger them.
 *
 * <p><b>Triggers</b> (Binance): STOP buy when the price is at or above the stop price, sell at or below; TAKE_PROFIT
 * the other way round; a trailing sell once the highest price since placement has reached its activation price, when
 * the price falls to that high x (1 - rate), a trailing buy mirrored. An order that would trigger at once is refused
 * (-2021), as is a trailing stop whose activation price is already reached.
 *
 * <p><b>When</b>: every command that moves a price (its trades, an index tick, a forced mark, time-driven mark moves,
 * the fills of triggered orders, liquidation fills) widens the market's price range since the last evaluation
 * ({@link ConditionalBook}); an evaluation ({@link #run}) fires every waiting order that range crossed, in rounds:
 * each round collects every order due at the ranges as they stand, then places them one after the other; their fills
 * widen the ranges again and the next round collects what they crossed. Every round fires at least one order and an
 * order fires once, so the loop ends after at most as many rounds as orders were waiting. Evaluations run after the
 * time-driven work at the start of a command, after the command itself and its mark update (before its margin checks),
 * and after every liquidation pass (before the margin checks that flag the next pass), so liquidations fire stops and
 * stops can cause liquidations within one command.
 *
 * <p><b>Order</b> within a round: markets by id; within a market, orders watching the last price, then those watching
 * the mark; within each, first those a falling price fires (sell stops, buy take-profits, sell trailing stops) from
 * the highest trigger price down, then those a rising price fires from the lowest up; equal trigger prices by order id
 * (the time of placement).
 *
 * <p><b>Once triggered</b> an order emits ORDER {@code TRIGGERED} (with the trigger price that fired it) and becomes
 * the order of its kind, keeping its order id, client id and type, validated as a new order would be (margin, price
 * band, reduce-only cut to the position, closePosition sized to the whole position): when refused it ends
 * {@code REJECTED} with the reason (or {@code EXPIRED}, reason REDUCE_ONLY, when it has nothing left to reduce).
 *
 * <p><b>While waiting</b> an order reserves no margin (Binance), counts among its account's open orders (the market's
 * maxOpenOrders), is found by its order id and client id, is cancelled by cancel and cancel-all and by the liquidation
 * of its account, cannot be amended (only LIMIT orders can, -5025), and, when reduce-only or closePosition, expires
 * when its position closes or turns to its side.
 *
 * <p><b>Cost</b>: a price move costs O(1) per order it fires (plus a few cache-resident steps) and O(1) for the orders
 * it does not reach, whatever their number (B+ trees of primitives per market, working price and direction, in firing
 * order: {@link PriceQueue}); active trailing stops are grouped by callback rate, each group a stack of levels by
 * extreme ({@link TrailingBook}), so a new high costs O(rates in use) rather than O(trailing stops). Placing and
 * cancelling cost O(log n) (32-way). Nothing allocates in steady state.
 *
 * <p><b>State</b> (for snapshots), per waiting order: its record in the order store (flag
 * {@link OrderStore#FLAG_CONDITIONAL}; registered as an open order of its account and in the client-id index), plus
 * here, by handle: {@link #stopE8} (stop price), {@link #activationE8} (trailing activation price, 0 none),
 * {@link #rateE8} (trailing callback rate), {@link #kind} (working type, closePosition, priceProtect), {@link #where}
 * (which structure holds it: a stop queue, an activation queue, a trailing book, or held by priceProtect) and, for an
 * active trailing stop, its extreme ({@link TrailingBook#extreme}). The structures are a pure function of those:
 * rebuilt by adding each order to its structure (trailing stops with their extreme). Triggered orders resting in a
 * book keep their stop fields here for their events. Per position, {@link Position#conditionalOrders} and
 * {@link Position#conditionalReduceOnly} count them. The markets' price ranges are empty between commands.
 */
final class ConditionalOrders {
    static final byte NOWHERE = 0;
    static final byte FALLING = 1;
    static final byte RISING = 2;
    static final byte SELL_ACTIVATION = 3;
    static final byte BUY_ACTIVATION = 4;
    static final byte SELL_TRAILING = 5;
    static final byte BUY_TRAILING = 6;
    static final byte HELD = 7;

    static final int KIND_MARK = 1;
    static final int KIND_CLOSE_POSITION = 2;
    static final int KIND_PRICE_PROTECT = 4;

    private static final byte STOP = OrderType.STOP.code();
    private static final byte STOP_MARKET = OrderType.STOP_MARKET.code();
    private static final byte TAKE_PROFIT = OrderType.TAKE_PROFIT.code();
    private static final byte TAKE_PROFIT_MARKET = OrderType.TAKE_PROFIT_MARKET.code();
    private static final byte TRAILING = OrderType.TRAILING_STOP_MARKET.code();
    private static final byte LIMIT = OrderType.LIMIT.code();
    private static final byte MARKET = OrderType.MARKET.code();
    private static final byte BUY = Side.BUY.code();

    private final Engine engine;
    private final Matcher matcher;
    private final OrderStore orders;
    private final HandleLinks links;

    // by order handle; valid while the handle holds a conditional order (waiting, or triggered and resting)
    long[] stopE8;
    long[] activationE8;
    long[] rateE8;
    byte[] kind;
    byte[] where;

    private int waiting;
    private final FireBatch batch = new FireBatch();
    private final Command scratch = new Command();

    ConditionalOrders(Engine engine, Matcher matcher, int expectedOrders) {
        this.engine = engine;
        this.matcher = matcher;
        this.orders = matcher.orders;
        final int n = Math.max(16, expectedOrders);
        this.links = new HandleLinks(n);
        stopE8 = new long[n];
        activationE8 = new long[n];
        rateE8 = new long[n];
        kind = new byte[n];
        where = new byte[n];
    }

    // ------------------------------------------------------------------------------------------ types

    static boolean isConditional(OrderType t) {
        return t == OrderType.STOP || t == OrderType.STOP_MARKET || t == OrderType.TAKE_PROFIT
            || t == OrderType.TAKE_PROFIT_MARKET || t == OrderType.TRAILING_STOP_MARKET;
    }

    static boolean isConditional(byte type) {
        return type >= STOP && type <= TRAILING;
    }

    /** Types that trade as a limit order: LIMIT, and STOP / TAKE_PROFIT once triggered. */
    static boolean limitPriced(byte type) {
        return type == LIMIT || type == STOP || type == TAKE_PROFIT;
    }

    /** Types that trade as a market order: MARKET, and the MARKET conditional types once triggered. */
    static boolean marketPriced(byte type) {
        return type == MARKET || type == STOP_MARKET || type == TAKE_PROFIT_MARKET || type == TRAILING;
    }

    /** STOP sells and TAKE_PROFIT buys fire on a falling price; the others on a rising one (trailing: see book). */
    private static boolean firesFalling(byte type, boolean buy) {
        return (type == STOP || type == STOP_MARKET) != buy;
    }

    /** Waiting orders, all markets. */
    int waiting() {
        return waiting;
    }

    // ------------------------------------------------------------------------------------------ placing

    private long vStopE8;
    private long vActivationE8;
    private long vLots;
    private long vPriceTicks;

    /** Places a conditional order: validation (nothing changes if it fails), then NEW, waiting for its trigger. */
    void place(Command c, Account a, Market m, EventBuffer out) {
        final RejectCode r = validate(c, a, m);
        if (r != RejectCode.NONE) {
            reject(c, a, m, r, out);
            return;
        }
        final int h = orders.allocate();
        ensure(h);
        final long id = matcher.nextOrderId++;
        final byte type = c.orderType.code();
        final boolean close = c.closePosition;
        orders.orderId(h, id);
        orders.account(h, a.id());
        orders.market(h, m.id());
        orders.side(h, c.side.code());
        orders.type(h, type);
        orders.tif(h, limitPriced(type) ? (c.timeInForce != null ? c.timeInForce : TimeInForce.GTC).code() : 0);
        orders.stp(h, (c.stpMode != null ? c.stpMode : m.stpMode).code());
        orders.price(h, vPriceTicks);
        orders.origLots(h, vLots);
        orders.time(h, engine.nowMs());
        orders.flags(h, (c.reduceOnly || close ? OrderStore.FLAG_REDUCE_ONLY : 0) | OrderStore.FLAG_CONDITIONAL);
        if (!c.clientId.isEmpty()) {
            orders.clientId(h, c.clientId);
            matcher.clientIds.add(ClientIdIndex.keyHash(a.id(), m.id(), c.clientId), h);
        }
        matcher.register(h, m);
        stopE8[h] = vStopE8;
        activationE8[h] = vActivationE8;
        rateE8[h] = type == TRAILING ? c.callbackRateE8 : 0;
        kind[h] = (byte) ((c.workingType == WorkingType.MARK_PRICE ? KIND_MARK : 0)
            | (close ? KIND_CLOSE_POSITION : 0) | (c.priceProtect ? KIND_PRICE_PROTECT : 0));
        links.tie(h, id);
        index(h, m);
        waiting++;
        m.conditionals.waiting++;
        final Position p = RiskEngine.position(a, m);
        p.conditionalOrders++;
        if (c.reduceOnly || close) {
            p.conditionalReduceOnly++;
        }
        emit(h, m, OrderStatus.NEW, ExecType.NEW, ExpireReason.NONE, RejectCode.NONE, 0, out);
    }

    /**
     * Checks a new conditional order against Binance's rules: the parameters its type takes (-1102 missing, -1106
     * not for this type, -4137 a quantity with closePosition), the stop price (-4006, -4007, -4014), the limit price
     * within the stop price x (1 +/- priceBand) (-4183, -4184), the callback rate (0.1 % to 10 % in steps of 0.01 %,
     * else -1130), the activation price (-4135), reduce-only and closePosition only against a position (-2022), the
     * open-order limit (-2025), and that it would not trigger at once (-2021). No margin check: a waiting order
     * reserves none; it is checked as a new order when it fires.
     */
    private RejectCode validate(Command c, Account a, Market m) {
        final byte type = c.orderType.code();
        final boolean trailing = type == TRAILING;
        final boolean limit = limitPriced(type);
        final boolean buy = c.side == Side.BUY;
        if (trailing ? c.stopPriceE8 != Command.ABSENT || c.priceProtect
            : c.callbackRateE8 != Command.ABSENT || c.activationPriceE8 != Command.ABSENT) {
            return RejectCode.PARAM_NOT_REQUIRED;
        }
        if (!limit && (c.priceE8 != Command.ABSENT || c.timeInForce != null)) {
            return RejectCode.PARAM_NOT_REQUIRED;
        }
        final boolean close = c.closePosition;
        if (close) {
            // Binance: closePosition with STOP_MARKET / TAKE_PROFIT_MARKET only, never with reduceOnly or a quantity
            if (limit || trailing || c.reduceOnly) {
                return RejectCode.PARAM_NOT_REQUIRED;
            }
            if (c.qtyE8 != Command.ABSENT) {
                return RejectCode.QUANTITY_EXISTS_WITH_CLOSE_POSITION;
            }
        }
        final boolean reduces = c.reduceOnly || close;
        if (m.haltedUntilMs > engine.nowMs() && !reduces) {
            return RejectCode.MARKET_HALTED;
        }
        final RejectCode cid = matcher.checkNewClientId(c.clientId, a, m);
        if (cid != RejectCode.NONE) {
            return cid;
        }
        long lots = 0;
        if (!close) {
            final RejectCode q = Matcher.checkQty(c.qtyE8, m);
            if (q != RejectCode.NONE) {
                return q;
            }
            lots = c.qtyE8 / m.stepE8;
        }
        long stopTicks = 0;
        long activation = 0;
        if (!trailing) {
            final long stop = c.stopPriceE8;
            if (stop == Command.ABSENT) {
                return RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED;
            }
            if (stop <= 0) {
                return RejectCode.STOP_PRICE_LESS_THAN_ZERO;
            }
            if (stop % m.tickE8 != 0) {
                return RejectCode.PRICE_NOT_INCREASED_BY_TICK_SIZE;
            }
            if (stop / m.tickE8 > m.maxPriceTicks) {
                return RejectCode.STOP_PRICE_GREATER_THAN_MAX_PRICE;
            }
            stopTicks = stop / m.tickE8;
        } else {
            if (c.callbackRateE8 == Command.ABSENT) {
                return RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED;
            }
            if (!TrailingBook.validRate(c.callbackRateE8)) {
                return RejectCode.INVALID_PARAMETER;
            }
            activation = c.activationPriceE8 == Command.ABSENT ? 0 : c.activationPriceE8;
            if (c.activationPriceE8 != Command.ABSENT && (activation <= 0 || activation % m.tickE8 != 0
                || activation / m.tickE8 > m.maxPriceTicks)) {
                return RejectCode.INVALID_ACTIVATION_PRICE;
            }
        }
        long priceTicks = 0;
        if (limit) {
            final RejectCode p = Matcher.checkPrice(c.priceE8, m);
            if (p != RejectCode.NONE) {
                return p;
            }
            priceTicks = c.priceE8 / m.tickE8;
            final RejectCode band = checkStopBand(buy, priceTicks, stopTicks, m);
            if (band != RejectCode.NONE) {
                return band;
            }
        }
        final long working = workingPriceE8(m, c.workingType == WorkingType.MARK_PRICE);
        // the notional at the price it is expected to trade at must fit the money range and the market minimum
        final long refTicks = limit ? priceTicks : !trailing ? stopTicks
            : activation > 0 ? activation / m.tickE8 : working / m.tickE8;
        if (!close && refTicks > 0) {
            final RejectCode n = Matcher.checkNotional(refTicks, refTicks, lots, reduces, m);
            if (n != RejectCode.NONE) {
                return n;
            }
        }
        if (reduces) {
            final Position p = a.position(m.id());
            final long size = p == null ? 0 : p.sizeLots;
            if (size == 0 || (size > 0) == buy) {
                return RejectCode.REDUCE_ONLY_REJECT;
            }
        }
        if (a.openOrders(m.id()) >= m.maxOpenOrders) {
            return RejectCode.MAX_OPEN_ORDER_EXCEEDED;
        }
        if (working > 0) {
            if (!trailing) {
                final long stop = c.stopPriceE8;
                if (firesFalling(type, buy) ? working <= stop : working >= stop) {
                    return RejectCode.ORDER_WOULD_IMMEDIATELY_TRIGGER;
                }
            } else if (activation > 0 && (buy ? activation >= working : activation <= working)) {
                // Binance: a buy's activation price must be below the latest price, a sell's above
                return RejectCode.ORDER_WOULD_IMMEDIATELY_TRIGGER;
            }
        }
        vStopE8 = trailing ? 0 : c.stopPriceE8;
        vActivationE8 = activation;
        vLots = lots;
        vPriceTicks = priceTicks;
        return RejectCode.NONE;
    }

    /**
     * Binance's limit-price filter of STOP and TAKE_PROFIT orders: a buy's price at most stop x (1 + band), a sell's at
     * least stop x (1 - band), the band being the market's priceBand (0: no check).
     */
    private static RejectCode checkStopBand(boolean buy, long priceTicks, long stopTicks, Market m) {
        if (m.priceBandE8 == 0) {
            return RejectCode.NONE;
        }
        if (buy) {
            final long cap = Fixed.mulDivFloor(stopTicks, Fixed.E8 + m.priceBandE8, Fixed.E8);
            return priceTicks > cap ? RejectCode.PRICE_HIGHER_THAN_STOP_MULTIPLIER_UP : RejectCode.NONE;
        }
        final long floor = Fixed.mulDivCeil(stopTicks, Fixed.E8 - m.priceBandE8, Fixed.E8);
        return priceTicks < floor ? RejectCode.PRICE_LOWER_THAN_STOP_MULTIPLIER_DOWN : RejectCode.NONE;
    }

    /**
     * The price an order watches now, E8: the last trade price, or the mark (the last trade price while the market
     * has no mark); 0 when there is none yet.
     */
    static long workingPriceE8(Market m, boolean mark) {
        return mark && m.markE8 > 0 ? m.markE8 : m.lastPriceTicks * m.tickE8;
    }

    /** A refused conditional order: ORDER REJECTED with what was asked, then the REJECT. */
    private void reject(Command c, Account a, Market m, RejectCode code, EventBuffer out) {
        final boolean limit = limitPriced(c.orderType.code());
        out.order(a.id(), m.id(), 0, c.clientId.bytes(), 0, c.clientId.length(), c.side, c.orderType,
            limit ? (c.timeInForce != null ? c.timeInForce : TimeInForce.GTC) : null, OrderStatus.REJECTED,
            ExecType.REJECTED, ExpireReason.NONE, c.reduceOnly || c.closePosition,
            c.stpMode != null ? c.stpMode : m.stpMode,
            c.priceE8 == Command.ABSENT ? 0 : c.priceE8, c.qtyE8 == Command.ABSENT ? 0 : c.qtyE8,
            0, 0, 0, 0, 0, code);
        out.orderConditional(c.workingType != null ? c.workingType : WorkingType.CONTRACT_PRICE, c.closePosition,
            c.priceProtect, c.stopPriceE8 == Command.ABSENT ? 0 : c.stopPriceE8,
            c.activationPriceE8 == Command.ABSENT ? 0 : c.activationPriceE8,
            c.callbackRateE8 == Command.ABSENT ? 0 : c.callbackRateE8, 0);
        out.reject(c.type, code, c.account, c.symbol, c.clientId, c.orderId);
    }

    private void ensure(int h) {
        links.ensure(h);
        if (h < stopE8.length) {
            return;
        }
        final int n = Math.max(h + 1, stopE8.length * 2);
        stopE8 = Arrays.copyOf(stopE8, n);
        activationE8 = Arrays.copyOf(activationE8, n);
        rateE8 = Arrays.copyOf(rateE8, n);
        kind = Arrays.copyOf(kind, n);
        where = Arrays.copyOf(where, n);
    }

    /** The structures of the price the order watches (created with the market's first such order). */
    private PriceTriggers triggersOf(int h, Market m) {
        final ConditionalBook b = m.conditionals;
        if ((kind[h] & KIND_MARK) != 0) {
            if (b.mark == null) {
                b.mark = new PriceTriggers(links);
            }
            return b.mark;
        }
        if (b.contract == null) {
            b.contract = new PriceTriggers(links);
        }
        return b.contract;
    }

    /** Puts a new waiting order into the structure that will fire it. */
    private void index(int h, Market m) {
        final PriceTriggers t = triggersOf(h, m);
        final byte type = orders.type(h);
        final boolean buy = orders.side(h) == BUY;
        if (type != TRAILING) {
            if (firesFalling(type, buy)) {
                t.falling.add(h, stopE8[h]);
                where[h] = FALLING;
            } else {
                t.rising.add(h, stopE8[h]);
                where[h] = RISING;
            }
            return;
        }
        final long working = workingPriceE8(m, (kind[h] & KIND_MARK) != 0);
        if (activationE8[h] > 0 || working <= 0) {
            // waits for its activation price; without one and with no price yet, for the first price
            final long at = activationE8[h] > 0 ? activationE8[h] : buy ? Long.MAX_VALUE : 1;
            (buy ? t.buyActivation : t.sellActivation).add(h, at);
            where[h] = buy ? BUY_ACTIVATION : SELL_ACTIVATION;
        } else {
            // Binance: without an activation price it is active at once, its extreme starting at the latest price
            (buy ? t.buyTrailing : t.sellTrailing).add(h, rateE8[h], working);
            where[h] = buy ? BUY_TRAILING : SELL_TRAILING;
        }
    }

    /** Takes a waiting order out of its structure. */
    private void unindex(int h, Market m) {
        final PriceTriggers t = triggersOf(h, m);
        switch (where[h]) {
            case FALLING -> t.falling.remove(h);
            case RISING -> t.rising.remove(h);
            case SELL_ACTIVATION -> t.sellActivation.remove(h);
            case BUY_ACTIVATION -> t.buyActivation.remove(h);
            case SELL_TRAILING -> t.sellTrailing.remove(h);
            case BUY_TRAILING -> t.buyTrailing.remove(h);
            case HELD -> t.held.remove(h);
            default -> {
            }
        }
        where[h] = NOWHERE;
    }

    /** The order stops waiting (fired, cancelled or expired): counts and flags; it is in no structure any more. */
    private void leave(int h, Market m) {
        orders.flags(h, orders.flags(h) & ~OrderStore.FLAG_CONDITIONAL);
        waiting--;
        m.conditionals.waiting--;
        final Position p = engine.account(orders.account(h)).position(m.id());
        p.conditionalOrders--;
        if ((orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) != 0) {
            p.conditionalReduceOnly--;
        }
    }

    /** Cancels a waiting order (cancel, cancel-all, a liquidation's cancel of its account's orders). */
    void cancel(int h, Market m, EventBuffer out) {
        unindex(h, m);
        leave(h, m);
        emit(h, m, OrderStatus.CANCELED, ExecType.CANCELED, ExpireReason.NONE, RejectCode.NONE, 0, out);
        matcher.retire(h, m);
    }

    /** Expires a waiting reduce-only or closePosition order whose position closed or turned to its side. */
    void expire(int h, Market m, EventBuffer out) {
        unindex(h, m);
        leave(h, m);
        emit(h, m, OrderStatus.EXPIRED, ExecType.EXPIRED, ExpireReason.REDUCE_ONLY, RejectCode.NONE, 0, out);
        matcher.retire(h, m);
    }

    // ------------------------------------------------------------------------------------------ evaluation

    /**
     * Fires every waiting order the price ranges since the last evaluation crossed, round after round while the fired
     * orders' own fills cross more (see the class comment), then leaves every market's ranges empty. O(markets) when
     * nothing is waiting.
     */
    void run(EventBuffer out) {
        final int markets = engine.marketCount();
        while (true) {
            batch.clear();
            for (int i = 0; i < markets; i++) {
                final Market m = engine.market(i);
                final ConditionalBook b = m.conditionals;
                if (b.waiting > 0 && (b.traded() || b.markMoved())) {
                    collect(m, b);
                }
                b.resetRanges();
            }
            final int n = batch.size();
            if (n == 0) {
                return;
            }
            for (int k = 0; k < n; k++) {
                fire(batch.handle(k), batch.trigger(k), out);
            }
            engine.refreshMarks(out); // the fills moved marks: the next round sees them
        }
    }

    /** Collects the market's orders due at its ranges into the batch, in firing order. */
    private void collect(Market m, ConditionalBook b) {
        final long tick = m.tickE8;
        final long lastE8 = m.lastPriceTicks * tick;
        final boolean blocked = protectionBlocks(m);
        if (b.contract != null) {
            evaluate(b.contract, b.traded(), b.tradeLowTicks * tick, b.tradeHighTicks * tick, lastE8, blocked);
        }
        if (b.mark != null) {
            if (m.markE8 > 0) {
                evaluate(b.mark, b.markMoved(), b.markLowE8, b.markHighE8, m.markE8, blocked);
            } else {
                evaluate(b.mark, b.traded(), b.tradeLowTicks * tick, b.tradeHighTicks * tick, lastE8, blocked);
            }
        }
    }

    /**
     * One price's orders against the range [low, high] that ended at {@code end} ({@code moved}: the price moved
     * since the last evaluation). Trailing stops: first checked against the range's low (high for buys) with their
     * extremes from before the range (no false fire: their true extreme was at least that), then their extremes move to
     * the range's high (low), those whose activation price the range reached become active with that extreme, and
     * all are checked again against where the range ended.
     */
    private void evaluate(PriceTriggers t, boolean moved, long low, long high, long end, boolean blocked) {
        int from = batch.size();
        releaseHeld(t, true, end, blocked);
        if (moved) {
            popStops(t, t.falling, low, high, blocked);
            t.sellTrailing.fire(low, batch);
            t.sellTrailing.advance(high);
            while (t.sellActivation.reached(low, high)) {
                final int h = t.sellActivation.poll();
                t.sellTrailing.add(h, rateE8[h], high);
                where[h] = SELL_TRAILING;
            }
            t.sellTrailing.fire(end, batch);
        }
        batch.sort(from, batch.size(), true);
        from = batch.size();
        releaseHeld(t, false, end, blocked);
        if (moved) {
            popStops(t, t.rising, low, high, blocked);
            t.buyTrailing.fire(high, batch);
            t.buyTrailing.advance(low);
            while (t.buyActivation.reached(low, high)) {
                final int h = t.buyActivation.poll();
                t.buyTrailing.add(h, rateE8[h], low);
                where[h] = BUY_TRAILING;
            }
            t.buyTrailing.fire(end, batch);
        }
        batch.sort(from, batch.size(), false);
    }

    /** Pops the stops the range reached; a price-protected one is held while mark and last price are too far apart. */
    private void popStops(PriceTriggers t, PriceQueue queue, long low, long high, boolean blocked) {
        while (queue.reached(low, high)) {
            final int h = queue.poll();
            if (blocked && (kind[h] & KIND_PRICE_PROTECT) != 0) {
                t.held.add(h);
                where[h] = HELD;
            } else {
                batch.add(h, stopE8[h], links.tie(h));
            }
        }
    }

    /**
     * Held price-protected orders of one direction, once mark and last price are close again: those still beyond
     * their stop at the current price fire, the others wait again in their queue.
     */
    private void releaseHeld(PriceTriggers t, boolean falling, long end, boolean blocked) {
        if (blocked || t.held.size() == 0) {
            return;
        }
        for (int i = t.held.size() - 1; i >= 0; i--) {
            final int h = t.held.get(i);
            if (firesFalling(orders.type(h), orders.side(h) == BUY) != falling) {
                continue;
            }
            t.held.remove(h);
            if (falling ? end <= stopE8[h] : end >= stopE8[h]) {
                batch.add(h, stopE8[h], links.tie(h));
            } else if (falling) {
                t.falling.add(h, stopE8[h]);
                where[h] = FALLING;
            } else {
                t.rising.add(h, stopE8[h]);
                where[h] = RISING;
            }
        }
    }

    /**
     * Binance's trigger protection: the mark and the last price differ by more than the market's triggerProtect
     * (relative to the mark, to 1e-8). Never with either price unknown.
     */
    private static boolean protectionBlocks(Market m) {
        final long last = m.lastPriceTicks * m.tickE8;
        if (m.markE8 <= 0 || last <= 0) {
            return false;
        }
        final long rate = Fixed.mulDivFloor(Math.abs(m.markE8 - last), Fixed.E8, m.markE8);
        return rate > m.param(MarketParam.TRIGGER_PROTECT);
    }

    /** A collected order fires: TRIGGERED, then it becomes the order of its kind (or is refused as one). */
    private void fire(int h, long triggerE8, EventBuffer out) {
        final Market m = engine.market(orders.market(h));
        final Account a = engine.account(orders.account(h));
        where[h] = NOWHERE;
        leave(h, m);
        emit(h, m, OrderStatus.TRIGGERED, ExecType.TRIGGERED, ExpireReason.NONE, RejectCode.NONE, triggerE8, out);
        final byte type = orders.type(h);
        final boolean buy = orders.side(h) == BUY;
        final boolean limit = limitPriced(type);
        final Command c = scratch.clear();
        c.side = buy ? Side.BUY : Side.SELL;
        c.orderType = limit ? OrderType.LIMIT : OrderType.MARKET;
        c.timeInForce = limit ? TimeInForce.fromCode(orders.tif(h)) : null;
        c.stpMode = StpMode.fromCode(orders.stp(h));
        c.reduceOnly = (orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) != 0;
        c.priceE8 = limit ? m.priceE8(orders.price(h)) : Command.ABSENT;
        long lots = orders.origLots(h);
        if ((kind[h] & KIND_CLOSE_POSITION) != 0) {
            final Position p = a.position(m.id());
            final long size = p == null ? 0 : p.sizeLots;
            lots = size == 0 || (size > 0) == buy ? 0 : Math.abs(size);
            if (lots == 0) {
                end(h, m, RejectCode.REDUCE_ONLY_REJECT, out);
                return;
            }
        }
        c.qtyE8 = m.qtyE8(lots);
        final RejectCode r = matcher.validateTriggered(c, a, m);
        if (r != RejectCode.NONE) {
            end(h, m, r, out);
            return;
        }
        matcher.placeTriggered(h, m, out);
    }

    /** A triggered order its placement refused: EXPIRED when it had nothing to reduce, else REJECTED with why. */
    private void end(int h, Market m, RejectCode r, EventBuffer out) {
        if (r == RejectCode.REDUCE_ONLY_REJECT) {
            emit(h, m, OrderStatus.EXPIRED, ExecType.EXPIRED, ExpireReason.REDUCE_ONLY, RejectCode.NONE, 0, out);
        } else {
            emit(h, m, OrderStatus.REJECTED, ExecType.REJECTED, ExpireReason.NONE, r, 0, out);
        }
        matcher.retire(h, m);
    }

    // ------------------------------------------------------------------------------------------ events

    private void emit(int h, Market m, OrderStatus status, ExecType exec, ExpireReason why, RejectCode reject,
                      long triggerE8, EventBuffer out) {
        out.order(orders.account(h), m.id(), orders.orderId(h), orders.clientIdBytes(), orders.clientIdOffset(h),
            orders.clientIdLength(h), Side.fromCode(orders.side(h)), OrderType.fromCode(orders.type(h)),
            TimeInForce.fromCode(orders.tif(h)), status, exec, why,
            (orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) != 0, StpMode.fromCode(orders.stp(h)),
            m.priceE8(orders.price(h)), m.qtyE8(orders.origLots(h)), m.qtyE8(orders.execLots(h)),
            orders.cumQuote(h), 0, 0, 0, reject);
        tail(h, triggerE8, out);
    }

    /** The conditional fields of order {@code h} after its ORDER event ({@code triggerE8}: in TRIGGERED events). */
    void tail(int h, long triggerE8, EventBuffer out) {
        final int k = kind[h];
        out.orderConditional((k & KIND_MARK) != 0 ? WorkingType.MARK_PRICE : WorkingType.CONTRACT_PRICE,
            (k & KIND_CLOSE_POSITION) != 0, (k & KIND_PRICE_PROTECT) != 0, stopE8[h], activationE8[h], rateE8[h],
            triggerE8);
    }

    // ------------------------------------------------------------------------------------------ state

    OrderStore orders() {
        return orders;
    }

    /** Where a waiting order sits (one of the codes above), for checks. */
    byte where(int h) {
        return where[h];
    }

    /** The structures of one market and price (null before its first order), for checks. */
    static PriceTriggers triggers(Market m, boolean mark) {
        return mark ? m.conditionals.mark : m.conditionals.contract;
    }

    /** The extreme of an active trailing stop (its best price since activation); 0 for any other waiting order. */
    long extreme(int h) {
        final Market m = engine.market(orders.market(h));
        final PriceTriggers t = triggers(m, (kind[h] & KIND_MARK) != 0);
        return where[h] == SELL_TRAILING ? t.sellTrailing.extreme(h)
            : where[h] == BUY_TRAILING ? t.buyTrailing.extreme(h) : 0;
    }

    /**
     * Snapshot restore: the stop fields of a triggered STOP / TAKE_PROFIT resting in a book (its ORDER events carry
     * them). The order store record is already filled.
     */
    void restoreTriggered(int h, long stop, long activation, long rate, byte kindBits) {
        ensure(h);
        stopE8[h] = stop;
        activationE8[h] = activation;
        rateE8[h] = rate;
        kind[h] = kindBits;
        where[h] = NOWHERE;
    }

    /**
     * Snapshot restore: a waiting order back into the structure {@code at} names, exactly where it was (an active
     * trailing stop with its extreme; an inactive one keyed as {@link #index} keyed it), with its counts. The order
     * store record is already filled; registering it as an open order is the caller's. Every structure orders its
     * orders totally (price, then order id), so adding them in any order rebuilds one that fires the same way.
     *
     * @return false when {@code at} is not a place this order can wait in (the caller refuses the snapshot)
     */
    boolean restoreWaiting(int h, Market m, long stop, long activation, long rate, byte kindBits, byte at,
                           long extremeE8) {
        final byte type = orders.type(h);
        final boolean buy = orders.side(h) == BUY;
        final boolean trailing = type == TRAILING;
        final boolean fitsPlace = trailing
            ? (at == (buy ? BUY_ACTIVATION : SELL_ACTIVATION) || at == (buy ? BUY_TRAILING : SELL_TRAILING))
                && TrailingBook.validRate(rate)
            : at == (firesFalling(type, buy) ? FALLING : RISING)
                || (at == HELD && (kindBits & KIND_PRICE_PROTECT) != 0);
        if (!isConditional(type) || !fitsPlace || (!trailing && stop <= 0)) {
            return false;
        }
        ensure(h);
        stopE8[h] = stop;
        activationE8[h] = activation;
        rateE8[h] = rate;
        kind[h] = kindBits;
        links.tie(h, orders.orderId(h));
        final PriceTriggers t = triggersOf(h, m);
        switch (at) {
            case FALLING -> t.falling.add(h, stop);
            case RISING -> t.rising.add(h, stop);
            case SELL_ACTIVATION -> t.sellActivation.add(h, activation > 0 ? activation : 1);
            case BUY_ACTIVATION -> t.buyActivation.add(h, activation > 0 ? activation : Long.MAX_VALUE);
            case SELL_TRAILING -> t.sellTrailing.add(h, rate, extremeE8);
            case BUY_TRAILING -> t.buyTrailing.add(h, rate, extremeE8);
            default -> t.held.add(h);
        }
        where[h] = at;
        waiting++;
        m.conditionals.waiting++;
        final Position p = engine.account(orders.account(h)).position(m.id());
        p.conditionalOrders++;
        if ((orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) != 0) {
            p.conditionalReduceOnly++;
        }
        return true;
    }

    /**
     * Adds every conditional order's own fields to the state hash (waiting ones with where they wait and, for active
     * trailing stops, their extreme; triggered ones resting in a book with their stop fields). O(orders).
     */
    void hash(StateHash hash) {
        for (int h = 0, n = orders.highWater(); h < n; h++) {
            if (orders.orderId(h) == 0 || !isConditional(orders.type(h))) {
                continue;
            }
            final StateHash.Entity e = hash.entity(StateHash.KIND_CONDITIONAL).add(orders.orderId(h))
                .add(stopE8[h]).add(activationE8[h]).add(rateE8[h]).add(kind[h]);
            if (orders.waitingForTrigger(h)) {
                final Market m = engine.market(orders.market(h));
                final PriceTriggers t = ConditionalOrders.triggers(m, (kind[h] & KIND_MARK) != 0);
                e.add(orders.account(h)).add(orders.market(h)).add(orders.side(h)).add(orders.type(h))
                    .add(orders.tif(h)).add(orders.flags(h)).add(orders.stp(h)).add(orders.price(h))
                    .add(orders.origLots(h)).add(orders.time(h)).add(where[h])
                    .add(orders.clientIdLength(h) == 0 ? 0
                        : Name.hash(orders.clientIdBytes(), orders.clientIdOffset(h), orders.clientIdLength(h)))
                    .add(where[h] == SELL_TRAILING ? t.sellTrailing.extreme(h)
                        : where[h] == BUY_TRAILING ? t.buyTrailing.extreme(h) : 0);
            }
            e.done();
        }
    }
}
