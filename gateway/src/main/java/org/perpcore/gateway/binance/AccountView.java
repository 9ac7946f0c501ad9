package org.perpcore.gateway.binance;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** An account as the engine's events last described it. Owned by the output stage's thread. */
public final class AccountView {
    static final int TRADE_HISTORY = 500;

    public final int id;
    public final String name;
    public final LinkedHashMap<Long, OrderView> openOrders = new LinkedHashMap<>();
    /** The latest order with each client order id. */
    public final HashMap<String, OrderView> byClientId = new HashMap<>();
    /** Positions by market id: the last POSITION event's figures. */
    public final Map<Integer, PositionFigures> positions = new HashMap<>();
    /** The last ACCOUNT event's figures. */
    public long walletE8;
    public long marginBalanceE8;
    public long maintMarginE8;
    public long availableE8;
    public long updateTimeMs;
    /**
     * Own trades: tradeId, marketId, orderId, side (1 buy), price, qty, quoteQty, commission, realizedPnl, maker
     * (0/1), time.
     */
    public final ArrayDeque<long[]> trades = new ArrayDeque<>();
    /** The account's most recent orders, open or not (GET /fapi/v1/allOrders). */
    public final ArrayDeque<OrderView> recentOrders = new ArrayDeque<>();

    AccountView(int id, String name) {
        this.id = id;
        this.name = name;
    }

    /** Wallet balance outside isolated positions (Binance's crossWalletBalance). */
    public long crossWalletE8() {
        long w = walletE8;
        for (PositionFigures p : positions.values()) {
            if (p.isolated) {
                w -= p.isolatedMarginE8;
            }
        }
        return w;
    }

    void addOrder(OrderView o) {
        recentOrders.addLast(o);
        if (recentOrders.size() > TRADE_HISTORY) {
            recentOrders.removeFirst();
        }
    }

    void addTrade(long[] t) {
        trades.addLast(t);
        if (trades.size() > TRADE_HISTORY) {
            trades.removeFirst();
        }
    }

    /** A position's figures from its last POSITION event. */
    public static final class PositionFigures {
        public final int marketId;
        public long qtyE8;
        public long costE8;
        public long markE8;
        public long unrealizedPnlE8;
        public long liquidationPriceE8;
        public long notionalE8;
        public boolean isolated;
        public long isolatedMarginE8;
        public int leverage = 20;
        public long maintMarginE8;
        public int adl;
        public long realizedPnlE8;
        public long updateTimeMs;

        PositionFigures(int marketId) {
            this.marketId = marketId;
        }

        public long entryPriceE8() {
            return qtyE8 == 0 ? 0 : org.perpcore.core.num.Fixed.mulDivFloor(Math.abs(costE8), org.perpcore.core.num.Fixed.E8,
                Math.abs(qtyE8));
        }
    }
}
