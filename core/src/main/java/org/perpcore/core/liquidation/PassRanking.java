package org.perpcore.core.liquidation;

import java.util.Arrays;
import org.agrona.collections.Int2IntHashMap;
import org.perpcore.core.engine.Account;
import org.perpcore.core.engine.Market;
import org.perpcore.core.engine.Position;

/**
 * The auto-deleverage ranking of each market side, handed out position by position for one pass of the
 * liquidation stage, so that a cascade in which many bankrupt accounts reach ADL ranks the opposite side once per
 * pass rather than once per account.
 *
 * <p>Exactly the ranking {@link AdlRanking#rank} would give at each call, because within a pass nothing moves a
 * score but what the liquidation stage itself does: marks are recomputed only between passes (and the valuation
 * prices are checked at every call anyway), and every account whose wallet or positions the stage changes (the
 * liquidated account, the makers its orders fill against, the traders it deleverages, the funds) is
 * {@link #note noted}. A noted account's cached entry is dropped and its position re-scored, in a small overlay
 * merged with the cached order. {@link Liquidator#verifyRankingCache} (tests) compares every ranking handed out
 * with a full one.
 *
 * <p>The cached order comes from the {@link AdlIndex}, brought up to date at the start of every pass: a heap over
 * its groups (each scored once, through one of its members whose account the pass has not noted) and its loose
 * positions, popped into a sorted prefix of positions as far as the calls reach. Building it costs the side's
 * number of groups and loose positions; each position taken costs O(log) of that.
 */
final class PassRanking {
    private static final int NOT_RANKED = -2;
    /** Noted accounts filed into the index as soon as this many wait (between commands), not at the next pass. */
    private static final int FLUSH_AT = 1024;

    private final LiquidationHost host;
    private final AdlRanking scorer;
    private final AdlRanking checker;
    private final AdlIndex index;

    private long epoch = 1;
    private int[] log = new int[64];
    private int logCount;

    private Slot[] slots = new Slot[2];

    // the current call
    private Slot slot;
    private int excluded;
    private int sortedAt;
    private int overlayAt;
    private boolean checking;
    private int checkCount;
    private int checkAt;

    PassRanking(LiquidationHost host, AdlRanking scorer) {
        this.host = host;
        this.scorer = scorer;
        this.checker = new AdlRanking(host);
        this.index = new AdlIndex(host);
    }

    /**
     * An account the engine touched (outside the liquidation stage's own changes, or after them): filed again in
     * the index. Called between passes and commands only, never while a ranking is handed out.
     */
    void changed(Account a) {
        index.note(a);
        if (index.pending() >= FLUSH_AT) {
            index.flush();
        }
    }

    /** Forgets the index's groupings (the engine's state was replaced). */
    void clear() {
        index.clear();
    }

    /** A new pass: prices may have moved; every cached ranking is void; the index catches up. */
    void newPass() {
        index.flush();
        epoch++;
        logCount = 0;
    }

    /** The account's wallet or positions changed (or may have): its positions are scored afresh. */
    void note(Account a) {
        index.note(a);
        if (logCount > 0 && log[logCount - 1] == a.id()) {
            return;
        }
        if (logCount == log.length) {
            log = Arrays.copyOf(log, logCount * 2);
        }
        log[logCount++] = a.id();
    }

    /**
     * Starts handing out the ranking of the market's longs (or shorts), without insurance funds and without
     * {@code excludedAccountId}: {@link #next} then gives them best first.
     */
    void begin(Market m, boolean longs, int excludedAccountId, boolean verify) {
        final int at = 2 * m.id() + (longs ? 0 : 1);
        if (at >= slots.length) {
            slots = Arrays.copyOf(slots, Math.max(at + 1, slots.length * 2));
        }
        Slot s = slots[at];
        if (s == null) {
            s = slots[at] = new Slot(m, longs);
        }
        if (s.builtEpoch != epoch || !s.samePrices()) {
            s.build();
        } else {
            s.sync();
        }
        while (s.head < s.takenCount && stale(s, s.taken[s.head])) {
            s.head++;
        }
        slot = s;
        excluded = excludedAccountId;
        sortedAt = s.head;
        overlayAt = 0;
        checking = verify;
        if (verify) {
            checkCount = checker.rank(m, longs, excludedAccountId);
            checkAt = 0;
        }
    }

    /** The next position in ADL order since {@link #begin}, or null when there is none left. */
    Position next() {
        final Position p = pick();
        if (checking) {
            final Position expected = checkAt < checkCount ? checker.at(checkAt) : null;
            checkAt++;
            if (p != expected) {
                throw new IllegalStateException("ADL ranking cache differs from a full ranking at rank " + checkAt
                    + ": " + name(p) + " instead of " + name(expected));
            }
        }
        return p;
    }

