package org.perpcore.core.engine;

import org.perpcore.core.book.BookSide;
import org.perpcore.core.book.ClientIdIndex;
import org.perpcore.core.book.LevelStore;
import org.perpcore.core.book.OrderIdIndex;
import org.perpcore.core.book.OrderStore;
import org.perpcore.core.command.Command;
import org.perpcore.core.command.Name;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.num.Fixed;

/**
 * Order entry and matching: validation of new orders, cancels and amends, price-time matching with
 * self-trade prevention and fees, and the ORDER / TRADE events they produce. Runs on the engine thread only.
 *
 * <p>Every public operation validates first (pure, returns a reject code) and only then mutates; the apply half
 * cannot fail.
 */
final class Matcher {
    private static final int FLAG_REGISTERED = 2;
    private static final byte BUY = Side.BUY.code();
    private static final byte LIMIT = OrderType.LIMIT.code();
    private static final byte GTC = TimeInForce.GTC.code();
    private static final byte GTX = TimeInForce.GTX.code();
    private static final byte LIQUIDATION_TYPE = OrderType.LIQUIDATION.code();
    private static final byte STP_NONE = StpMode.NONE.code();
    private static final byte STP_EXPIRE_TAKER = StpMode.EXPIRE_TAKER.code();
    private static final byte STP_EXPIRE_MAKER = StpMode.EXPIRE_MAKER.code();
    private static final byte STP_EXPIRE_BOTH = StpMode.EXPIRE_BOTH.code();

    private final Engine engine;
    final OrderStore orders;
    final LevelStore levels;
    final ClientIdIndex clientIds;
    /** Resting orders by order id. */
    final OrderIdIndex restingById;

    private final IntArrayScratch scratch = new IntArrayScratch();
    /** Waiting stops, take-profits and trailing stops; set by the engine once both exist. */
    ConditionalOrders conditional;
    /** Validating a triggered conditional order: it is already one of its account's open orders. */
    private boolean triggering;

    long nextOrderId = 1;
    long nextTradeId = 1;

    // the order validated last, read by the apply half of the same command
    private long vPriceTicks;
    private long vLots;
    private long vLimitTicks;
    private StpMode vStp;
    private TimeInForce vTif;
    /** Bucket hash of the new order's client id (when it has one), computed once for the check and the insert. */
    private long vClientIdHash;
    private long vCostNotionalE8;
    private long vOpenCostE8;

    Matcher(Engine engine, int expectedOrders) {
        this.engine = engine;
        this.orders = new OrderStore(expectedOrders);
        this.levels = new LevelStore(Math.max(64, expectedOrders / 16));
        this.clientIds = new ClientIdIndex(orders, Math.max(64, expectedOrders / 4));
        this.restingById = new OrderIdIndex(Math.max(64, expectedOrders));
    }

    // ------------------------------------------------------------------------------------------ new orders

