package org.perpcore.perf.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;

/**
 * A realistic command stream for a {@link WarmBook} with makers, built so that applying it leaves the book as it
 * found it: it can be applied again and again, and every cancel still finds its order. Setup code only.
 *
 * <p>What it holds, by construction (the exact shares of a generated stream are in its counters):
 * <ul>
 *   <li>about 40 % retail limit orders placed 1 to 32 ticks behind the touch and 40 % cancels by client order
 *       id. They come in pairs on one slot ({@link WarmBook.Slot}): a free slot is placed and later cancelled,
 *       or a resting slot is cancelled and later placed again as it was. About {@code targetCommands / 16} pairs
 *       (at most a thousand) are open at any time, so an order lives for as many commands and cancels hit
 *       orders in every part of their queues. The last pairs close before the stream ends;</li>
 *   <li>about 10 % IOC limit orders of 1 to {@value #MAX_TAKER_LOTS} lots at the opposite touch (one in ten
 *       priced at its own touch instead: it cannot trade and expires), and about 5 % market orders of the same
 *       sizes, from random retail accounts;</li>
 *   <li>about 5 % maker re-quotes: each maker order a taker fills completely is placed again right after the
 *       taker, same account, client id, price and size. The stream ends with as many extra IOC orders as it
 *       takes for each side's takers to have traded a whole number of maker queues, so the queues are back to
 *       their first state, order for order.</li>
 * </ul>
 */
final class MixStream {
    static final int MAX_TAKER_LOTS = 26;
    private static final int IOC_PER_MILLE = 105;
    private static final int MARKET_PER_MILLE = 53;
    private static final int MISSING_IOC_PER_MILLE = 100;
    private static final int MAX_OPEN_PAIRS = 1024;

    final Command[] commands;
    int retailPlaces;
    int retailCancels;
    int makerRequotes;
    int iocOrders;
    int iocMisses;
    int marketOrders;
    long trades;

    private final WarmBook book;
    private final SplittableRandom random;
    private final List<Command> out = new ArrayList<>();
    private final int[] front = new int[2];
    private final long[] frontLeft = new long[2];
    private final long[] takenLots = new long[2];

    private MixStream(WarmBook book, int targetCommands) {
        this.book = book;
        final int openPairsTarget = Math.min(MAX_OPEN_PAIRS, targetCommands / 16);
        this.random = book.random;
        for (int side = 0; side < 2; side++) {
            frontLeft[side] = book.makers[side][0].lots;
        }
        final WarmBook.Slot[] slots = book.slots;
        final int[] idle = book.shuffledIndexes(slots.length);
        int idleCount = idle.length;
        final int[] open = new int[slots.length];
        int openCount = 0;
        while (out.size() < targetCommands || openCount > 0) {
            final boolean closing = out.size() >= targetCommands;
            final int r = random.nextInt(1000);
            if (r < IOC_PER_MILLE) {
                final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                final boolean crossing = random.nextInt(1000) >= MISSING_IOC_PER_MILLE;
                ioc(side, 1 + random.nextInt(MAX_TAKER_LOTS), crossing);
            } else if (r < IOC_PER_MILLE + MARKET_PER_MILLE) {
                final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                final long lots = 1 + random.nextInt(MAX_TAKER_LOTS);
                out.add(EngineFixture.market(book.randomRetailAccount(), book.clientId(), side, lots));
                marketOrders++;
                take(side, lots);
            } else {
                final double openShare = Math.max(0.1, Math.min(0.9,
                    0.5 + 0.5 * (openPairsTarget - openCount) / openPairsTarget));
                if (!closing && (openCount == 0 || random.nextDouble() < openShare)) {
                    final int k = random.nextInt(idleCount);
                    final int slot = idle[k];
                    idle[k] = idle[--idleCount];
                    open[openCount++] = slot;
                    toggle(slots[slot], true);
                } else if (openCount > 0) {
                    final int k = random.nextInt(openCount);
                    final int slot = open[k];
                    open[k] = open[--openCount];
                    idle[idleCount++] = slot;
                    toggle(slots[slot], false);
                }
            }
        }
        for (int side = 0; side < 2; side++) {
            final long queueLots = book.makerQueueLots(side);
            while (takenLots[side] % queueLots != 0) {
                final long lots = Math.min(MAX_TAKER_LOTS, queueLots - takenLots[side] % queueLots);
                ioc(side == 0 ? Side.SELL : Side.BUY, lots, true);
            }
        }
        commands = out.toArray(new Command[0]);
        EngineFixture.stamp(commands);
    }

    /** Generates one cycle of about {@code targetCommands} commands for the book's current state. */
    static MixStream generate(WarmBook book, int targetCommands) {
        return new MixStream(book, targetCommands);
    }

    /**
     * Flips a slot: a resting slot is cancelled, a free one placed. Opening a pair on a free slot draws a new
     * order for it; closing a pair on a slot that rested at the start places the order it had.
     */
    private void toggle(WarmBook.Slot s, boolean opening) {
        if (s.live) {
            out.add(s.cancel());
            retailCancels++;
        } else {
            if (opening) {
                book.randomize(s);
            }
            out.add(s.place());
            retailPlaces++;
        }
        s.live = !s.live;
    }

    private void ioc(Side side, long lots, boolean crossing) {
        final boolean buy = side == Side.BUY;
        final long priceTicks = buy == crossing ? EngineFixture.BEST_ASK_TICKS : EngineFixture.BEST_BID_TICKS;
        out.add(EngineFixture.limit(book.randomRetailAccount(), book.clientId(), side, priceTicks, lots,
            TimeInForce.IOC));
        iocOrders++;
        if (crossing) {
            take(side, lots);
        } else {
            iocMisses++;
        }
    }

    /** Fills a taker from the front of the opposite maker queue, then re-quotes every maker order it emptied. */
    private void take(Side takerSide, long lots) {
        final int side = takerSide == Side.BUY ? 1 : 0;
        final WarmBook.MakerOrder[] queue = book.makers[side];
        long need = lots;
        while (need > 0) {
            final long fill = Math.min(need, frontLeft[side]);
            need -= fill;
            frontLeft[side] -= fill;
            trades++;
            if (frontLeft[side] == 0) {
                out.add(queue[front[side]].place());
                makerRequotes++;
                front[side] = (front[side] + 1) % queue.length;
                frontLeft[side] = queue[front[side]].lots;
            }
        }
        takenLots[side] += lots;
    }
}