    private static String name(Position p) {
        return p == null ? "none" : p.account().nameString();
    }

    private Position pick() {
        final Slot s = slot;
        int sorted = -1;
        while (true) {
            if (sortedAt == s.takenCount) {
                if (s.heapSize == 0) {
                    break;
                }
                s.pop();
            }
            final Position p = s.taken[sortedAt];
            if (p.account().id() == excluded || stale(s, p)) {
                sortedAt++;
                continue;
            }
            sorted = sortedAt;
            break;
        }
        int overlay = -1;
        while (overlayAt < s.orderCount) {
            final int k = s.order[overlayAt];
            if (s.overlay[k].account().id() == excluded) {
                overlayAt++;
                continue;
            }
            overlay = k;
            break;
        }
        if (sorted < 0 && overlay < 0) {
            return null;
        }
        if (overlay < 0 || sorted >= 0 && before(s.takenScores[sorted], s.taken[sorted], s.overlayScores[overlay],
            s.overlay[overlay])) {
            sortedAt++;
            return s.taken[sorted];
        }
        overlayAt++;
        return s.overlay[overlay];
    }

    /** A cached entry whose account was noted (and so re-scored in the overlay) since the pass began. */
    private static boolean stale(Slot s, Position p) {
        return s.seen.containsKey(p.account().id());
    }

    /** ADL order: the higher score first, then the lower account id. */
    private static boolean before(long scoreA, Position a, long scoreB, Position b) {
        if (scoreA != scoreB) {
            return scoreA > scoreB;
        }
        return a.account().id() < b.account().id();
    }

    /** One market side's ranking in this pass. */
    private final class Slot {
        final Market market;
        final boolean longs;
        long builtEpoch;
        long[] prices = new long[0];

        // the heap's cursors: a group of the index at its entry {@code cursorAt}, or a loose position (group null)
        AdlIndex.Side side;
        AdlIndex.Group[] cursorGroup = new AdlIndex.Group[64];
        int[] cursorAt = new int[64];
        Position[] cursorHead = new Position[64];
        long[] cursorScore = new long[64];
        int cursors;
        int[] heap = new int[64];
        int heapSize;

        // the positions popped so far, in ADL order
        Position[] taken = new Position[64];
        long[] takenScores = new long[64];
        int takenCount;
        int head;

        final Int2IntHashMap seen = new Int2IntHashMap(NOT_RANKED - 1);
        Position[] overlay = new Position[16];
        long[] overlayScores = new long[16];
        int overlayCount;
        int[] order = new int[16];
        int orderCount;
        int logCursor;

        Slot(Market market, boolean longs) {
            this.market = market;
            this.longs = longs;
        }

        boolean samePrices() {
            final int n = host.marketCount();
            if (prices.length != n) {
                return false;
            }
            for (int k = 0; k < n; k++) {
                if (prices[k] != host.priceE8(host.market(k))) {
                    return false;
                }
            }
            return true;
        }

        void build() {
            builtEpoch = epoch;
            final int markets = host.marketCount();
            if (prices.length != markets) {
                prices = new long[markets];
            }
            for (int k = 0; k < markets; k++) {
                prices[k] = host.priceE8(host.market(k));
            }
            Arrays.fill(taken, 0, takenCount, null);
            takenCount = 0;
            head = 0;
            seen.clear();
            Arrays.fill(overlay, 0, overlayCount, null);
            overlayCount = 0;
            orderCount = 0;
            // the index is as it was at the start of the pass: every account noted since is re-scored in the
            // overlay, and its entries in the index are stale
            logCursor = 0;
            sync();
            side = index.side(market, longs);
            final int[] where = side.where();
            Arrays.fill(cursorGroup, 0, cursors, null);
            Arrays.fill(cursorHead, 0, cursors, null);
            cursors = 0;
            for (int g = 0, n = side.groupSlots(); g < n; g++) {
                final AdlIndex.Group group = side.group(g);
                if (group.live == 0) {
                    continue;
                }
                if (group.count >= 2 * group.live + 16) {
                    group.compact(where);
                }
                // the group's score is any current member's: one the pass has not changed
                int k = group.liveFrom(0, where);
                while (k >= 0 && seen.containsKey(group.ids[k])) {
                    k = group.liveFrom(k + 1, where);
                }
                if (k < 0) {
                    continue; // every member changed in this pass: all of them are in the overlay
                }
                addCursor(group, group.liveFrom(0, where), scorer.score(group.positions[k]));
            }
            for (int i = 0, n = side.looseCount(); i < n; i++) {
                final Position p = side.loose(i);
                addCursor(null, i, scorer.score(p));
            }
            heapSize = cursors;
            for (int i = 0; i < cursors; i++) {
                heap[i] = i;
            }
            for (int i = (heapSize >>> 1) - 1; i >= 0; i--) {
                siftDown(i);
            }
        }

