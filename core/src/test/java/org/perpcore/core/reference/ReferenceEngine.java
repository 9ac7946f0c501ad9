package org.perpcore.core.reference;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.perpcore.core.command.Command;
import org.perpcore.core.command.Name;
import org.perpcore.core.engine.StateHash;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.model.AccountReason;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;

/**
 * A deliberately naive re-implementation of the engine's order entry and matching, written from the rules rather
 * than from the optimised code, to be run side by side with {@link org.perpcore.core.engine.Engine} on the same
 * command stream ({@link DifferentialTest}). Clarity over speed: books are {@code TreeMap}s of {@code ArrayList}s,
 * orders are plain objects, lookups scan, and all money arithmetic is exact ({@link BigInteger} or the
 * {@code Math.*Exact} family), so a value the engine would silently wrap makes this class throw instead.
 *
 * <p>Commands modelled: MARKET, DEPOSIT, WITHDRAW, PLACE_ORDER, CANCEL_ORDER, CANCEL_ALL, AMEND_ORDER, TICK,
 * QUERY_ACCOUNT and a missing command type. The rules, in the order the engine applies them:
 * <ul>
 *   <li>Engine time is the largest command timestamp seen; the last sequence number is always taken.</li>
 *   <li>New orders: side, order type, account, symbol; then order type (LIMIT or MARKET only), client order id
 *       (at most 36 legal characters, unique among the account's open orders in the market), quantity
 *       (present, positive, a multiple of the step, within min and max); for a limit: price (present, positive,
 *       a multiple of the tick, at most the max price), notional (the money products at the order's price and at
 *       the furthest price it can trade at fit a long; at least the minimum unless reduce-only), the percent
 *       price band around the mark (else the last trade), post-only crossing, fill-or-kill liquidity, and the
 *       open-order limit for orders that may rest (GTC, GTX); for a market order: a non-empty opposite side, the
 *       best opposite price within the protection band around the reference (mark, else last trade, else best
 *       opposite) and the notional at the reference price.</li>
 *   <li>Matching: best price first, then time; each fill at the maker's price; fees ceil(notional x rate / 1e8)
 *       for both sides (so a rebate rounds toward zero) debited from wallets and credited to the market; self-trade
 *       prevention decided by the taker's mode. A GTC/GTX remainder rests at the back of its level; an IOC/FOK
 *       remainder expires (IOC), a market remainder expires (MARKET_BAND).</li>
 *   <li>Cancel: by client order id when one is given, else by order id; cancel-all in placement order.</li>
 *   <li>Amend: a quantity at or below the executed quantity cancels; a quantity cut at the same price keeps
 *       priority; anything else re-enters at the back of the (new) level and may trade, except that a post-only
 *       order that would cross is cancelled.</li>
 * </ul>
 *
 * <p>Events go through an {@link EventBuffer} with the same calls and arguments as the engine's, so the two
 * event streams can be compared byte for byte; {@link #stateHash()} feeds {@link StateHash} with the same
 * entities and fields as {@code Engine.stateHash()}.
 *
 * <p>Where this class works differently from the engine: its money arithmetic is exact (BigInteger) and throws
 * {@link ArithmeticException} if a running total (an order's cumulative quote, a wallet, a market's fees) would
 * leave the long range, so a wrap in the engine cannot go unnoticed.
 */
public final class ReferenceEngine {
    private static final long E8 = 100_000_000L;
    private static final BigInteger BIG_E8 = BigInteger.valueOf(E8);
    private static final int MAX_CLIENT_ID_LENGTH = 36;

    /** Rule branches taken, counted so a test can prove its command stream reached them. */
    public enum Path {
        FILL,
        SELF_TRADE_FILL,
        STP_MAKER_EXPIRED,
        STP_TAKER_EXPIRED,
        FOK_FILLED,
        IOC_EXPIRED,
        MARKET_BAND_EXPIRED,
        MARKET_ORDER_FILLED,
        RESTED,
        CANCELLED,
        CANCEL_ALL_CANCELLED,
        AMEND_KEPT_PRIORITY,
        AMEND_REENTERED,
        AMEND_REENTERED_AND_TRADED,
        AMEND_CANCELLED_AT_EXECUTED,
        AMEND_POST_ONLY_CANCELLED,
        REBATE_PAID,
        MARKET_DEFINED
    }

    private final List<RefMarket> markets = new ArrayList<>();
    private final Map<String, RefMarket> marketsBySymbol = new HashMap<>();
    private final List<RefAccount> accounts = new ArrayList<>();
    private final Map<String, RefAccount> accountsByName = new HashMap<>();
    private final Map<Long, RefOrder> restingByOrderId = new HashMap<>();

    private long nextOrderId = 1;
    private long nextTradeId = 1;
    private long nowMs;
    private long totalDepositsE8;

    private final Map<Path, Long> pathCounts = new EnumMap<>(Path.class);

    /** Applies one command; its events replace the content of {@code out}. {@code command} is only read. */
    public void apply(Command command, EventBuffer out) {
        applyCommand(command, out);
        fitReduceOnlyOrders(out);
    }

    private void applyCommand(Command command, EventBuffer out) {
        out.clear();
        nowMs = Math.max(nowMs, command.timestampMs);
        if (command.type == null) {
            reject(command, RejectCode.UNKNOWN_COMMAND, out);
            return;
        }
        switch (command.type) {
            case MARKET -> defineMarket(command, out);
            case DEPOSIT -> deposit(command, out);
            case WITHDRAW -> withdraw(command, out);
            case PLACE_ORDER -> placeOrder(command, out);
            case CANCEL_ORDER -> cancelOrder(command, out);
            case CANCEL_ALL -> cancelAll(command, out);
            case AMEND_ORDER -> amendOrder(command, out);
            case TICK -> {
                // only time moves
            }
            case QUERY_ACCOUNT -> queryAccount(command, out);
            default -> reject(command, RejectCode.UNKNOWN_COMMAND, out);
        }
    }

    // ------------------------------------------------------------------------------------------ markets

