package org.perpcore.core.engine;

import java.util.Arrays;
import org.perpcore.core.book.OrderStore;

/** An account: its wallet and its open orders (a list threaded through the order store, in placement order). */
public final class Account {
    private final int id;
    private final byte[] name;

    long walletE8;
    int firstOrder = OrderStore.NONE;
    int lastOrder = OrderStore.NONE;
    private int[] openOrders = new int[2];

    Account(int id, byte[] name) {
        this.id = id;
        this.name = name;
    }

    public int id() {
        return id;
    }

    /** Name bytes. Read only. */
    public byte[] name() {
        return name;
    }

    public String nameString() {
        return new String(name, java.nio.charset.StandardCharsets.US_ASCII);
    }

    public long walletE8() {
        return walletE8;
    }

    /** Open orders of this account in a market. */
    public int openOrders(int marketId) {
        return marketId < openOrders.length ? openOrders[marketId] : 0;
    }

    void addOpenOrders(int marketId, int delta) {
        if (marketId >= openOrders.length) {
            openOrders = Arrays.copyOf(openOrders, Math.max(marketId + 1, openOrders.length * 2));
        }
        openOrders[marketId] += delta;
    }
}