        private void addCursor(AdlIndex.Group group, int at, long score) {
            if (cursors == cursorAt.length) {
                final int n = cursors * 2;
                cursorGroup = Arrays.copyOf(cursorGroup, n);
                cursorAt = Arrays.copyOf(cursorAt, n);
                cursorHead = Arrays.copyOf(cursorHead, n);
                cursorScore = Arrays.copyOf(cursorScore, n);
                heap = Arrays.copyOf(heap, n);
            }
            cursorGroup[cursors] = group;
            cursorAt[cursors] = at;
            cursorHead[cursors] = group == null ? side.loose(at) : group.positions[at];
            cursorScore[cursors] = score;
            cursors++;
        }

        /** Re-scores the accounts noted since the last call into the overlay. */
        void sync() {
            boolean changed = false;
            for (; logCursor < logCount; logCursor++) {
                final int id = log[logCursor];
                final Account a = host.account(id);
                final Position p = a.position(market.id());
                final boolean ranked = p != null && p.sizeLots() != 0 && (p.sizeLots() > 0) == longs && !a.isFund();
                final int k = seen.get(id);
                if (k >= 0) {
                    if (ranked) {
                        overlay[k] = p;
                        overlayScores[k] = scorer.score(p);
                    } else {
                        overlay[k] = null;
                        seen.put(id, NOT_RANKED);
                    }
                    changed = true;
                } else if (ranked) {
                    seen.put(id, addOverlay(p));
                    changed = true;
                } else if (k == seen.missingValue()) {
                    seen.put(id, NOT_RANKED); // its cached entry, if any, is stale from now on
                }
            }
            if (changed) {
                orderCount = 0;
                for (int k = 0; k < overlayCount; k++) {
                    if (overlay[k] != null) {
                        order[orderCount++] = k;
                    }
                }
                sortOrder(0, orderCount - 1);
            }
        }

        private int addOverlay(Position p) {
            if (overlayCount == overlay.length) {
                overlay = Arrays.copyOf(overlay, overlayCount * 2);
                overlayScores = Arrays.copyOf(overlayScores, overlayCount * 2);
                order = Arrays.copyOf(order, overlayCount * 2);
            }
            overlay[overlayCount] = p;
            overlayScores[overlayCount] = scorer.score(p);
            return overlayCount++;
        }

        /** Moves the best position left in the heap to the end of the sorted prefix. */
        void pop() {
            final int c = heap[0];
            if (takenCount == taken.length) {
                taken = Arrays.copyOf(taken, takenCount * 2);
                takenScores = Arrays.copyOf(takenScores, takenCount * 2);
            }
            taken[takenCount] = cursorHead[c];
            takenScores[takenCount++] = cursorScore[c];
            final AdlIndex.Group group = cursorGroup[c];
            final int next = group == null ? -1 : group.liveFrom(cursorAt[c] + 1, side.where());
            if (next >= 0) {
                cursorAt[c] = next;
                cursorHead[c] = group.positions[next];
            } else {
                heap[0] = heap[--heapSize];
            }
            if (heapSize > 0) {
                siftDown(0);
            }
        }

        private void siftDown(int i) {
            final int item = heap[i];
            while (true) {
                int child = 2 * i + 1;
                if (child >= heapSize) {
                    break;
                }
                if (child + 1 < heapSize && earlier(heap[child + 1], heap[child])) {
                    child++;
                }
                if (!earlier(heap[child], item)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = item;
        }

        private boolean earlier(int a, int b) {
            return before(cursorScore[a], cursorHead[a], cursorScore[b], cursorHead[b]);
        }

        /** Quicksort of order[lo..hi] in ADL order (no allocation). */
        private void sortOrder(int lo, int hi) {
            while (lo < hi) {
                final int pivot = order[(lo + hi) >>> 1];
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (overlayBefore(order[i], pivot)) {
                        i++;
                    }
                    while (overlayBefore(pivot, order[j])) {
                        j--;
                    }
                    if (i <= j) {
                        final int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                        i++;
                        j--;
                    }
                }
                if (j - lo < hi - i) {
                    sortOrder(lo, j);
                    lo = i;
                } else {
                    sortOrder(i, hi);
                    hi = j;
                }
            }
        }

        private boolean overlayBefore(int a, int b) {
            return before(overlayScores[a], overlay[a], overlayScores[b], overlay[b]);
        }
    }
}