    private void defineMarket(Command c, EventBuffer out) {
        if (c.symbol.isEmpty()) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        if (!isLegal(c.symbol)) {
            reject(c, RejectCode.ILLEGAL_CHARS, out);
            return;
        }
        final RefMarket existing = marketsBySymbol.get(key(c.symbol));
        final long[] params = existing != null ? existing.params.clone() : defaultParams();
        for (MarketParam p : MarketParam.values()) {
            if (c.has(p)) {
                params[p.ordinal()] = c.param(p);
            }
        }
        final RejectCode invalid = validateSpec(params);
        if (invalid != RejectCode.NONE) {
            reject(c, invalid, out);
            return;
        }
        if (existing != null && (existing.restingOrderCount() > 0 || existing.lastPriceTicks != 0)
            && (params[MarketParam.TICK.ordinal()] != existing.tickE8
                || params[MarketParam.STEP.ordinal()] != existing.stepE8)) {
            reject(c, RejectCode.MARKET_SPEC_LOCKED, out);
            return;
        }
        RefMarket m = existing;
        if (m == null) {
            m = new RefMarket(markets.size(), c.symbol.toBytes());
            markets.add(m);
            marketsBySymbol.put(key(c.symbol), m);
        }
        m.install(params);
        tally(Path.MARKET_DEFINED);
        out.market(m.id, m.symbol, m.params);
    }

    /** Binance BTCUSDT-like defaults; tick and step have none (a new market must give them). */
    private static long[] defaultParams() {
        final long[] p = new long[MarketParam.COUNT];
        p[MarketParam.MAX_QTY.ordinal()] = 10_000_000 * E8;
        p[MarketParam.MAX_PRICE.ordinal()] = 10_000_000 * E8;
        p[MarketParam.MAKER_FEE.ordinal()] = 20_000;
        p[MarketParam.TAKER_FEE.ordinal()] = 50_000;
        p[MarketParam.PRICE_BAND.ordinal()] = 5_000_000;
        p[MarketParam.MARKET_BAND.ordinal()] = 5_000_000;
        p[MarketParam.STP.ordinal()] = StpMode.EXPIRE_MAKER.code();
        p[MarketParam.MAX_OPEN_ORDERS.ordinal()] = 200;
        p[MarketParam.MAX_LEVERAGE.ordinal()] = 125;
        p[MarketParam.LIQUIDATION_FEE.ordinal()] = 1_250_000;
        p[MarketParam.FUNDING_INTERVAL.ordinal()] = 8L * 3600 * 1000;
        p[MarketParam.FUNDING_CAP.ordinal()] = 400_000;
        p[MarketParam.INTEREST_RATE.ordinal()] = 10_000;
        p[MarketParam.INSURANCE_CAP.ordinal()] = 10_000_000 * E8;
        p[MarketParam.SLICE_FRACTION.ordinal()] = 20_000_000;
        p[MarketParam.SLICE_INTERVAL.ordinal()] = 30_000;
        p[MarketParam.HALT_WINDOW.ordinal()] = 300_000;
        p[MarketParam.HALT_FOR.ordinal()] = 300_000;
        p[MarketParam.ADL_REFRESH.ordinal()] = 10_000;
        p[MarketParam.TRIGGER_PROTECT.ordinal()] = 5_000_000;
        return p;
    }

    /** Checks a full specification; a minimum quantity of 0 becomes one step (written into {@code p}). */
    private static RejectCode validateSpec(long[] p) {
        final long tick = p[MarketParam.TICK.ordinal()];
        final long step = p[MarketParam.STEP.ordinal()];
        if (tick <= 0 || step <= 0) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        final BigInteger tickTimesStep = big(tick).multiply(big(step));
        if (!fitsMoney(tickTimesStep) || tickTimesStep.mod(BIG_E8).signum() != 0) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        if (p[MarketParam.MIN_QTY.ordinal()] == 0) {
            p[MarketParam.MIN_QTY.ordinal()] = step;
        }
        final long minQty = p[MarketParam.MIN_QTY.ordinal()];
        final long maxQty = p[MarketParam.MAX_QTY.ordinal()];
        final long maxPrice = p[MarketParam.MAX_PRICE.ordinal()];
        if (minQty <= 0 || minQty % step != 0 || maxQty < minQty || maxQty % step != 0
            || maxPrice < tick || maxPrice % tick != 0) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        final long maker = p[MarketParam.MAKER_FEE.ordinal()];
        final long taker = p[MarketParam.TAKER_FEE.ordinal()];
        if (taker < 0 || taker > E8 / 100 || maker > E8 / 100 || big(maker).add(big(taker)).signum() < 0) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        final long priceBand = p[MarketParam.PRICE_BAND.ordinal()];
        final long marketBand = p[MarketParam.MARKET_BAND.ordinal()];
        if (priceBand < 0 || priceBand >= E8 || marketBand <= 0 || marketBand >= E8) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        final long stp = p[MarketParam.STP.ordinal()];
        final long maxOpen = p[MarketParam.MAX_OPEN_ORDERS.ordinal()];
        final long maxLeverage = p[MarketParam.MAX_LEVERAGE.ordinal()];
        final long liquidationFee = p[MarketParam.LIQUIDATION_FEE.ordinal()];
        if (p[MarketParam.MIN_NOTIONAL.ordinal()] < 0
            || stp < 1 || stp > 4
            || maxOpen < 1 || maxOpen > 1_000_000
            || maxLeverage < 1 || maxLeverage > 1000
            || liquidationFee < 0 || liquidationFee > E8 / 10
            || p[MarketParam.FUNDING_INTERVAL.ordinal()] < 60_000
            || p[MarketParam.FUNDING_INTERVAL.ordinal()] > 366L * 24 * 3_600_000
            || p[MarketParam.FUNDING_CAP.ordinal()] < 0 || p[MarketParam.FUNDING_CAP.ordinal()] > E8 / 10
            || Math.abs(p[MarketParam.INTEREST_RATE.ordinal()]) > E8 / 100) {
            return RejectCode.INVALID_MARKET_SPEC;
        }
        return RejectCode.NONE;
    }

    // ------------------------------------------------------------------------------------------ money in and out