    /** Validates a new order; on success the vXxx fields hold its converted figures. */
    RejectCode validatePlace(Command c, Account a, Market m) {
        if (c.orderType != OrderType.LIMIT && c.orderType != OrderType.MARKET) {
            return RejectCode.INVALID_ORDER_TYPE;
        }
        if (m.haltedUntilMs > engine.nowMs() && !c.reduceOnly) {
            return RejectCode.MARKET_HALTED; // the circuit breaker: only cancels and reduce-only orders
        }
        final RejectCode cid = checkNewClientId(c.clientId, a, m);
        if (cid != RejectCode.NONE) {
            return cid;
        }
        final RejectCode q = checkQty(c.qtyE8, m);
        if (q != RejectCode.NONE) {
            return q;
        }
        long lots = c.qtyE8 / m.stepE8;
        vStp = c.stpMode != null ? c.stpMode : m.stpMode;
        final boolean buy = c.side == Side.BUY;
        if (c.reduceOnly) {
            // never increases the position: only against it, and cut to its size (Binance)
            final Position position = a.position(m.id());
            final long size = position == null ? 0 : position.sizeLots;
            if (size == 0 || (size > 0) == buy) {
                return RejectCode.REDUCE_ONLY_REJECT;
            }
            lots = Math.min(lots, Math.abs(size));
        }
        final BookSide opposite = buy ? m.book().asks() : m.book().bids();
        final long bestOpposite = opposite.isEmpty() ? 0 : levels.price(opposite.best());
        if (c.orderType == OrderType.LIMIT) {
            vTif = c.timeInForce != null ? c.timeInForce : TimeInForce.GTC;
            final RejectCode p = checkPrice(c.priceE8, m);
            if (p != RejectCode.NONE) {
                return p;
            }
            final long ticks = c.priceE8 / m.tickE8;
            final long boundTicks = buy ? ticks : Math.max(ticks, bestOpposite);
            final RejectCode n = checkNotional(ticks, boundTicks, lots, c.reduceOnly, m);
            if (n != RejectCode.NONE) {
                return n;
            }
            final RejectCode band = checkPriceBand(buy, ticks, m);
            if (band != RejectCode.NONE) {
                return band;
            }
            final boolean crosses = bestOpposite != 0 && (buy ? ticks >= bestOpposite : ticks <= bestOpposite);
            if (vTif == TimeInForce.GTX && crosses) {
                return RejectCode.GTX_ORDER_REJECT;
            }
            if (vTif == TimeInForce.FOK && !canFillFully(opposite, buy, ticks, lots, a.id(), vStp)) {
                return RejectCode.FOK_ORDER_REJECT;
            }
            if ((vTif == TimeInForce.GTC || vTif == TimeInForce.GTX) && !triggering
                && a.openOrders(m.id()) >= m.maxOpenOrders) {
                return RejectCode.MAX_OPEN_ORDER_EXCEEDED;
            }
            if (!c.reduceOnly) {
                openCost(m, opposite, buy, ticks, lots, vTif == TimeInForce.GTC || vTif == TimeInForce.GTX);
                final RejectCode margin = engine.risk().checkOrder(a, m, buy, vCostNotionalE8, vOpenCostE8);
                if (margin != RejectCode.NONE) {
                    return margin;
                }
            }
            vPriceTicks = ticks;
            vLimitTicks = ticks;
        } else {
            vTif = null;
            if (bestOpposite == 0) {
                return RejectCode.UNABLE_TO_FILL;
            }
            final long reference = m.markPriceTicks > 0 ? m.markPriceTicks
                : m.lastPriceTicks > 0 ? m.lastPriceTicks : bestOpposite;
            final long limit = marketLimit(buy, reference, m);
            if (buy ? bestOpposite > limit : bestOpposite < limit) {
                return RejectCode.MARKET_ORDER_REJECT;
            }
            final long boundTicks = buy ? limit : bestOpposite;
            final RejectCode n = checkNotional(reference, boundTicks, lots, c.reduceOnly, m);
            if (n != RejectCode.NONE) {
                return n;
            }
            if (!c.reduceOnly) {
                // margin for the worst price the order may fill at: its band limit
                openCost(m, opposite, buy, limit, lots, false);
                final RejectCode margin = engine.risk().checkOrder(a, m, buy, vCostNotionalE8, vOpenCostE8);
                if (margin != RejectCode.NONE) {
                    return margin;
                }
            }
            vPriceTicks = 0;
            vLimitTicks = limit;
        }
        vLots = lots;
        return RejectCode.NONE;
    }

    /** Applies a validated new order: NEW event, matching, then rest or expiry. */
    void place(Command c, Account a, Market m, EventBuffer out) {
        final int h = orders.allocate();
        orders.orderId(h, nextOrderId++);
        orders.account(h, a.id());
        orders.market(h, m.id());
        orders.side(h, c.side.code());
        orders.type(h, c.orderType.code());
        orders.tif(h, vTif == null ? 0 : vTif.code());
        orders.stp(h, vStp.code());
        orders.price(h, vPriceTicks);
        orders.origLots(h, vLots);
        orders.time(h, engine.nowMs());
        orders.flags(h, c.reduceOnly ? OrderStore.FLAG_REDUCE_ONLY : 0);
        if (!c.clientId.isEmpty()) {
            orders.clientId(h, c.clientId);
            clientIds.add(vClientIdHash, h);
        }
        emit(h, m, OrderStatus.NEW, ExecType.NEW, ExpireReason.NONE, 0, 0, 0, out);
        execute(h, m, vLimitTicks, out);
    }

    /**
     * Validates the order a triggered conditional order becomes (a LIMIT or MARKET order in {@code c}, without a
     * client id: it keeps its own), as a new order except that it already counts among its account's open orders.
     * On success {@link #placeTriggered} applies it.
     */
    RejectCode validateTriggered(Command c, Account a, Market m) {
        triggering = true;
        try {
            return validatePlace(c, a, m);
        } finally {
            triggering = false;
        }
    }

    /** Applies a validated triggered order {@code h}: its final figures, then matching, then rest or expiry. */
    void placeTriggered(int h, Market m, EventBuffer out) {
        orders.tif(h, vTif == null ? 0 : vTif.code());
        orders.stp(h, vStp.code());
        orders.price(h, vPriceTicks);
        orders.origLots(h, vLots);
        execute(h, m, vLimitTicks, out);
    }

    /** Matches an incoming or re-entering order, then rests it or ends it. */
    private void execute(int h, Market m, long limitTicks, EventBuffer out) {
        final boolean takerStopped = match(h, m, limitTicks, out);
        if (orders.remainingLots(h) == 0) {
            retire(h, m);
            return;
        }
        if (takerStopped) {
            emit(h, m, OrderStatus.EXPIRED, ExecType.EXPIRED, ExpireReason.SELF_TRADE, 0, 0, 0, out);
            retire(h, m);
            return;
        }
        final byte tif = orders.tif(h);
        final byte type = orders.type(h);
        // a triggered STOP / TAKE_PROFIT is a limit order, the other conditional types market orders
        if (ConditionalOrders.limitPriced(type) && (tif == GTC || tif == GTX)) {
            rest(h, m);
            return;
        }
        final ExpireReason why = ConditionalOrders.marketPriced(type)
            ? ExpireReason.MARKET_BAND : ExpireReason.IOC;
        emit(h, m, OrderStatus.EXPIRED, ExecType.EXPIRED, why, 0, 0, 0, out);
        retire(h, m);
    }

