package org.perpcore.perf.jmh;

import java.util.SplittableRandom;
import org.perpcore.core.command.Command;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;

/**
 * A warm book to benchmark against, built through the engine's own commands, and the model of it the stream
 * generators need. Setup code only: it allocates freely.
 *
 * <p>Two kinds of liquidity:
 * <ul>
 *   <li><b>Retail depth</b>: {@value #RETAIL_ACCOUNTS} accounts with {@value #SLOTS_PER_ACCOUNT} order slots each.
 *       A slot is one client order id of one account; half the slots rest in the book at the start, at
 *       {@code retailFirstOffsetTicks} to {@code retailFirstOffsetTicks + }{@value #DEPTH_TICKS} ticks behind the
 *       touch, skewed towards it (the offset is {@code DEPTH x u^2} for a uniform u), 1 to 50 lots, a quarter of
 *       them post-only (GTX). Retail orders are never reached by the takers of a benchmark, so their fate is
 *       decided by the stream alone: a cancel always finds its order.</li>
 *   <li><b>Market makers at the touch</b> (when asked for): {@value #MM_ORDERS_PER_SIDE} orders of 20 to 60 lots
 *       per side at the best bid and ask, from {@value #MM_ACCOUNTS} accounts. Takers trade only against these;
 *       a maker re-quotes an order the moment it is filled (same account, client id, price and size, at the
 *       back of the queue). Once the takers have traded exactly one queue's worth of lots on a side, the queue is
 *       back to its first state, order for order.</li>
 * </ul>
 * Takers use the retail accounts, never the makers', so self-trade prevention never fires.
 */
final class WarmBook {
    static final int RETAIL_ACCOUNTS = 4096;
    static final int SLOTS_PER_ACCOUNT = 4;
    static final int MM_ACCOUNTS = 4;
    static final int MM_ORDERS_PER_SIDE = 16;
    static final int DEPTH_TICKS = 32;
    static final int MAX_RETAIL_LOTS = 50;
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** One retail client order id: its account and, when live, the order resting under it. */
    static final class Slot {
        final String account;
        final String clientId;
        boolean live;
        Side side;
        long priceTicks;
        long lots;
        TimeInForce tif;

        Slot(String account, String clientId) {
            this.account = account;
            this.clientId = clientId;
        }

        Command place() {
            return EngineFixture.limit(account, clientId, side, priceTicks, lots, tif);
        }

        Command cancel() {
            return EngineFixture.cancel(account, clientId);
        }
    }

    /** One market maker order at the touch. */
    static final class MakerOrder {
        final String account;
        final String clientId;
        final Side side;
        final long priceTicks;
        final long lots;

        MakerOrder(String account, String clientId, Side side, long priceTicks, long lots) {
            this.account = account;
            this.clientId = clientId;
            this.side = side;
            this.priceTicks = priceTicks;
            this.lots = lots;
        }

        Command place() {
            return EngineFixture.limit(account, clientId, side, priceTicks, lots, TimeInForce.GTC);
        }
    }

    final SplittableRandom random;
    final EngineFixture fixture;
    final String[] retailAccounts = new String[RETAIL_ACCOUNTS];
    final Slot[] slots = new Slot[RETAIL_ACCOUNTS * SLOTS_PER_ACCOUNT];
    /** Market maker queues at the best bid [0] and best ask [1], front first, as placed. */
    final MakerOrder[][] makers = new MakerOrder[2][];
    private final int retailFirstOffsetTicks;

    /**
     * @param seed                   seed of every random choice: equal seeds give equal books and streams
     * @param withMakers             whether market makers quote the touch
     * @param retailFirstOffsetTicks how far behind the touch retail depth starts (at least 1 with makers)
     */
    WarmBook(long seed, boolean withMakers, int retailFirstOffsetTicks) {
        this.random = new SplittableRandom(seed);
        this.retailFirstOffsetTicks = retailFirstOffsetTicks;
        this.fixture = new EngineFixture(RETAIL_ACCOUNTS + MM_ACCOUNTS);
        for (int a = 0; a < RETAIL_ACCOUNTS; a++) {
            retailAccounts[a] = String.format("acct-%07d", a);
            fixture.openAccount(retailAccounts[a]);
            for (int s = 0; s < SLOTS_PER_ACCOUNT; s++) {
                slots[a * SLOTS_PER_ACCOUNT + s] = new Slot(retailAccounts[a], clientId());
            }
        }
        for (int a = 0; a < MM_ACCOUNTS; a++) {
            fixture.openAccount(makerAccount(a), 1_000_000_000L * Fixed.E8);
        }
        if (withMakers) {
            makers[0] = quote(Side.BUY, EngineFixture.BEST_BID_TICKS);
            makers[1] = quote(Side.SELL, EngineFixture.BEST_ASK_TICKS);
        }
        for (Slot s : slots) {
            if (random.nextBoolean()) {
                randomize(s);
                fixture.applyChecked(s.place());
                s.live = true;
            }
        }
    }

    static String makerAccount(int i) {
        return "mm-" + i;
    }

    private MakerOrder[] quote(Side side, long priceTicks) {
        final MakerOrder[] queue = new MakerOrder[MM_ORDERS_PER_SIDE];
        for (int i = 0; i < queue.length; i++) {
            queue[i] = new MakerOrder(makerAccount(i % MM_ACCOUNTS), clientId(), side, priceTicks,
                20 + random.nextInt(41));
            fixture.applyChecked(queue[i].place());
        }
        return queue;
    }

    /** Total lots of one side's maker queue. */
    long makerQueueLots(int side) {
        long lots = 0;
        for (MakerOrder o : makers[side]) {
            lots += o.lots;
        }
        return lots;
    }

    /** Gives a slot a new passive order: side, price behind the touch, size and time in force. */
    void randomize(Slot s) {
        final double u = random.nextDouble();
        final long offset = retailFirstOffsetTicks + (long) (DEPTH_TICKS * u * u);
        s.side = random.nextBoolean() ? Side.BUY : Side.SELL;
        s.priceTicks = s.side == Side.BUY
            ? EngineFixture.BEST_BID_TICKS - offset : EngineFixture.BEST_ASK_TICKS + offset;
        s.lots = 1 + random.nextInt(MAX_RETAIL_LOTS);
        s.tif = random.nextInt(4) == 0 ? TimeInForce.GTX : TimeInForce.GTC;
    }

    /** A client order id like the ones bots send: a prefix and 20 random alphanumerics (22 characters). */
    String clientId() {
        final StringBuilder b = new StringBuilder(22).append("x-");
        for (int i = 0; i < 20; i++) {
            b.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return b.toString();
    }

    String randomRetailAccount() {
        return retailAccounts[random.nextInt(RETAIL_ACCOUNTS)];
    }

    /**
     * Picks {@code n} distinct slots that are not resting, in random order, each given a new random order (not
     * placed): the orders of a place or cancel batch.
     */
    Slot[] freeSlots(int n) {
        final Slot[] free = new Slot[n];
        int found = 0;
        final int[] order = shuffledIndexes(slots.length);
        for (int i = 0; i < order.length && found < n; i++) {
            final Slot s = slots[order[i]];
            if (!s.live) {
                randomize(s);
                free[found++] = s;
            }
        }
        if (found < n) {
            throw new IllegalArgumentException("only " + found + " free slots");
        }
        return free;
    }

    /** 0 .. n-1 in random order (Fisher-Yates). */
    int[] shuffledIndexes(int n) {
        final int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