    private void deposit(Command c, EventBuffer out) {
        if (c.amountE8 == Command.ABSENT || c.account.isEmpty()) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        if (c.amountE8 <= 0) {
            reject(c, RejectCode.AMOUNT_MUST_BE_POSITIVE, out);
            return;
        }
        RefAccount a = accountsByName.get(key(c.account));
        if (a == null && !isLegal(c.account)) {
            reject(c, RejectCode.ILLEGAL_CHARS, out);
            return;
        }
        final BigInteger wallet = big(a == null ? 0 : a.walletE8).add(big(c.amountE8));
        final BigInteger total = big(totalDepositsE8).add(big(c.amountE8));
        if (!fitsMoney(wallet) || total.compareTo(BigInteger.ONE.shiftLeft(61)) > 0) {
            reject(c, RejectCode.OVERFLOW, out);
            return;
        }
        if (a == null) {
            a = new RefAccount(accounts.size(), c.account.toBytes());
            accounts.add(a);
            accountsByName.put(key(c.account), a);
            out.accountCreated(a.id, a.name);
        }
        a.walletE8 = wallet.longValueExact();
        totalDepositsE8 = total.longValueExact();
        emitAccount(a, AccountReason.DEPOSIT, c.amountE8, out);
    }

    private void withdraw(Command c, EventBuffer out) {
        if (c.amountE8 == Command.ABSENT) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        final RefAccount a = accountsByName.get(key(c.account));
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        if (c.amountE8 <= 0) {
            reject(c, RejectCode.AMOUNT_MUST_BE_POSITIVE, out);
            return;
        }
        if (c.amountE8 > a.walletE8) {
            reject(c, RejectCode.BALANCE_NOT_SUFFICIENT, out);
            return;
        }
        a.walletE8 -= c.amountE8;
        totalDepositsE8 -= c.amountE8;
        emitAccount(a, AccountReason.WITHDRAW, -c.amountE8, out);
    }

    private void queryAccount(Command c, EventBuffer out) {
        final RefAccount a = accountsByName.get(key(c.account));
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        emitAccount(a, AccountReason.QUERY, 0, out);
    }

    // ------------------------------------------------------------------------------------------ new orders

    private void placeOrder(Command c, EventBuffer out) {
        if (c.side == null) {
            reject(c, RejectCode.INVALID_SIDE, out);
            return;
        }
        if (c.orderType == null) {
            reject(c, RejectCode.INVALID_ORDER_TYPE, out);
            return;
        }
        final RefAccount a = accountsByName.get(key(c.account));
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        final RefMarket m = marketsBySymbol.get(key(c.symbol));
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        final RefOrder o = new RefOrder();
        final RejectCode refused = checkNewOrder(c, a, m, o);
        if (refused != RejectCode.NONE) {
            out.order(a.id, m.id, 0, c.clientId.bytes(), 0, c.clientId.length(), c.side, c.orderType,
                c.timeInForce, OrderStatus.REJECTED, ExecType.REJECTED, ExpireReason.NONE, c.reduceOnly,
                c.stpMode != null ? c.stpMode : m.defaultStp,
                c.priceE8 == Command.ABSENT ? 0 : c.priceE8, c.qtyE8 == Command.ABSENT ? 0 : c.qtyE8,
                0, 0, 0, 0, 0, refused);
            reject(c, refused, out);
            return;
        }
        o.orderId = nextOrderId++;
        o.accountId = a.id;
        o.marketId = m.id;
        o.side = c.side;
        o.type = c.orderType;
        o.reduceOnly = c.reduceOnly;
        o.timeMs = nowMs;
        o.clientId = c.clientId.toBytes();
        emitOrder(o, m, OrderStatus.NEW, ExecType.NEW, ExpireReason.NONE, 0, 0, 0, out);
        final boolean fok = o.tif == TimeInForce.FOK;
        takeLiquidityThenRestOrEnd(o, m, o.limitTicks, out);
        if (fok && o.remainingLots() == 0) {
            tally(Path.FOK_FILLED);
        }
        if (o.type == OrderType.MARKET && o.executedLots > 0) {
            tally(Path.MARKET_ORDER_FILLED);
        }
    }

    /** The checks of a new order, in the engine's order; fills the order's converted figures when it passes. */
    private RejectCode checkNewOrder(Command c, RefAccount a, RefMarket m, RefOrder o) {
        if (c.orderType != OrderType.LIMIT && c.orderType != OrderType.MARKET) {
            return RejectCode.INVALID_ORDER_TYPE;
        }
        if (!c.clientId.isEmpty()) {
            if (c.clientId.length() > MAX_CLIENT_ID_LENGTH || !isLegal(c.clientId)) {
                return RejectCode.INVALID_CL_ORD_ID_LEN;
            }
            if (findOpenByClientId(a, m, c.clientId.toBytes()) != null) {
                return RejectCode.DUPLICATED_CLIENT_ORDER_ID;
            }
        }
        final RejectCode badQty = checkQty(c.qtyE8, m);
        if (badQty != RejectCode.NONE) {
            return badQty;
        }
        long lots = c.qtyE8 / m.stepE8;
        final boolean buy = c.side == Side.BUY;
        if (c.reduceOnly) {
            final long size = a.positionLots(m.id);
            if (size == 0 || (size > 0) == buy) {
                return RejectCode.REDUCE_ONLY_REJECT;
            }
            lots = Math.min(lots, Math.abs(size));
        }
        final Long bestOpposite = m.bestPrice(!buy);
        o.origLots = lots;
        o.stp = c.stpMode != null ? c.stpMode : m.defaultStp;
        if (c.orderType == OrderType.LIMIT) {
            final TimeInForce tif = c.timeInForce != null ? c.timeInForce : TimeInForce.GTC;
            final RejectCode badPrice = checkPrice(c.priceE8, m);
            if (badPrice != RejectCode.NONE) {
                return badPrice;
            }
            final long ticks = c.priceE8 / m.tickE8;
            // a sell can trade up to the best bid, a buy never above its own price
            final long furthestTicks = buy || bestOpposite == null ? ticks : Math.max(ticks, bestOpposite);
            final RejectCode badNotional = checkNotional(ticks, furthestTicks, lots, c.reduceOnly, m);
            if (badNotional != RejectCode.NONE) {
                return badNotional;
            }
            final RejectCode outOfBand = checkPriceBand(buy, ticks, m);
            if (outOfBand != RejectCode.NONE) {
                return outOfBand;
            }
            final boolean crosses = bestOpposite != null && (buy ? ticks >= bestOpposite : ticks <= bestOpposite);
            if (tif == TimeInForce.GTX && crosses) {
                return RejectCode.GTX_ORDER_REJECT;
            }
            if (tif == TimeInForce.FOK && !wouldFillCompletely(m, buy, ticks, lots, a.id, o.stp)) {
                return RejectCode.FOK_ORDER_REJECT;
            }
            if ((tif == TimeInForce.GTC || tif == TimeInForce.GTX) && a.openOrdersIn(m.id) >= m.maxOpenOrders) {
                return RejectCode.MAX_OPEN_ORDER_EXCEEDED;
            }
            o.tif = tif;
            o.priceTicks = ticks;
            o.limitTicks = ticks;
            return RejectCode.NONE;
        }
        if (bestOpposite == null) {
            return RejectCode.UNABLE_TO_FILL;
        }
        final long referenceTicks = m.markPriceTicks > 0 ? m.markPriceTicks
            : m.lastPriceTicks > 0 ? m.lastPriceTicks : bestOpposite;
        // the protection limit, rounded inward to a whole tick
        final long limitTicks = buy
            ? floorDiv(big(referenceTicks).multiply(big(E8 + m.marketBandE8)), BIG_E8)
            : ceilDiv(big(referenceTicks).multiply(big(E8 - m.marketBandE8)), BIG_E8);
        if (buy ? bestOpposite > limitTicks : bestOpposite < limitTicks) {
            return RejectCode.MARKET_ORDER_REJECT;
        }
        final RejectCode badNotional =
            checkNotional(referenceTicks, buy ? limitTicks : bestOpposite, lots, c.reduceOnly, m);
        if (badNotional != RejectCode.NONE) {
            return badNotional;
        }
        o.tif = null;
        o.priceTicks = 0;
        o.limitTicks = limitTicks;
        return RejectCode.NONE;
    }

