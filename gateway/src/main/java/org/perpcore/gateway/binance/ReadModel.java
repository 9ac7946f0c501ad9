package org.perpcore.gateway.binance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.num.Fixed;

/**
 * The gateway's picture of the exchange, maintained from the engine's events only (the gateway never asks the
 * engine's objects anything): markets and their tiers, order books' depth, open orders per account, orders by id,
 * trades, candles, marks and funding, accounts' last figures. It holds no rule of the exchange: every number in it
 * is one the engine emitted, or an aggregate of them (depth, candles, 24-hour statistics).
 *
 * <p>Single-threaded: only the output stage's thread calls it, one command at a time, in sequence order; request
 * handlers read it through that same thread (see {@code GatewayOutput}).
 */
public final class ReadModel {
    /**
     * Closed orders stay queryable (GET /fapi/v1/order) until this many newer ones closed. Few enough that a
     * closed order usually dies young: history kept for long is copied by every young collection (measured: GC
     * pauses of 100-250 ms at 10 k orders/s with 200,000 kept).
     */
    static final int CLOSED_ORDERS_KEPT = 10_000;

    private final List<MarketView> markets = new ArrayList<>();
    private final HashMap<String, MarketView> marketsBySymbol = new HashMap<>();
    private final List<AccountView> accounts = new ArrayList<>();
    private final HashMap<String, AccountView> accountsByName = new HashMap<>();
    private final HashMap<Long, OrderView> orders = new HashMap<>();
    private final ArrayDeque<OrderView> closed = new ArrayDeque<>();

    private long seq;
    private long nowMs;
    /** The last TRADE of the current command: its id and the order ids of its maker and taker. */
    long lastTradeId;
    long lastMakerOrderId;
    private final List<MarketView> bookChanged = new ArrayList<>();

    public void beginCommand(long seq, long tsMs) {
        this.seq = seq;
        this.nowMs = tsMs;
        bookChanged.clear();
        lastTradeId = 0;
    }

    public long nowMs() {
        return nowMs;
    }

    public long seq() {
        return seq;
    }

    /** Id of the last TRADE applied in the current command (0: none yet). */
    public long lastTradeId() {
        return lastTradeId;
    }

    /** The maker's order id of the last TRADE applied in the current command. */
    public long lastMakerOrderId() {
        return lastMakerOrderId;
    }

    // ------------------------------------------------------------------------------------------ lookups

    public List<MarketView> markets() {
        return markets;
    }

    public MarketView market(int id) {
        return id >= 0 && id < markets.size() ? markets.get(id) : null;
    }

    public MarketView market(String symbol) {
        return symbol == null ? null : marketsBySymbol.get(symbol);
    }

    public AccountView account(int id) {
        return id >= 0 && id < accounts.size() ? accounts.get(id) : null;
    }

    public AccountView account(String name) {
        return name == null ? null : accountsByName.get(name);
    }

    public String accountName(int id) {
        final AccountView a = account(id);
        return a == null ? "#" + id : a.name;
    }

    public OrderView order(long orderId) {
        return orders.get(orderId);
    }

    /** Markets whose book changed in the current command, in the order they first changed. */
    public List<MarketView> bookChanged() {
        return bookChanged;
    }

    // ------------------------------------------------------------------------------------------ events

