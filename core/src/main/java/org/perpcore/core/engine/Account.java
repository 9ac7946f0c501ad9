package org.perpcore.core.engine;

import java.util.Arrays;
import org.perpcore.core.book.OrderStore;
import org.perpcore.core.command.Name;

/**
 * An account: its wallet and its open orders.
 *
 * <p>Open orders are kept as (order id, handle) pairs appended in placement order and forgotten lazily: retiring an
 * order touches nothing here but a counter (an entry is live while the order store still holds that id at that
 * handle), and the dead entries are squeezed out when the array fills. Unlinking an order from a per-account list
 * used to cost two cache misses on neighbouring orders for every cancel and fill.
 */
public final class Account {
    private final int id;
    private final byte[] name;
    /**
     * The first 16 bytes of the name ({@link Name#word}): a lookup compares them here, in the object it loads
     * anyway, instead of following the name array to another cache line.
     */
    private final long nameWord0;
    private final long nameWord1;
    private final int nameLength;

    long walletE8;

    /** Positions (and per-market settings) by market id; null where the account never touched the market. */
    private Position[] positions = new Position[0];

    /** Changed by the current command (reported at its end) / to be re-examined without a report. */
    boolean dirty;
    boolean recompute;
    /** Why the account changed first in this command (its ACCOUNT report's reason). */
    org.perpcore.core.model.AccountReason dirtyReason;
    /** Cross margin at or below maintenance: flagged until it recovers (or is liquidated). */
    boolean marginCalled;
    boolean marginCallPending;
    boolean onCalledList;
    /** An insurance fund: holds the fund's money and the positions it takes over; never liquidated or ranked. */
    boolean fund;
    /** Cross scope: when its next liquidation slice is due (ms of command time); 0 when none is pending. */
    long nextSliceMs;
    /** (order id, handle) pairs, side by side: one array line to write per new order, not one per field. */
    private long[] orderEntryPairs = new long[8];
    private int orderEntries;

    Account(int id, byte[] name) {
        this.id = id;
        this.name = name;
        this.nameWord0 = Name.word(name, name.length, 0);
        this.nameWord1 = Name.word(name, name.length, 1);
        this.nameLength = name.length;
    }

    /** True when this account's name is {@code n}. */
    boolean hasName(Name n) {
        final int len = nameLength;
        if (n.length() != len || n.word(0) != nameWord0 || n.word(1) != nameWord1) {
            return false;
        }
        return len <= 16 || n.contentEquals(name, 0, len);
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

    /** Cross wallet balance (isolated margins are held by their positions). */
    public long walletE8() {
        return walletE8;
    }

    /** True for an insurance fund's account. */
    public boolean isFund() {
        return fund;
    }

    /** When the cross scope's next liquidation slice is due (0: none pending). */
    public long nextSliceMs() {
        return nextSliceMs;
    }

    /** The account's position in a market, or null when it never traded or set anything there. */
    public Position position(int marketId) {
        return marketId < positions.length ? positions[marketId] : null;
    }

    Position[] positions() {
        return positions;
    }

    int positionCapacity() {
        return positions.length;
    }

    void setPosition(int marketId, Position p) {
        if (marketId >= positions.length) {
            positions = Arrays.copyOf(positions, marketId + 1);
        }
        positions[marketId] = p;
    }

    /** Open orders of this account in a market (counted by its position there, which the check reads next). */
    public int openOrders(int marketId) {
        final Position p = position(marketId);
        return p == null ? 0 : p.openOrderCount;
    }

    /** Records a new open order (the caller counts it in its position's {@code openOrderCount}). */
    void addOrder(long orderId, int handle, OrderStore orders) {
        if (2 * orderEntries == orderEntryPairs.length) {
            compact(orders);
            // grow unless compacting freed three quarters: an array kept nearly full of live entries would be
            // compacted again after a few orders, each time reading every entry's order record
            if (orderEntries * 8 > orderEntryPairs.length) {
                orderEntryPairs = Arrays.copyOf(orderEntryPairs, orderEntryPairs.length * 2);
            }
        }
        orderEntryPairs[2 * orderEntries] = orderId;
        orderEntryPairs[2 * orderEntries + 1] = handle;
        orderEntries++;
    }

    /** Drops the entries of orders that are gone, keeping placement order. */
    private void compact(OrderStore orders) {
        final long[] e = orderEntryPairs;
        int kept = 0;
        for (int i = 0; i < orderEntries; i++) {
            final long id = e[2 * i];
            final long handle = e[2 * i + 1];
            if (orders.orderId((int) handle) == id) {
                e[2 * kept] = id;
                e[2 * kept + 1] = handle;
                kept++;
            }
        }
        orderEntries = kept;
    }

    /**
     * Copies the handles of this account's open orders in a market, oldest first, into {@code into} (grown if
     * needed); returns how many. A snapshot of the list, so the caller may cancel them while walking it.
     */
    int openOrderHandles(int marketId, OrderStore orders, IntArrayScratch into) {
        compact(orders);
        into.clear();
        for (int i = 0; i < orderEntries; i++) {
            final int handle = (int) orderEntryPairs[2 * i + 1];
            if (marketId < 0 || orders.market(handle) == marketId) {
                into.add(handle);
            }
        }
        return into.size();
    }
}