    /**
     * Trades the taker against the opposite side while prices cross its limit.
     *
     * @return true when self-trade prevention expired the taker
     */
    private boolean match(int taker, Market m, long limitTicks, EventBuffer out) {
        final boolean buy = orders.side(taker) == BUY;
        final BookSide opposite = buy ? m.book().asks() : m.book().bids();
        final int takerAccount = orders.account(taker);
        final byte stp = orders.stp(taker);
        while (orders.remainingLots(taker) > 0) {
            final int level = opposite.best();
            if (level == OrderStore.NONE) {
                return false;
            }
            final long price = levels.price(level);
            if (buy ? price > limitTicks : price < limitTicks) {
                return false;
            }
            int maker = levels.head(level);
            int makerAccount = orders.account(maker);
            while (maker != OrderStore.NONE) {
                final int nextMaker = orders.next(maker);
                // read the next maker's record now: its cache miss overlaps this fill instead of following it
                final int nextMakerAccount = nextMaker == OrderStore.NONE ? -1 : orders.account(nextMaker);
                if (stp != STP_NONE && makerAccount == takerAccount) {
                    if (stp == STP_EXPIRE_MAKER || stp == STP_EXPIRE_BOTH) {
                        bookRemove(maker, m);
                        emit(maker, m, OrderStatus.EXPIRED, ExecType.EXPIRED, ExpireReason.SELF_TRADE, 0, 0, 0, out);
                        retire(maker, m);
                    }
                    if (stp == STP_EXPIRE_TAKER || stp == STP_EXPIRE_BOTH) {
                        return true;
                    }
                } else {
                    fill(taker, maker, m, out);
                    if (orders.remainingLots(taker) == 0) {
                        return false;
                    }
                }
                maker = nextMaker;
                makerAccount = nextMakerAccount;
            }
        }
        return false;
    }

    /** One trade at the maker's price: fees (rounded in the exchange's favour), events, maker retired when done. */
    private void fill(int taker, int maker, Market m, EventBuffer out) {
        final long lots = Math.min(orders.remainingLots(taker), orders.remainingLots(maker));
        final long price = orders.price(maker);
        // bounded at validation: the taker's limit (or the best bid it can reach) x its quantity fits
        final long notionalE8 = price * lots * m.lotTickValueE8;
        // fee up; a negative (rebate) rate rounds toward zero: the exchange never pays out a rounding unit
        final boolean liquidation = orders.type(taker) == LIQUIDATION_TYPE;
        // a liquidation pays no trading fee: the liquidation stage settles it at its bankruptcy price
        final long takerFee = liquidation ? 0 : Fixed.mulDivCeil(notionalE8, m.takerFeeE8, Fixed.E8);
        if (liquidation) {
            recordLiquidationFill(price, lots, orders.account(maker));
        }
        final long makerFee = Fixed.mulDivCeil(notionalE8, m.makerFeeE8, Fixed.E8);
        final Account takerAccount = engine.account(orders.account(taker));
        final Account makerAccount = engine.account(orders.account(maker));
        takerAccount.walletE8 -= takerFee;
        makerAccount.walletE8 -= makerFee;
        m.feesCollectedE8 += takerFee + makerFee;

        orders.execLots(taker, orders.execLots(taker) + lots);
        orders.cumQuote(taker, orders.cumQuote(taker) + notionalE8);
        bookReduce(maker, m, lots);
        orders.execLots(maker, orders.execLots(maker) + lots);
        orders.cumQuote(maker, orders.cumQuote(maker) + notionalE8);
        m.lastPriceTicks = price;
        m.conditionals.onTrade(price);
        m.markInputsChanged = true;
        if (m.markE8 == 0) {
            m.priceMoved = true; // no mark: positions are valued at the last trade
        }
        final boolean takerBuysSide = orders.side(taker) == BUY;
        engine.risk().onFill(takerAccount, m, takerBuysSide, lots, notionalE8);
        engine.risk().onFill(makerAccount, m, !takerBuysSide, lots, notionalE8);

        final boolean takerBuys = takerBuysSide;
        final int buyOrder = takerBuys ? taker : maker;
        final int sellOrder = takerBuys ? maker : taker;
        out.trade(m.id(), nextTradeId++, m.priceE8(price), m.qtyE8(lots),
            orders.account(buyOrder), orders.account(sellOrder), orders.orderId(buyOrder), orders.orderId(sellOrder),
            takerBuys ? Side.SELL : Side.BUY, takerBuys ? takerFee : makerFee, takerBuys ? makerFee : takerFee);
        emit(maker, m, status(maker), ExecType.TRADE, ExpireReason.NONE, lots, price, makerFee, out);
        emit(taker, m, status(taker), ExecType.TRADE, ExpireReason.NONE, lots, price, takerFee, out);
        if (orders.remainingLots(maker) == 0) {
            bookRemove(maker, m);
            retire(maker, m);
        }
    }