    private static RejectCode checkQty(long qtyE8, RefMarket m) {
        if (qtyE8 == Command.ABSENT) {
            return RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED;
        }
        if (qtyE8 <= 0) {
            return RejectCode.QTY_LESS_THAN_ZERO;
        }
        if (qtyE8 % m.stepE8 != 0) {
            return RejectCode.QTY_NOT_INCREASED_BY_STEP_SIZE;
        }
        if (qtyE8 / m.stepE8 < m.minQtyLots) {
            return RejectCode.QTY_LESS_THAN_MIN_QTY;
        }
        if (qtyE8 / m.stepE8 > m.maxQtyLots) {
            return RejectCode.QTY_GREATER_THAN_MAX_QTY;
        }
        return RejectCode.NONE;
    }

    private static RejectCode checkPrice(long priceE8, RefMarket m) {
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

    /** Both money products must fit; below the minimum notional is refused unless reduce-only. */
    private static RejectCode checkNotional(long priceTicks, long furthestTicks, long lots, boolean reduceOnly,
                                            RefMarket m) {
        final BigInteger furthest = big(furthestTicks).multiply(big(lots)).multiply(big(m.lotTickValueE8));
        final BigInteger atPrice = big(priceTicks).multiply(big(lots)).multiply(big(m.lotTickValueE8));
        if (!fitsMoney(furthest) || !fitsMoney(atPrice)) {
            return RejectCode.OVERFLOW;
        }
        if (!reduceOnly && atPrice.longValueExact() < m.minNotionalE8) {
            return RejectCode.MIN_NOTIONAL;
        }
        return RejectCode.NONE;
    }

    /** PERCENT_PRICE: a buy at most reference x (1 + band) (floored), a sell at least reference x (1 - band) (ceiled). */
    private static RejectCode checkPriceBand(boolean buy, long ticks, RefMarket m) {
        final long referenceTicks = m.markPriceTicks > 0 ? m.markPriceTicks : m.lastPriceTicks;
        if (referenceTicks == 0 || m.priceBandE8 == 0) {
            return RejectCode.NONE;
        }
        if (buy) {
            final long capTicks = floorDiv(big(referenceTicks).multiply(big(E8 + m.priceBandE8)), BIG_E8);
            return ticks > capTicks ? RejectCode.PRICE_HIGHER_THAN_MULTIPLIER_UP : RejectCode.NONE;
        }
        final long floorTicks = ceilDiv(big(referenceTicks).multiply(big(E8 - m.priceBandE8)), BIG_E8);
        return ticks < floorTicks ? RejectCode.PRICE_LOWER_THAN_MULTIPLIER_DOWN : RejectCode.NONE;
    }

    /**
     * A dry run of matching for fill-or-kill: walks the opposite side in priority order up to the limit; the
     * account's own orders are skipped under EXPIRE_MAKER (matching would expire them), end the walk under
     * EXPIRE_TAKER and EXPIRE_BOTH (matching would expire the taker there) and count as liquidity under NONE.
     */
    private static boolean wouldFillCompletely(RefMarket m, boolean buy, long limitTicks, long lots, int accountId,
                                               StpMode stp) {
        long stillNeeded = lots;
        for (Map.Entry<Long, ArrayList<RefOrder>> level : m.side(!buy).entrySet()) {
            final long price = level.getKey();
            if (buy ? price > limitTicks : price < limitTicks) {
                return false;
            }
            for (RefOrder maker : level.getValue()) {
                if (maker.accountId == accountId && stp != StpMode.NONE) {
                    if (stp == StpMode.EXPIRE_MAKER) {
                        continue;
                    }
                    return false;
                }
                stillNeeded -= maker.remainingLots();
                if (stillNeeded <= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ matching

    /** Trades the order against the book within its limit, then rests the remainder or ends the order. */
    private void takeLiquidityThenRestOrEnd(RefOrder taker, RefMarket m, long limitTicks, EventBuffer out) {
        final boolean stoppedBySelfTrade = trade(taker, m, limitTicks, out);
        if (taker.remainingLots() == 0) {
            return;
        }
        if (stoppedBySelfTrade) {
            tally(Path.STP_TAKER_EXPIRED);
            emitOrder(taker, m, OrderStatus.EXPIRED, ExecType.EXPIRED, ExpireReason.SELF_TRADE, 0, 0, 0, out);
            return;
        }
        if (taker.type == OrderType.LIMIT && (taker.tif == TimeInForce.GTC || taker.tif == TimeInForce.GTX)) {
            tally(Path.RESTED);
            rest(taker, m);
            return;
        }
        final boolean market = taker.type == OrderType.MARKET;
        tally(market ? Path.MARKET_BAND_EXPIRED : Path.IOC_EXPIRED);
        emitOrder(taker, m, OrderStatus.EXPIRED, ExecType.EXPIRED,
            market ? ExpireReason.MARKET_BAND : ExpireReason.IOC, 0, 0, 0, out);
    }

    /**
     * Takes the head of the best opposite level again and again while it is within the limit.
     *
     * @return true when self-trade prevention stopped the taker
     */
    private boolean trade(RefOrder taker, RefMarket m, long limitTicks, EventBuffer out) {
        final boolean buy = taker.side == Side.BUY;
        final TreeMap<Long, ArrayList<RefOrder>> opposite = m.side(!buy);
        while (taker.remainingLots() > 0 && !opposite.isEmpty()) {
            final long bestTicks = opposite.firstKey();
            if (buy ? bestTicks > limitTicks : bestTicks < limitTicks) {
                return false;
            }
            final RefOrder maker = opposite.get(bestTicks).get(0);
            if (maker.accountId == taker.accountId && taker.stp != StpMode.NONE) {
                if (taker.stp == StpMode.EXPIRE_MAKER || taker.stp == StpMode.EXPIRE_BOTH) {
                    tally(Path.STP_MAKER_EXPIRED);
                    unrest(maker, m);
                    emitOrder(maker, m, OrderStatus.EXPIRED, ExecType.EXPIRED, ExpireReason.SELF_TRADE, 0, 0, 0, out);
                }
                if (taker.stp == StpMode.EXPIRE_TAKER || taker.stp == StpMode.EXPIRE_BOTH) {
                    return true;
                }
                continue;
            }
            fill(taker, maker, m, out);
        }
        return false;
    }

    private void fill(RefOrder taker, RefOrder maker, RefMarket m, EventBuffer out) {
        final long lots = Math.min(taker.remainingLots(), maker.remainingLots());
        final long priceTicks = maker.priceTicks;
        final long notionalE8 = exact(big(priceTicks).multiply(big(lots)).multiply(big(m.lotTickValueE8)));
        final long takerFeeE8 = ceilDiv(big(notionalE8).multiply(big(m.takerFeeE8)), BIG_E8);
        final long makerFeeE8 = ceilDiv(big(notionalE8).multiply(big(m.makerFeeE8)), BIG_E8);
        final RefAccount takerAccount = accounts.get(taker.accountId);
        final RefAccount makerAccount = accounts.get(maker.accountId);
        takerAccount.walletE8 = Math.subtractExact(takerAccount.walletE8, takerFeeE8);
        makerAccount.walletE8 = Math.subtractExact(makerAccount.walletE8, makerFeeE8);
        m.feesCollectedE8 = Math.addExact(m.feesCollectedE8, Math.addExact(takerFeeE8, makerFeeE8));
        moved(takerAccount, m.id, taker.side == Side.BUY ? lots : -lots);
        moved(makerAccount, m.id, maker.side == Side.BUY ? lots : -lots);
        taker.executedLots += lots;
        taker.cumQuoteE8 = Math.addExact(taker.cumQuoteE8, notionalE8);
        maker.executedLots += lots;
        maker.cumQuoteE8 = Math.addExact(maker.cumQuoteE8, notionalE8);
        m.lastPriceTicks = priceTicks;
        tally(Path.FILL);
        if (taker.accountId == maker.accountId) {
            tally(Path.SELF_TRADE_FILL);
        }
        if (makerFeeE8 < 0) {
            tally(Path.REBATE_PAID);
        }

        final RefOrder buyOrder = taker.side == Side.BUY ? taker : maker;
        final RefOrder sellOrder = taker.side == Side.BUY ? maker : taker;
        out.trade(m.id, nextTradeId++, m.priceE8(priceTicks), m.qtyE8(lots), buyOrder.accountId,
            sellOrder.accountId, buyOrder.orderId, sellOrder.orderId, maker.side,
            buyOrder == taker ? takerFeeE8 : makerFeeE8, sellOrder == taker ? takerFeeE8 : makerFeeE8);
        emitOrder(maker, m, maker.status(), ExecType.TRADE, ExpireReason.NONE, lots, priceTicks, makerFeeE8, out);
        emitOrder(taker, m, taker.status(), ExecType.TRADE, ExpireReason.NONE, lots, priceTicks, takerFeeE8, out);
        if (maker.remainingLots() == 0) {
            unrest(maker, m);
        }
    }

    // ------------------------------------------------------------------------------------------ cancel, amend

    private void cancelOrder(Command c, EventBuffer out) {
        final RefAccount a = accountsByName.get(key(c.account));
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        final RefMarket m = marketsBySymbol.get(key(c.symbol));
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        if (c.clientId.isEmpty() && c.orderId <= 0) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        final RefOrder o = findNamedOrder(c, a, m);
        if (o == null) {
            reject(c, RejectCode.CANCEL_REJECTED, out);
            return;
        }
        tally(Path.CANCELLED);
        unrest(o, m);
        emitOrder(o, m, OrderStatus.CANCELED, ExecType.CANCELED, ExpireReason.NONE, 0, 0, 0, out);
    }

    private void cancelAll(Command c, EventBuffer out) {
        final RefAccount a = accountsByName.get(key(c.account));
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        final RefMarket m = marketsBySymbol.get(key(c.symbol));
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        // placement order: an order rests in the command that placed it, so ascending order id
        for (RefOrder o : new ArrayList<>(a.openOrders.values())) {
            if (o.marketId == m.id) {
                tally(Path.CANCEL_ALL_CANCELLED);
                unrest(o, m);
                emitOrder(o, m, OrderStatus.CANCELED, ExecType.CANCELED, ExpireReason.NONE, 0, 0, 0, out);
            }
        }
    }

    private void amendOrder(Command c, EventBuffer out) {
        final RefAccount a = accountsByName.get(key(c.account));
        if (a == null) {
            reject(c, RejectCode.BAD_ACCOUNT, out);
            return;
        }
        final RefMarket m = marketsBySymbol.get(key(c.symbol));
        if (m == null) {
            reject(c, RejectCode.BAD_SYMBOL, out);
            return;
        }
        if (c.clientId.isEmpty() && c.orderId <= 0) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        final RefOrder o = findNamedOrder(c, a, m);
        if (o == null) {
            reject(c, RejectCode.NO_SUCH_ORDER, out);
            return;
        }
        if (o.type != OrderType.LIMIT) {
            reject(c, RejectCode.LIMIT_ORDER_ONLY, out);
            return;
        }
        if (c.priceE8 == Command.ABSENT && c.qtyE8 == Command.ABSENT) {
            reject(c, RejectCode.MANDATORY_PARAM_EMPTY_OR_MALFORMED, out);
            return;
        }
        long newTicks = o.priceTicks;
        if (c.priceE8 != Command.ABSENT) {
            final RejectCode badPrice = checkPrice(c.priceE8, m);
            if (badPrice != RejectCode.NONE) {
                reject(c, badPrice, out);
                return;
            }
            newTicks = c.priceE8 / m.tickE8;
        }
        long newLots = o.origLots;
        if (c.qtyE8 != Command.ABSENT) {
            final RejectCode badQty = checkQty(c.qtyE8, m);
            if (badQty != RejectCode.NONE) {
                reject(c, badQty, out);
                return;
            }
            newLots = c.qtyE8 / m.stepE8;
        }
        if (newTicks == o.priceTicks && newLots == o.origLots) {
            reject(c, RejectCode.SAME_ORDER, out);
            return;
        }
        final boolean buy = o.side == Side.BUY;
        final Long bestOpposite = m.bestPrice(!buy);
        final long furthestTicks = buy || bestOpposite == null ? newTicks : Math.max(newTicks, bestOpposite);
        final RejectCode badNotional = checkNotional(newTicks, furthestTicks, newLots, o.reduceOnly, m);
        if (badNotional != RejectCode.NONE) {
            reject(c, badNotional, out);
            return;
        }
        if (newLots > o.executedLots && !fitsMoney(big(o.cumQuoteE8)
            .add(big(furthestTicks).multiply(big(newLots - o.executedLots)).multiply(big(m.lotTickValueE8))))) {
            reject(c, RejectCode.OVERFLOW, out);
            return;
        }
        if (newTicks != o.priceTicks) {
            final RejectCode outOfBand = checkPriceBand(buy, newTicks, m);
            if (outOfBand != RejectCode.NONE) {
                reject(c, outOfBand, out);
                return;
            }
        }

        if (newLots <= o.executedLots) {
            tally(Path.AMEND_CANCELLED_AT_EXECUTED);
            unrest(o, m);
            emitOrder(o, m, OrderStatus.CANCELED, ExecType.CANCELED, ExpireReason.AMEND, 0, 0, 0, out);
            return;
        }
        if (newTicks == o.priceTicks && newLots < o.origLots) {
            tally(Path.AMEND_KEPT_PRIORITY);
            o.origLots = newLots;
            emitOrder(o, m, o.status(), ExecType.AMENDMENT, ExpireReason.NONE, 0, 0, 0, out);
            return;
        }
        tally(Path.AMEND_REENTERED);
        unrest(o, m);
        o.priceTicks = newTicks;
        o.origLots = newLots;
        emitOrder(o, m, o.status(), ExecType.AMENDMENT, ExpireReason.NONE, 0, 0, 0, out);
        final boolean crosses = bestOpposite != null && (buy ? newTicks >= bestOpposite : newTicks <= bestOpposite);
        if (crosses && o.tif == TimeInForce.GTX) {
            tally(Path.AMEND_POST_ONLY_CANCELLED);
            emitOrder(o, m, OrderStatus.CANCELED, ExecType.CANCELED, ExpireReason.AMEND, 0, 0, 0, out);
            return;
        }
        final long executedBefore = o.executedLots;
        takeLiquidityThenRestOrEnd(o, m, newTicks, out);
        if (o.executedLots > executedBefore) {
            tally(Path.AMEND_REENTERED_AND_TRADED);
        }
    }

    /** The open order a cancel or amend names: by order id when one is given (Binance), else by client order id. */
    private RefOrder findNamedOrder(Command c, RefAccount a, RefMarket m) {
        if (c.orderId > 0) {
            final RefOrder o = restingByOrderId.get(c.orderId);
            return o != null && o.accountId == a.id && o.marketId == m.id ? o : null;
        }
        if (!c.clientId.isEmpty()) {
            return c.clientId.length() > MAX_CLIENT_ID_LENGTH ? null : findOpenByClientId(a, m, c.clientId.toBytes());
        }
        return null;
    }

    private static RefOrder findOpenByClientId(RefAccount a, RefMarket m, byte[] clientId) {
        for (RefOrder o : a.openOrders.values()) {
            if (o.marketId == m.id && o.clientId.length > 0 && Arrays.equals(o.clientId, clientId)) {
                return o;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ book keeping

    /** Appends the order at the back of its price level and registers it as open. */
    private void rest(RefOrder o, RefMarket m) {
        m.side(o.side == Side.BUY).computeIfAbsent(o.priceTicks, p -> new ArrayList<>()).add(o);
        restingByOrderId.put(o.orderId, o);
        accounts.get(o.accountId).openOrders.put(o.orderId, o);
    }

    /** Takes a resting order out of its level (dropping an emptied level) and out of the open orders. */
    private void unrest(RefOrder o, RefMarket m) {
        final TreeMap<Long, ArrayList<RefOrder>> side = m.side(o.side == Side.BUY);
        final ArrayList<RefOrder> level = side.get(o.priceTicks);
        if (level == null || !level.remove(o)) {
            throw new IllegalStateException("order " + o.orderId + " is not resting at " + o.priceTicks);
        }
        if (level.isEmpty()) {
            side.remove(o.priceTicks);
        }
        restingByOrderId.remove(o.orderId);
        accounts.get(o.accountId).openOrders.remove(o.orderId);
    }

    // ------------------------------------------------------------------------------------------ events

    private void emitOrder(RefOrder o, RefMarket m, OrderStatus status, ExecType exec, ExpireReason why,
                           long lastLots, long lastPriceTicks, long lastFeeE8, EventBuffer out) {
        out.order(o.accountId, m.id, o.orderId, o.clientId, 0, o.clientId.length, o.side, o.type, o.tif,
            status, exec, why, o.reduceOnly, o.stp, m.priceE8(o.priceTicks), m.qtyE8(o.origLots),
            m.qtyE8(o.executedLots), o.cumQuoteE8, m.qtyE8(lastLots), m.priceE8(lastPriceTicks), lastFeeE8,
            RejectCode.NONE);
    }

    private static void emitAccount(RefAccount a, AccountReason reason, long changeE8, EventBuffer out) {
        out.account(a.id, reason, a.walletE8, a.walletE8, 0, a.walletE8, changeE8);
    }

    private void reject(Command c, RejectCode code, EventBuffer out) {
        out.reject(c.type, code, c.account, c.symbol, c.clientId, c.orderId);
    }

    private void tally(Path path) {
        pathCounts.merge(path, 1L, Long::sum);
    }

    // ------------------------------------------------------------------------------------------ state

    /** The hash of {@code Engine.bookHash()}: the same entities with the same fields in the same order. */
    public long stateHash() {
        final StateHash hash = new StateHash();
        hash.entity(StateHash.KIND_COUNTERS)
            .add(nextOrderId).add(nextTradeId).add(markets.size()).add(accounts.size())
            .done();
        for (RefMarket m : markets) {
            final StateHash.Entity e = hash.entity(StateHash.KIND_MARKET).add(m.id).add(m.symbol, 0, m.symbol.length);
            for (long v : m.params) {
                e.add(v);
            }
            e.add(m.lastPriceTicks).add(m.feesCollectedE8).done();
            for (TreeMap<Long, ArrayList<RefOrder>> side : List.of(m.bids, m.asks)) {
                for (ArrayList<RefOrder> level : side.values()) {
                    for (int rank = 0; rank < level.size(); rank++) {
                        final RefOrder o = level.get(rank);
                        hash.entity(StateHash.KIND_ORDER)
                            .add(o.orderId).add(o.accountId).add(o.marketId)
                            .add(o.side.code()).add(o.type.code()).add(o.tif == null ? 0 : o.tif.code())
                            .add(o.reduceOnly ? 1 : 0).add(o.stp.code())
                            .add(o.priceTicks).add(o.origLots).add(o.executedLots).add(o.cumQuoteE8)
                            .add(o.timeMs)
                            .add(o.clientId.length == 0 ? 0 : Name.hash(o.clientId, 0, o.clientId.length))
                            .add(rank)
                            .done();
                    }
                }
            }
        }
        for (RefAccount a : accounts) {
            hash.entity(StateHash.KIND_ACCOUNT).add(a.id).add(a.name, 0, a.name.length).done();
        }
        return hash.value();
    }

    /** How often a rule branch was taken since this engine was created. */
    public long count(Path path) {
        return pathCounts.getOrDefault(path, 0L);
    }

    public int marketCount() {
        return markets.size();
    }

    public int accountCount() {
        return accounts.size();
    }

    public long walletE8(int accountId) {
        return accounts.get(accountId).walletE8;
    }

    public long feesCollectedE8(int marketId) {
        return markets.get(marketId).feesCollectedE8;
    }

    public long lastPriceTicks(int marketId) {
        return markets.get(marketId).lastPriceTicks;
    }

    public int openOrderCount() {
        return restingByOrderId.size();
    }

    /**
     * One side of a market's book, best level first: for each level {price ticks, order count, remaining lots}.
     * For failure reports.
     */
    public List<long[]> levels(int marketId, boolean bids) {
        final List<long[]> result = new ArrayList<>();
        for (Map.Entry<Long, ArrayList<RefOrder>> level : markets.get(marketId).side(bids).entrySet()) {
            long lots = 0;
            for (RefOrder o : level.getValue()) {
                lots += o.remainingLots();
            }
            result.add(new long[] {level.getKey(), level.getValue().size(), lots});
        }
        return Collections.unmodifiableList(result);
    }

    // ------------------------------------------------------------------------------------------ arithmetic

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    /** The engine's money range: a long, with {@code Long.MIN_VALUE} reserved as its overflow sentinel. */
    private static boolean fitsMoney(BigInteger v) {
        return v.bitLength() < 64 && v.longValue() != Long.MIN_VALUE;
    }

    private static long exact(BigInteger v) {
        if (!fitsMoney(v)) {
            throw new ArithmeticException("out of the money range: " + v);
        }
        return v.longValue();
    }

    private static long floorDiv(BigInteger a, BigInteger d) {
        final BigInteger[] qr = a.divideAndRemainder(d);
        return exact(qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0]);
    }

    private static long ceilDiv(BigInteger a, BigInteger d) {
        final BigInteger[] qr = a.divideAndRemainder(d);
        return exact(qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0]);
    }

    // ------------------------------------------------------------------------------------------ names

    private static String key(Name name) {
        return new String(name.bytes(), 0, name.length(), StandardCharsets.ISO_8859_1);
    }

    /** Binance's identifier characters: {@code [A-Za-z0-9._:/-]}. */
    private static boolean isLegal(Name name) {
        for (int i = 0; i < name.length(); i++) {
            final char ch = (char) (name.byteAt(i) & 0xff);
            final boolean legal = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                || ".:_/-".indexOf(ch) >= 0;
            if (!legal) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------ entities

    /** A market: its parameters, the figures derived from them, its two sides and its running totals. */
    private static final class RefMarket {
        final int id;
        final byte[] symbol;
        long[] params;
        long tickE8;
        long stepE8;
        long lotTickValueE8;
        long minQtyLots;
        long maxQtyLots;
        long maxPriceTicks;
        long minNotionalE8;
        long makerFeeE8;
        long takerFeeE8;
        long priceBandE8;
        long marketBandE8;
        StpMode defaultStp;
        long maxOpenOrders;

        long lastPriceTicks;
        /** Always 0: nothing in the modelled commands sets a mark. */
        long markPriceTicks;
        long feesCollectedE8;

        /** Price levels, best first: bids highest first, asks lowest first; each level in time priority. */
        final TreeMap<Long, ArrayList<RefOrder>> bids = new TreeMap<>(Collections.reverseOrder());
        final TreeMap<Long, ArrayList<RefOrder>> asks = new TreeMap<>();

        RefMarket(int id, byte[] symbol) {
            this.id = id;
            this.symbol = symbol;
        }

        void install(long[] p) {
            params = p.clone();
            tickE8 = p[MarketParam.TICK.ordinal()];
            stepE8 = p[MarketParam.STEP.ordinal()];
            lotTickValueE8 = exact(big(tickE8).multiply(big(stepE8)).divide(BIG_E8));
            minQtyLots = p[MarketParam.MIN_QTY.ordinal()] / stepE8;
            maxQtyLots = p[MarketParam.MAX_QTY.ordinal()] / stepE8;
            maxPriceTicks = p[MarketParam.MAX_PRICE.ordinal()] / tickE8;
            minNotionalE8 = p[MarketParam.MIN_NOTIONAL.ordinal()];
            makerFeeE8 = p[MarketParam.MAKER_FEE.ordinal()];
            takerFeeE8 = p[MarketParam.TAKER_FEE.ordinal()];
            priceBandE8 = p[MarketParam.PRICE_BAND.ordinal()];
            marketBandE8 = p[MarketParam.MARKET_BAND.ordinal()];
            defaultStp = StpMode.fromCode(Math.toIntExact(p[MarketParam.STP.ordinal()]));
            maxOpenOrders = p[MarketParam.MAX_OPEN_ORDERS.ordinal()];
        }

        TreeMap<Long, ArrayList<RefOrder>> side(boolean bidSide) {
            return bidSide ? bids : asks;
        }

        /** Best price of a side, or null when it is empty. */
        Long bestPrice(boolean bidSide) {
            final TreeMap<Long, ArrayList<RefOrder>> side = side(bidSide);
            return side.isEmpty() ? null : side.firstKey();
        }

        int restingOrderCount() {
            int n = 0;
            for (ArrayList<RefOrder> level : bids.values()) {
                n += level.size();
            }
            for (ArrayList<RefOrder> level : asks.values()) {
                n += level.size();
            }
            return n;
        }

        long priceE8(long ticks) {
            return Math.multiplyExact(ticks, tickE8);
        }

        long qtyE8(long lots) {
            return Math.multiplyExact(lots, stepE8);
        }
    }

    /** An account: wallet and open orders by order id (ascending order id is placement order). */
    /** Accounts whose position moved in this command, in the order they first moved, with the markets. */
    private final Map<RefAccount, java.util.TreeSet<Integer>> movedThisCommand = new java.util.LinkedHashMap<>();

    private void moved(RefAccount a, int marketId, long deltaLots) {
        a.positions.merge(marketId, deltaLots, Long::sum);
        movedThisCommand.computeIfAbsent(a, k -> new java.util.TreeSet<>()).add(marketId);
    }

    /**
     * Reduce-only orders never outgrow their position: after a command, for every position that moved (accounts in
     * the order they first moved, markets ascending), its reduce-only orders, oldest first, expire when the
     * position is flat or on their side and are cut to its size when larger.
     */
    private void fitReduceOnlyOrders(EventBuffer out) {
        for (Map.Entry<RefAccount, java.util.TreeSet<Integer>> e : movedThisCommand.entrySet()) {
            final RefAccount a = e.getKey();
            for (int marketId : e.getValue()) {
                final RefMarket m = markets.get(marketId);
                final long size = a.positionLots(marketId);
                for (RefOrder o : new ArrayList<>(a.openOrders.values())) {
                    if (o.marketId != marketId || !o.reduceOnly) {
                        continue;
                    }
                    if (size == 0 || (size > 0) == (o.side == Side.BUY)) {
                        unrest(o, m);
                        emitOrder(o, m, OrderStatus.EXPIRED, ExecType.EXPIRED, ExpireReason.REDUCE_ONLY, 0, 0, 0, out);
                    } else if (o.remainingLots() > Math.abs(size)) {
                        final long cut = o.remainingLots() - Math.abs(size);
                        o.origLots -= cut;
                        emitOrder(o, m, o.status(), ExecType.AMENDMENT, ExpireReason.REDUCE_ONLY, 0, 0, 0, out);
                    }
                }
            }
        }
        movedThisCommand.clear();
    }

    private static final class RefAccount {
        final int id;
        final byte[] name;
        long walletE8;
        final TreeMap<Long, RefOrder> openOrders = new TreeMap<>();
        /** Net position in lots by market id. */
        final Map<Integer, Long> positions = new HashMap<>();

        long positionLots(int marketId) {
            return positions.getOrDefault(marketId, 0L);
        }

        RefAccount(int id, byte[] name) {
            this.id = id;
            this.name = name;
        }

        int openOrdersIn(int marketId) {
            int n = 0;
            for (RefOrder o : openOrders.values()) {
                if (o.marketId == marketId) {
                    n++;
                }
            }
            return n;
        }
    }

    /** An order. Market orders have price 0 and no time in force; {@code clientId} is empty when none was given. */
    private static final class RefOrder {
        long orderId;
        int accountId;
        int marketId;
        Side side;
        OrderType type;
        TimeInForce tif;
        boolean reduceOnly;
        StpMode stp;
        long priceTicks;
        /** The price matching may reach: the limit price, or a market order's protection limit. */
        long limitTicks;
        long origLots;
        long executedLots;
        long cumQuoteE8;
        long timeMs;
        byte[] clientId;

        long remainingLots() {
            return origLots - executedLots;
        }

        OrderStatus status() {
            return executedLots == 0 ? OrderStatus.NEW
                : executedLots < origLots ? OrderStatus.PARTIALLY_FILLED : OrderStatus.FILLED;
        }
    }
}
