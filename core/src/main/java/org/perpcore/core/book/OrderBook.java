package org.perpcore.core.book;

import org.perpcore.core.model.Side;

/**
 * The limit order book of one market: bids and asks of price levels, each a FIFO of orders (price-time priority).
 * Pure structure: it links and unlinks orders and keeps level totals; matching rules live in the engine.
 */
public final class OrderBook {
    private final OrderStore orders;
    private final LevelStore levels;
    private final BookSide bids = new BookSide(true);
    private final BookSide asks = new BookSide(false);
    private int orderCount;

    public OrderBook(OrderStore orders, LevelStore levels) {
        this.orders = orders;
        this.levels = levels;
    }

    public BookSide bids() {
        return bids;
    }

    public BookSide asks() {
        return asks;
    }

    public BookSide side(Side side) {
        return side == Side.BUY ? bids : asks;
    }

    public BookSide side(byte sideCode) {
        return sideCode == Side.BUY.code() ? bids : asks;
    }

    /** Resting orders in this book. */
    public int orderCount() {
        return orderCount;
    }

    public LevelStore levels() {
        return levels;
    }

    /** Appends a resting order at the tail of its price level, creating the level if needed. */
    public void add(int order) {
        final BookSide side = side(orders.side(order));
        final long price = orders.price(order);
        int level = side.find(price);
        if (level == OrderStore.NONE) {
            level = levels.allocate(price);
            side.insert(price, level);
        }
        final int tail = levels.tail(level);
        orders.prev(order, tail);
        orders.next(order, OrderStore.NONE);
        if (tail == OrderStore.NONE) {
            levels.head(level, order);
        } else {
            orders.next(tail, order);
        }
        levels.tail(level, order);
        levels.count(level, levels.count(level) + 1);
        levels.lots(level, levels.lots(level) + orders.remainingLots(order));
        orders.level(order, level);
        orderCount++;
    }

    /** Unlinks a resting order; removes its level when it was the last one there. */
    public void remove(int order) {
        final int level = orders.level(order);
        final int prev = orders.prev(order);
        final int next = orders.next(order);
        if (prev == OrderStore.NONE) {
            levels.head(level, next);
        } else {
            orders.next(prev, next);
        }
        if (next == OrderStore.NONE) {
            levels.tail(level, prev);
        } else {
            orders.prev(next, prev);
        }
        levels.lots(level, levels.lots(level) - orders.remainingLots(order));
        final int count = levels.count(level) - 1;
        levels.count(level, count);
        orders.level(order, OrderStore.NONE);
        orders.prev(order, OrderStore.NONE);
        orders.next(order, OrderStore.NONE);
        orderCount--;
        if (count == 0) {
            side(orders.side(order)).remove(levels.price(level));
            levels.free(level);
        }
    }

    /**
     * Records that a resting order's remaining quantity dropped by {@code lots} (a fill or a quantity-down
     * amend); the caller updates the order itself. Priority is kept.
     */
    public void reduce(int order, long lots) {
        final int level = orders.level(order);
        levels.lots(level, levels.lots(level) - lots);
    }
}