    /**
     * What an order opening exposure costs, into {@link #vCostNotionalE8} and {@link #vOpenCostE8}. The notional
     * its initial margin is taken on: the part that fills now at the prices it fills at (the opposite side walked
     * to the limit: a sell may fill above its limit), the rest at the limit. Beyond initial margin, Binance's
     * "open loss": each fill's loss against the mark, plus the taker fee on the fills, and for a part that rests,
     * its loss against the mark at the limit. Without these an order filling far from the mark, or its fee, could
     * take more from the wallet than the account has.
     */
    private void openCost(Market m, BookSide opposite, boolean buy, long limitTicks, long lots, boolean rests) {
        final long markE8 = RiskEngine.priceE8(m);
        long need = lots;
        long loss = 0;
        long filledNotional = 0;
        for (int d = 0; d < opposite.size() && need > 0; d++) {
            final int level = opposite.levelAtDepth(d);
            final long price = levels.price(level);
            if (buy ? price > limitTicks : price < limitTicks) {
                break;
            }
            final long q = Math.min(need, levels.lots(level));
            need -= q;
            filledNotional += price * q * m.lotTickValueE8;
            loss += lossAgainstMark(m, buy, price, q, markE8);
        }
        if (rests && need > 0) {
            loss += lossAgainstMark(m, buy, limitTicks, need, markE8);
        }
        vCostNotionalE8 = filledNotional + limitTicks * need * m.lotTickValueE8;
        vOpenCostE8 = loss + Math.max(0, Fixed.mulDivCeil(filledNotional, m.takerFeeE8, Fixed.E8));
    }

    private static long lossAgainstMark(Market m, boolean buy, long priceTicks, long lots, long markE8) {
        final long diff = buy ? priceTicks * m.tickE8 - markE8 : markE8 - priceTicks * m.tickE8;
        return markE8 <= 0 || diff <= 0 ? 0 : Fixed.mulDivCeil(diff, lots * m.stepE8, Fixed.E8);
    }