    /** Applies one decoded event of the current command. */
    public void apply(EventView e) {
        switch (e.type) {
            case MARKET -> market(e);
            case ACCOUNT_CREATED -> {
                final String name = e.name.toString();
                while (accounts.size() <= e.account) {
                    accounts.add(null);
                }
                final AccountView a = new AccountView(e.account, name);
                accounts.set(e.account, a);
                accountsByName.put(name, a);
            }
            case BRACKET -> {
                final MarketView m = market(e.market);
                if (m != null) {
                    if (e.tier == 0) {
                        m.brackets.clear();
                    }
                    m.brackets.add(new long[] {e.floorE8, e.mmrE8, e.cumE8, e.leverage});
                }
            }
            case ORDER -> order(e);
            case TRADE -> trade(e);
            case MARK -> {
                final MarketView m = market(e.market);
                if (m != null) {
                    m.markE8 = e.markE8;
                    m.indexE8 = e.indexE8;
                    m.fundingRateE8 = e.fundingRateE8;
                    m.nextFundingTimeMs = e.nextFundingTimeMs;
                }
            }
            case FUNDING -> {
                final MarketView m = market(e.market);
                if (m != null && e.account < 0) {
                    m.addFunding(nowMs, e.fundingRateE8, e.markE8);
                }
            }
            case ACCOUNT -> {
                final AccountView a = account(e.account);
                if (a != null) {
                    a.walletE8 = e.walletE8;
                    a.marginBalanceE8 = e.marginBalanceE8;
                    a.maintMarginE8 = e.maintMarginE8;
                    a.availableE8 = e.availableE8;
                    a.updateTimeMs = nowMs;
                }
            }
            case POSITION -> {
                final AccountView a = account(e.account);
                if (a != null) {
                    final AccountView.PositionFigures p =
                        a.positions.computeIfAbsent(e.market, AccountView.PositionFigures::new);
                    p.qtyE8 = e.qtyE8;
                    p.costE8 = e.costE8;
                    p.markE8 = e.markE8;
                    p.unrealizedPnlE8 = e.unrealizedPnlE8;
                    p.liquidationPriceE8 = e.liquidationPriceE8 == Long.MAX_VALUE ? 0 : e.liquidationPriceE8;
                    p.notionalE8 = e.qtyE8 < 0 ? -e.notionalE8 : e.notionalE8;
                    p.isolated = e.isolated;
                    p.isolatedMarginE8 = e.isolatedMarginE8;
                    p.leverage = e.leverage;
                    p.maintMarginE8 = e.maintMarginE8;
                    p.adl = e.adlQuantile;
                    p.realizedPnlE8 = e.realizedPnlE8;
                    if (e.accountReason != org.perpcore.core.model.AccountReason.QUERY) {
                        p.updateTimeMs = nowMs;
                    }
                }
            }
            default -> {
            }
        }
    }

    private void market(EventView e) {
        final String symbol = e.symbol.toString();
        MarketView m = market(e.market);
        if (m == null) {
            while (markets.size() <= e.market) {
                markets.add(null);
            }
            m = new MarketView(e.market, symbol);
            m.createdMs = nowMs;
            markets.set(e.market, m);
            marketsBySymbol.put(symbol, m);
        }
        System.arraycopy(e.marketParams, 0, m.params, 0, MarketParam.COUNT);
        m.priceDecimals = Fixed.decimalsOf(m.tickE8());
        m.qtyDecimals = Fixed.decimalsOf(m.stepE8());
    }