    private boolean canFillFully(BookSide opposite, boolean buy, long limitTicks, long lots, int accountId,
                                 StpMode stp) {
        long need = lots;
        for (int d = 0; d < opposite.size(); d++) {
            final int level = opposite.levelAtDepth(d);
            final long price = levels.price(level);
            if (buy ? price > limitTicks : price < limitTicks) {
                return false;
            }
            if (stp == StpMode.NONE) {
                need -= levels.lots(level);
                if (need <= 0) {
                    return true;
                }
                continue;
            }
            for (int o = levels.head(level); o != OrderStore.NONE; o = orders.next(o)) {
                if (orders.account(o) == accountId) {
                    if (stp == StpMode.EXPIRE_MAKER) {
                        continue;
                    }
                    return false;
                }
                need -= orders.remainingLots(o);
                if (need <= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ cancel, amend

    /** The open order a cancel/amend names (order id first, else client id), or NONE. */
    int locate(Command c, Account a, Market m) {
        // Binance: when both are sent, the order id wins
        if (c.orderId > 0) {
            final int h = restingById.get(c.orderId);
            if (h == OrderStore.NONE || orders.account(h) != a.id() || orders.market(h) != m.id()) {
                return OrderStore.NONE;
            }
            return h;
        }
        if (!c.clientId.isEmpty()) {
            return c.clientId.length() > ClientIdIndex.MAX_LENGTH
                ? OrderStore.NONE : clientIds.find(a.id(), m.id(), c.clientId);
        }
        return OrderStore.NONE;
    }

    void cancel(int h, Market m, EventBuffer out) {
        if (orders.waitingForTrigger(h)) {
            conditional.cancel(h, m, out); // waiting for its trigger: in no book
            return;
        }
        bookRemove(h, m);
        emit(h, m, OrderStatus.CANCELED, ExecType.CANCELED, ExpireReason.NONE, 0, 0, 0, out);
        retire(h, m);
    }

    /**
     * Cancels every open order of the account in the market, in placement order ({@code waitingOnly}: only the
     * conditional orders waiting for their trigger).
     */
    void cancelAll(Account a, Market m, boolean waitingOnly, EventBuffer out) {
        final int n = a.openOrderHandles(m.id(), orders, scratch);
        for (int i = 0; i < n; i++) {
            final int h = scratch.get(i);
            if (!waitingOnly || orders.waitingForTrigger(h)) {
                cancel(h, m, out);
            }
        }
    }

    private long amendPriceTicks;
    private long amendLots;

    /** Validates an amend of open order {@code h}; on success the new figures are held for {@link #amend}. */
    RejectCode validateAmend(Command c, int h, Market m) {
        if (orders.type(h) != LIMIT) {
            return RejectCode.LIMIT_ORDER_ONLY;
        }
        if (c.priceE8 == Command.ABSENT && c.qtyE8 == Command.ABSENT) {
            return RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED;
        }
        if (m.haltedUntilMs > engine.nowMs() && (orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) == 0
            && (c.priceE8 != Command.ABSENT || c.qtyE8 == Command.ABSENT || c.qtyE8 / m.stepE8 > orders.origLots(h))) {
            return RejectCode.MARKET_HALTED; // a halted market accepts only amends that cut a quantity
        }
        long ticks = orders.price(h);
        if (c.priceE8 != Command.ABSENT) {
            final RejectCode p = checkPrice(c.priceE8, m);
            if (p != RejectCode.NONE) {
                return p;
            }
            ticks = c.priceE8 / m.tickE8;
        }
        long lots = orders.origLots(h);
        if (c.qtyE8 != Command.ABSENT) {
            final RejectCode q = checkQty(c.qtyE8, m);
            if (q != RejectCode.NONE) {
                return q;
            }
            lots = c.qtyE8 / m.stepE8;
        }
        if (ticks == orders.price(h) && lots == orders.origLots(h)) {
            return RejectCode.SAME_ORDER;
        }
        final boolean buy = orders.side(h) == BUY;
        final BookSide opposite = buy ? m.book().asks() : m.book().bids();
        final long bestOpposite = opposite.isEmpty() ? 0 : levels.price(opposite.best());
        final boolean reduceOnly = (orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) != 0;
        final long boundTicks = buy ? ticks : Math.max(ticks, bestOpposite);
        final RejectCode n = checkNotional(ticks, boundTicks, lots, reduceOnly, m);
        if (n != RejectCode.NONE) {
            return n;
        }
        // the quote already executed plus the most the rest can add must fit too: fills keep adding to it
        if (lots > orders.execLots(h)) {
            final long rest = Fixed.mul(Fixed.mul(boundTicks, lots - orders.execLots(h)), m.lotTickValueE8);
            if (rest == Fixed.OVERFLOW || Fixed.add(orders.cumQuote(h), rest) == Fixed.OVERFLOW) {
                return RejectCode.OVERFLOW;
            }
        }
        if (ticks != orders.price(h)) {
            final RejectCode band = checkPriceBand(buy, ticks, m);
            if (band != RejectCode.NONE) {
                return band;
            }
        }
        amendPriceTicks = ticks;
        amendLots = lots;
        return RejectCode.NONE;
    }

    /**
     * Applies a validated amend, as Binance's order modification: a quantity cut at the same price keeps time
     * priority; a price change or a quantity increase re-enters the order at the back of its (new) level, matching
     * first if it now crosses; a quantity at or below what is already executed, or a post-only order that would now
     * take, cancels the order.
     */
    void amend(int h, Market m, EventBuffer out) {
        final long ticks = amendPriceTicks;
        final long lots = amendLots;
        if (lots <= orders.execLots(h)) {
            bookRemove(h, m);
            emit(h, m, OrderStatus.CANCELED, ExecType.CANCELED, ExpireReason.AMEND, 0, 0, 0, out);
            retire(h, m);
            return;
        }
        if (ticks == orders.price(h) && lots < orders.origLots(h)) {
            bookReduce(h, m, orders.origLots(h) - lots);
            orders.origLots(h, lots);
            emit(h, m, status(h), ExecType.AMENDMENT, ExpireReason.NONE, 0, 0, 0, out);
            return;
        }
        bookRemove(h, m);
        orders.price(h, ticks);
        orders.origLots(h, lots);
        emit(h, m, status(h), ExecType.AMENDMENT, ExpireReason.NONE, 0, 0, 0, out);
        final boolean buy = orders.side(h) == BUY;
        final BookSide opposite = buy ? m.book().asks() : m.book().bids();
        final boolean crosses = !opposite.isEmpty()
            && (buy ? ticks >= levels.price(opposite.best()) : ticks <= levels.price(opposite.best()));
        if (crosses && orders.tif(h) == GTX) {
            emit(h, m, OrderStatus.CANCELED, ExecType.CANCELED, ExpireReason.AMEND, 0, 0, 0, out);
            retire(h, m);
            return;
        }
        execute(h, m, ticks, out);
    }

    // ------------------------------------------------------------------------------------------ checks

    RejectCode checkNewClientId(Name id, Account a, Market m) {
        if (id.isEmpty()) {
            return RejectCode.NONE;
        }
        if (id.length() > ClientIdIndex.MAX_LENGTH || !ClientIdIndex.isLegal(id)) {
            return RejectCode.INVALID_CL_ORD_ID_LEN;
        }
        vClientIdHash = ClientIdIndex.keyHash(a.id(), m.id(), id);
        if (clientIds.find(vClientIdHash, a.id(), m.id(), id) != OrderStore.NONE) {
            return RejectCode.DUPLICATED_CLIENT_ORDER_ID;
        }
        return RejectCode.NONE;
    }

    static RejectCode checkQty(long qtyE8, Market m) {
        if (qtyE8 == Command.ABSENT) {
            return RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED;
        }
        if (qtyE8 <= 0) {
            return RejectCode.QTY_LESS_THAN_ZERO;
        }
        if (qtyE8 % m.stepE8 != 0) {
            return RejectCode.QTY_NOT_INCREASED_BY_STEP_SIZE;
        }
        final long lots = qtyE8 / m.stepE8;
        if (lots < m.minQtyLots) {
            return RejectCode.QTY_LESS_THAN_MIN_QTY;
        }
        if (lots > m.maxQtyLots) {
            return RejectCode.QTY_GREATER_THAN_MAX_QTY;
        }
        return RejectCode.NONE;
    }

    static RejectCode checkPrice(long priceE8, Market m) {
        if (priceE8 == Command.ABSENT) {
            return RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED;
        }
        if (priceE8 <= 0) {
            return RejectCode.PRICE_LESS_THAN_ZERO;
        }
        if (priceE8 % m.tickE8 != 0) {
            return RejectCode.PRICE_NOT_INCREASED_BY_TICK_SIZE;
        }
        if (priceE8 / m.tickE8 > m.maxPriceTicks) {
            return RejectCode.PRICE_GREATER_THAN_MAX_PRICE;
        }
        return RejectCode.NONE;
    }

    /**
     * The notional at the order's price must reach the market minimum (unless reduce-only), and the notional at
     * the furthest price it can trade at must fit the money range, so no fill, fee or running total can overflow.
     */
    static RejectCode checkNotional(long priceTicks, long boundTicks, long lots, boolean reduceOnly,
                                            Market m) {
        final long bound = Fixed.mul(Fixed.mul(boundTicks, lots), m.lotTickValueE8);
        final long notional = Fixed.mul(Fixed.mul(priceTicks, lots), m.lotTickValueE8);
        if (bound == Fixed.OVERFLOW || notional == Fixed.OVERFLOW) {
            return RejectCode.OVERFLOW;
        }
        if (!reduceOnly && notional < m.minNotionalE8) {
            return RejectCode.MIN_NOTIONAL;
        }
        return RejectCode.NONE;
    }

    /**
     * Binance's PERCENT_PRICE rule: a buy may not be priced above reference x (1 + band), a sell not below
     * reference x (1 - band). The reference is the mark price, else the last trade; with neither, no check.
     */
    private static RejectCode checkPriceBand(boolean buy, long ticks, Market m) {
        final long reference = m.markPriceTicks > 0 ? m.markPriceTicks : m.lastPriceTicks;
        if (reference == 0 || m.priceBandE8 == 0) {
            return RejectCode.NONE;
        }
        if (buy) {
            final long cap = Fixed.mulDivFloor(reference, Fixed.E8 + m.priceBandE8, Fixed.E8);
            return ticks > cap ? RejectCode.PRICE_HIGHER_THAN_MULTIPLIER_UP : RejectCode.NONE;
        }
        final long floor = Fixed.mulDivCeil(reference, Fixed.E8 - m.priceBandE8, Fixed.E8);
        return ticks < floor ? RejectCode.PRICE_LOWER_THAN_MULTIPLIER_DOWN : RejectCode.NONE;
    }

    /** The worst price a market order may fill at: reference x (1 +/- market band), rounded inward to a tick. */
    private static long marketLimit(boolean buy, long referenceTicks, Market m) {
        return buy
            ? Fixed.mulDivFloor(referenceTicks, Fixed.E8 + m.marketBandE8, Fixed.E8)
            : Fixed.mulDivCeil(referenceTicks, Fixed.E8 - m.marketBandE8, Fixed.E8);
    }

    // ------------------------------------------------------------------------------------------ liquidation

    private long[] liquidationFillTicks = new long[16];
    private long[] liquidationFillLots = new long[16];
    int liquidationFills;
    private final Name autoclose = new Name();

    private int[] liquidationFillMakers = new int[16];

    private void recordLiquidationFill(long priceTicks, long lots, int makerAccount) {
        if (liquidationFills == liquidationFillTicks.length) {
            liquidationFillTicks = java.util.Arrays.copyOf(liquidationFillTicks, liquidationFills * 2);
            liquidationFillLots = java.util.Arrays.copyOf(liquidationFillLots, liquidationFills * 2);
            liquidationFillMakers = java.util.Arrays.copyOf(liquidationFillMakers, liquidationFills * 2);
        }
        liquidationFillTicks[liquidationFills] = priceTicks;
        liquidationFillMakers[liquidationFills] = makerAccount;
        liquidationFillLots[liquidationFills++] = lots;
    }

    /** The maker's account of liquidation fill {@code i}. */
    int liquidationFillMaker(int i) {
        return liquidationFillMakers[i];
    }

    long liquidationFillTicks(int i) {
        return liquidationFillTicks[i];
    }

    long liquidationFillLots(int i) {
        return liquidationFillLots[i];
    }

    /**
     * An IOC liquidation order for the account (type LIQUIDATION, client id {@code autoclose-<orderId>}, reduce
     * only, no self-trade prevention, no margin or band checks) limited to {@code limitTicks}. Returns the lots it
     * filled; each fill is recorded for the liquidation stage.
     */
    long liquidationOrder(Account a, Market m, boolean buy, long lots, long limitTicks, EventBuffer out) {
        liquidationFills = 0;
        if (lots <= 0) {
            return 0;
        }
        final int h = orders.allocate();
        final long id = nextOrderId++;
        orders.orderId(h, id);
        orders.account(h, a.id());
        orders.market(h, m.id());
        orders.side(h, buy ? BUY : Side.SELL.code());
        orders.type(h, LIQUIDATION_TYPE);
        orders.tif(h, TimeInForce.IOC.code());
        orders.stp(h, STP_NONE);
        orders.price(h, limitTicks);
        orders.origLots(h, lots);
        orders.time(h, engine.nowMs());
        orders.flags(h, OrderStore.FLAG_REDUCE_ONLY);
        autocloseId(id);
        orders.clientId(h, autoclose);
        clientIds.add(ClientIdIndex.keyHash(a.id(), m.id(), autoclose), h);
        emit(h, m, OrderStatus.NEW, ExecType.NEW, ExpireReason.NONE, 0, 0, 0, out);
        execute(h, m, limitTicks, out);
        long filled = 0;
        for (int i = 0; i < liquidationFills; i++) {
            filled += liquidationFillLots[i];
        }
        return filled;
    }

    /** {@code autoclose-<orderId>} in the scratch name, without allocating. */
    private void autocloseId(long orderId) {
        autoclose.set(AUTOCLOSE_PREFIX, 0, AUTOCLOSE_PREFIX.length);
        appendDigits(autoclose, orderId);
    }

    private static final byte[] AUTOCLOSE_PREFIX = "autoclose-".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] ADL_ID = "adl_autoclose".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final byte[] digitScratch = new byte[Name.CAPACITY];

    private void appendDigits(Name name, long value) {
        int n = 0;
        long v = value;
        do {
            digitScratch[n++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        final byte[] target = scratchName;
        final int base = name.length();
        System.arraycopy(name.bytes(), 0, target, 0, base);
        for (int i = 0; i < n; i++) {
            target[base + i] = digitScratch[n - 1 - i];
        }
        name.set(target, 0, base + n);
    }

    private final byte[] scratchName = new byte[Name.CAPACITY];

    /**
     * An ORDER event for a position change made outside the book: an insurance fund takeover (type LIQUIDATION,
     * {@code autoclose-<orderId>}) or an auto-deleverage fill (type ADL, {@code adl_autoclose}); execution type
     * CALCULATED, as Binance reports them. Consumes an order id.
     */
    void reportForcedFill(Account a, Market m, boolean buy, long lots, long priceE8, boolean adl, EventBuffer out) {
        final long id = nextOrderId++;
        if (adl) {
            autoclose.set(ADL_ID, 0, ADL_ID.length);
        } else {
            autocloseId(id);
        }
        final long qtyE8 = m.qtyE8(lots);
        final long quote = Fixed.mulDivFloor(priceE8, qtyE8, Fixed.E8);
        out.order(a.id(), m.id(), id, autoclose.bytes(), 0, autoclose.length(), buy ? Side.BUY : Side.SELL,
            adl ? OrderType.ADL : OrderType.LIQUIDATION, null, OrderStatus.FILLED, ExecType.CALCULATED,
            ExpireReason.NONE, true, null, priceE8, qtyE8, qtyE8, quote, qtyE8, priceE8, 0, RejectCode.NONE);
    }

    // ------------------------------------------------------------------------------------------ bookkeeping

    /** Puts an order in the book and counts its remaining quantity against its account's order margin. */
    private void bookAdd(int h, Market m) {
        m.book().add(h);
        engine.risk().onRest(engine.account(orders.account(h)), m, orders.side(h) == BUY, orders.remainingLots(h),
            orders.price(h), (orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) != 0);
    }

    private void bookRemove(int h, Market m) {
        engine.risk().onUnrest(engine.account(orders.account(h)), m, orders.side(h) == BUY,
            orders.remainingLots(h), orders.price(h), (orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) != 0, true);
        m.book().remove(h);
    }

    private void bookReduce(int h, Market m, long lots) {
        engine.risk().onUnrest(engine.account(orders.account(h)), m, orders.side(h) == BUY, lots, orders.price(h),
            (orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) != 0, false);
        m.book().reduce(h, lots);
    }

    /**
     * Fits the account's reduce-only orders in the position's market to the position: cancelled (expired, reason
     * REDUCE_ONLY) when it is flat or on their side, cut to its size when larger.
     */
    void fitReduceOnly(Account a, Position p, EventBuffer out) {
        final Market m = p.market;
        final int n = a.openOrderHandles(m.id(), orders, scratch);
        for (int i = 0; i < n; i++) {
            final int h = scratch.get(i);
            if ((orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) == 0) {
                continue;
            }
            final boolean buy = orders.side(h) == BUY;
            final long size = p.sizeLots;
            if (orders.waitingForTrigger(h)) {
                if (size == 0 || (size > 0) == buy) {
                    conditional.expire(h, m, out); // waiting ones expire but are not cut: they are cut when they fire
                }
                continue;
            }
            if (size == 0 || (size > 0) == buy) {
                bookRemove(h, m);
                emit(h, m, OrderStatus.EXPIRED, ExecType.EXPIRED, ExpireReason.REDUCE_ONLY, 0, 0, 0, out);
                retire(h, m);
            } else if (orders.remainingLots(h) > Math.abs(size)) {
                final long cut = orders.remainingLots(h) - Math.abs(size);
                bookReduce(h, m, cut);
                orders.origLots(h, orders.origLots(h) - cut);
                emit(h, m, status(h), ExecType.AMENDMENT, ExpireReason.REDUCE_ONLY, 0, 0, 0, out);
            }
        }
    }

    private void rest(int h, Market m) {
        register(h, m);
        bookAdd(h, m);
    }

    /** Makes {@code h} an open order of its account: counted, found by its order id, cancelled with the others. */
    void register(int h, Market m) {
        if ((orders.flags(h) & FLAG_REGISTERED) == 0) {
            final Account a = engine.account(orders.account(h));
            a.addOrder(orders.orderId(h), h, orders);
            RiskEngine.position(a, m).openOrderCount++;
            restingById.put(orders.orderId(h), h);
            orders.flags(h, orders.flags(h) | FLAG_REGISTERED);
        }
    }

    /** Forgets an order that is no longer in the book. */
    void retire(int h, Market m) {
        if ((orders.flags(h) & FLAG_REGISTERED) != 0) {
            engine.account(orders.account(h)).position(m.id()).openOrderCount--;
            restingById.remove(orders.orderId(h));
        }
        if (orders.clientIdLength(h) != 0) {
            clientIds.remove(h);
        }
        orders.free(h);
    }

    private OrderStatus status(int h) {
        final long exec = orders.execLots(h);
        return exec == 0 ? OrderStatus.NEW
            : exec < orders.origLots(h) ? OrderStatus.PARTIALLY_FILLED : OrderStatus.FILLED;
    }

    private void emit(int h, Market m, OrderStatus status, ExecType exec, ExpireReason why,
                      long lastLots, long lastPriceTicks, long lastFeeE8, EventBuffer out) {
        out.order(orders.account(h), m.id(), orders.orderId(h), orders.clientIdBytes(), orders.clientIdOffset(h),
            orders.clientIdLength(h),
            Side.fromCode(orders.side(h)), OrderType.fromCode(orders.type(h)), TimeInForce.fromCode(orders.tif(h)),
            status, exec, why, (orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) != 0, StpMode.fromCode(orders.stp(h)),
            m.priceE8(orders.price(h)), m.qtyE8(orders.origLots(h)), m.qtyE8(orders.execLots(h)),
            orders.cumQuote(h), m.qtyE8(lastLots), m.priceE8(lastPriceTicks), lastFeeE8, RejectCode.NONE);
        if (ConditionalOrders.isConditional(orders.type(h))) {
            conditional.tail(h, 0, out);
        }
    }

    /** Adds every resting order to the state hash, with its place in its level. */
    void hashOrders(Market m, StateHash hash) {
        hashSide(m.book().bids(), hash);
        hashSide(m.book().asks(), hash);
    }

    private void hashSide(BookSide side, StateHash hash) {
        for (int d = 0; d < side.size(); d++) {
            int rank = 0;
            for (int o = levels.head(side.levelAtDepth(d)); o != OrderStore.NONE; o = orders.next(o)) {
                hash.entity(StateHash.KIND_ORDER)
                    .add(orders.orderId(o)).add(orders.account(o)).add(orders.market(o))
                    .add(orders.side(o)).add(orders.type(o)).add(orders.tif(o))
                    .add(orders.flags(o) & OrderStore.FLAG_REDUCE_ONLY).add(orders.stp(o))
                    .add(orders.price(o)).add(orders.origLots(o)).add(orders.execLots(o)).add(orders.cumQuote(o))
                    .add(orders.time(o))
                    .add(orders.clientIdLength(o) == 0 ? 0
                        : Name.hash(orders.clientIdBytes(), orders.clientIdOffset(o), orders.clientIdLength(o)))
                    .add(rank++)
                    .done();
            }
        }
    }
}