    private void order(EventView e) {
        final MarketView m = market(e.market);
        final AccountView a = account(e.account);
        if (m == null || a == null) {
            return;
        }
        if (e.orderId == 0) {
            return; // a refused order never existed
        }
        OrderView o = orders.get(e.orderId);
        if (e.status == OrderStatus.REJECTED && o == null) {
            return;
        }
        if (o == null) {
            o = new OrderView(e.orderId, e.account, m);
            o.timeMs = nowMs;
            o.clientOrderId = e.clientId.toString(); // an order keeps its client id: read it once
            orders.put(e.orderId, o);
            a.addOrder(o);
            a.byClientId.put(o.clientOrderId, o);
        }
        o.side = e.side;
        o.type = e.orderType;
        o.timeInForce = e.timeInForce;
        o.stpMode = e.stpMode;
        o.reduceOnly = e.reduceOnly;
        o.status = e.status;
        o.priceE8 = e.priceE8;
        o.origQtyE8 = e.origQtyE8;
        o.executedQtyE8 = e.executedQtyE8;
        o.cumQuoteE8 = e.cumQuoteE8;
        o.updateTimeMs = nowMs;
        if (e.conditional) {
            o.conditional = true;
            o.workingType = e.workingType;
            o.closePosition = e.closePosition;
            o.priceProtect = e.priceProtect;
            o.stopPriceE8 = e.stopPriceE8;
            o.activationPriceE8 = e.activationPriceE8;
            o.callbackRateE8 = e.callbackRateE8;
        }
        if (e.execType == ExecType.TRIGGERED || e.status == OrderStatus.TRIGGERED) {
            o.triggered = true;
            o.triggerTimeMs = nowMs;
        }
        if (e.status == OrderStatus.REJECTED) {
            // a conditional order whose fired order was refused (the only REJECTED event with an order id)
            o.rejectMsg = e.reject == null ? "Rejected." : e.reject.message();
        }
        if (o.isOpen()) {
            a.openOrders.put(o.orderId, o);
        } else if (a.openOrders.remove(o.orderId) != null || o.timeMs == nowMs) {
            closed.addLast(o);
            if (closed.size() > CLOSED_ORDERS_KEPT) {
                final OrderView old = closed.removeFirst();
                orders.remove(old.orderId);
                final AccountView owner = account(old.accountId);
                if (owner != null && owner.byClientId.get(old.clientOrderId) == old) {
                    owner.byClientId.remove(old.clientOrderId);
                }
            }
        }
        // depth: what the order now holds in the book, against what it held
        // a fired STOP / TAKE_PROFIT rests as a limit order; its status stays TRIGGERED until it trades
        final boolean rests = o.isOpen() && (o.type == OrderType.LIMIT
            || ((o.type == OrderType.STOP || o.type == OrderType.TAKE_PROFIT) && o.triggered));
        final long newQty = rests ? o.origQtyE8 - o.executedQtyE8 : 0;
        final long newPrice = rests ? o.priceE8 : 0;
        if (newQty != o.bookQtyE8 || newPrice != o.bookPriceE8) {
            final boolean bid = o.side == Side.BUY;
            if (o.bookQtyE8 != 0) {
                m.addLevel(bid, o.bookPriceE8, -o.bookQtyE8);
            }
            if (newQty != 0) {
                m.addLevel(bid, newPrice, newQty);
            }
            o.bookQtyE8 = newQty;
            o.bookPriceE8 = newPrice;
            if (!bookChanged.contains(m)) {
                bookChanged.add(m);
            }
        }
    }

    private void trade(EventView e) {
        final MarketView m = market(e.market);
        if (m == null) {
            return;
        }
        final boolean buyerMaker = e.makerSide == Side.BUY;
        m.addTrade(e.tradeId, e.priceE8, e.qtyE8, nowMs, buyerMaker, !buyerMaker);
        lastTradeId = e.tradeId;
        lastMakerOrderId = buyerMaker ? e.buyOrderId : e.sellOrderId;
        final long quote = Fixed.mulDivFloor(e.priceE8, e.qtyE8, Fixed.E8);
        final AccountView buyer = account(e.buyer);
        if (buyer != null) {
            buyer.addTrade(new long[] {e.tradeId, e.market, e.buyOrderId, 1, e.priceE8, e.qtyE8, quote, e.buyerFeeE8,
                0, buyerMaker ? 1 : 0, nowMs});
        }
        final AccountView seller = account(e.seller);
        if (seller != null) {
            seller.addTrade(new long[] {e.tradeId, e.market, e.sellOrderId, 0, e.priceE8, e.qtyE8, quote,
                e.sellerFeeE8, 0, buyerMaker ? 0 : 1, nowMs});
        }
    }

    /** Ends the book changes of the current command: returns whether {@code m}'s book changed, and moves its ids. */
    public boolean closeBookUpdate(MarketView m) {
        m.prevBookUpdateId = m.bookUpdateId;
        m.bookUpdateId = seq;
        return true;
    }

    /** The level changes of {@code m} in the current command, then forgets them. */
    public void drainChanges(MarketView m, List<long[]> bids, List<long[]> asks) {
        for (Long p : m.changedBids.keySet()) {
            bids.add(new long[] {p, m.levelQty(true, p)});
        }
        for (Long p : m.changedAsks.keySet()) {
            asks.add(new long[] {p, m.levelQty(false, p)});
        }
        m.changedBids.clear();
        m.changedAsks.clear();
    }
}
