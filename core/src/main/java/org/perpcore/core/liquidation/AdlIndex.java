package org.perpcore.core.liquidation;

import java.util.Arrays;
import org.perpcore.core.engine.Account;
import org.perpcore.core.engine.Market;
import org.perpcore.core.engine.Position;

/**
 * The positions of every market side that auto-deleveraging ranks, kept across commands and grouped by what
 * decides their ADL score, so that ranking a side costs its number of groups rather than its number of positions.
 *
 * <p>{@link AdlRanking#score} is a function of the market's price and of the position's size, its cost (entry
 * notional) and the margin balance behind it: its isolated margin plus its PnL, or, for a cross position, its
 * account's wallet plus the PnL of every cross position of the account. For an account whose only open cross
 * position is this one that is the wallet plus the position's own PnL. So positions with the same margin mode,
 * size, cost and wallet (cross) or isolated margin (isolated) have the same score at every price, and a group of
 * them is scored once; within a group the ADL order is by account id, so a group keeps its members sorted by id.
 * A cross position of an account with cross positions in other markets too depends on their prices: such
 * positions are kept apart ("loose") and scored one by one.
 *
 * <p>Kept up to date by {@link #note}: every account whose wallet or positions changed, or may have (the engine
 * notes every account its commands touched, at the end of each command and of each liquidation pass; the
 * liquidation stage notes what it changes itself). {@link #flush} files the noted accounts again; the liquidation
 * stage calls it only where no ranking is being handed out, since it moves positions between groups. A side is
 * grouped from scratch the first time it is ranked (one pass over its positions); after that each noted account
 * costs a few lookups. Nothing here is state: a restored engine groups afresh.
 */
final class AdlIndex {
    private static final int NONE = -1;
    // where[id] <= LOOSE: the position is in the loose list at LOOSE - where[id]
    private static final int LOOSE = -2;

    private final LiquidationHost host;
    private Side[] sides = new Side[2];

    // accounts noted since the last flush, each once: stamp[id] == stampNow while it is in the log
    private int[] log = new int[64];
    private int logCount;
    private int[] stamp = new int[64];
    private int stampNow = 1;

    AdlIndex(LiquidationHost host) {
        this.host = host;
    }

    /** The account's wallet or positions changed (or may have): it is filed again at the next {@link #flush}. */
    void note(Account a) {
        final int id = a.id();
        if (id >= stamp.length) {
            stamp = Arrays.copyOf(stamp, Math.max(id + 1, stamp.length * 2));
        }
        if (stamp[id] == stampNow) {
            return;
        }
        stamp[id] = stampNow;
        if (logCount == log.length) {
            log = Arrays.copyOf(log, logCount * 2);
        }
        log[logCount++] = id;
    }

    /** How many noted accounts wait for {@link #flush}. */
    int pending() {
        return logCount;
    }

    /** Files every noted account again in every side grouped so far. Never while a ranking is in use. */
    void flush() {
        for (int i = 0; i < logCount; i++) {
            final Account a = host.account(log[i]);
            for (Side s : sides) {
                if (s != null && s.grouped) {
                    s.place(a);
                }
            }
        }
        logCount = 0;
        if (++stampNow == Integer.MAX_VALUE) {
            Arrays.fill(stamp, 0);
            stampNow = 1;
        }
    }

    /** Forgets every grouping (after a restore): each side is grouped afresh when next ranked. */
    void clear() {
        for (Side s : sides) {
            if (s != null) {
                s.grouped = false;
            }
        }
        logCount = 0;
        stampNow++;
    }

    /** The market's longs (or shorts), grouped from scratch on first use; {@link #flush} keeps them current. */
    Side side(Market m, boolean longs) {
        final int slot = 2 * m.id() + (longs ? 0 : 1);
        if (slot >= sides.length) {
            sides = Arrays.copyOf(sides, Math.max(slot + 1, sides.length * 2));
        }
        Side s = sides[slot];
        if (s == null) {
            s = sides[slot] = new Side(m, longs);
        }
        if (!s.grouped) {
            s.group();
        }
        return s;
    }

    /** Positions with one key, by account id ascending; some entries may be stale (their account has moved on). */
    static final class Group {
        final int index;
        boolean isolated;
        long sizeLots;
        long costE8;
        long marginE8;
        int nextInBucket = NONE;

        int[] ids = new int[4];
        Position[] positions = new Position[4];
        int count;
        int live;

        Group(int index) {
            this.index = index;
        }

        boolean is(boolean isolated, long sizeLots, long costE8, long marginE8) {
            return this.isolated == isolated && this.sizeLots == sizeLots && this.costE8 == costE8
                && this.marginE8 == marginE8;
        }

        /** Adds {@code id} (not live here) in id order, reusing its stale entry if it still has one. */
        void insert(int id, Position p, int[] where) {
            int k = Arrays.binarySearch(ids, 0, count, id);
            live++;
            if (k >= 0) {
                positions[k] = p;
                return;
            }
            if (count == ids.length) {
                if (count >= 2 * live + 16) {
                    compact(where);
                    k = Arrays.binarySearch(ids, 0, count, id);
                } else {
                    ids = Arrays.copyOf(ids, count * 2);
                    positions = Arrays.copyOf(positions, count * 2);
                }
            }
            k = -k - 1;
            System.arraycopy(ids, k, ids, k + 1, count - k);
            System.arraycopy(positions, k, positions, k + 1, count - k);
            ids[k] = id;
            positions[k] = p;
            count++;
        }

        /** Appends {@code id}, higher than every id here (grouping a side from scratch, in id order). */
        void append(int id, Position p) {
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
                positions = Arrays.copyOf(positions, count * 2);
            }
            ids[count] = id;
            positions[count] = p;
            count++;
            live++;
        }

        /** Drops the stale entries (those whose account is filed elsewhere now). */
        void compact(int[] where) {
            int kept = 0;
            for (int k = 0; k < count; k++) {
                if (where[ids[k]] == index) {
                    ids[kept] = ids[k];
                    positions[kept++] = positions[k];
                }
            }
            Arrays.fill(positions, kept, count, null);
            count = kept;
        }

        /** The first live entry at or after {@code k}, or -1. */
        int liveFrom(int k, int[] where) {
            for (; k < count; k++) {
                if (where[ids[k]] == index) {
                    return k;
                }
            }
            return -1;
        }
    }

    /** One market side: its groups, found by key in a chained hash table, and its loose positions. */
    final class Side {
        final Market market;
        final boolean longs;
        boolean grouped;

        private Group[] groups = new Group[16];
        private int groupCount;
        private int[] free = new int[16];
        private int freeCount;
        private int[] buckets = new int[32];

        private Position[] loose = new Position[8];
        private int looseCount;

        // by account id: the group holding its position, NONE, or its place in the loose list (<= LOOSE)
        private int[] where = new int[64];

        Side(Market market, boolean longs) {
            this.market = market;
            this.longs = longs;
            Arrays.fill(buckets, NONE);
            Arrays.fill(where, NONE);
        }

        /** Group slots (some may be empty: {@link #group(int)} null or without live members). */
        int groupSlots() {
            return groupCount;
        }

        Group group(int i) {
            return groups[i];
        }

        int[] where() {
            return where;
        }

        int looseCount() {
            return looseCount;
        }

        Position loose(int i) {
            return loose[i];
        }

        /** Groups the side from scratch: its ranked positions, in account id order. */
        void group() {
            Arrays.fill(buckets, NONE);
            freeCount = 0;
            for (int g = groupCount - 1; g >= 0; g--) {
                final Group group = groups[g];
                Arrays.fill(group.positions, 0, group.count, null);
                group.count = 0;
                group.live = 0;
                group.nextInBucket = NONE;
                if (freeCount == free.length) {
                    free = Arrays.copyOf(free, Math.max(groupCount, freeCount * 2));
                }
                free[freeCount++] = g;
            }
            Arrays.fill(where, NONE);
            Arrays.fill(loose, 0, looseCount, null);
            looseCount = 0;
            final int n = host.positionCount(market);
            int[] ids = scratchIds(n);
            int count = 0;
            for (int i = 0; i < n; i++) {
                final Position p = host.positionAt(market, i);
                if (ranked(p.account(), p)) {
                    ids[count++] = p.account().id();
                }
            }
            Arrays.sort(ids, 0, count);
            for (int i = 0; i < count; i++) {
                final Account a = host.account(ids[i]);
                final Position p = a.position(market.id());
                ensure(ids[i]);
                if (crossElsewhere(a, p)) {
                    addLoose(ids[i], p);
                } else {
                    final Group g = find(p.isolated(), p.sizeLots(), p.costE8(), margin(a, p));
                    g.append(ids[i], p);
                    where[ids[i]] = g.index;
                }
            }
            grouped = true;
        }

        /** Files the account's position on this side (if it ranks here) where its key says. */
        void place(Account a) {
            final int id = a.id();
            ensure(id);
            final int at = where[id];
            final Position p = a.position(market.id());
            if (p == null || !ranked(a, p)) {
                leave(id, at);
                where[id] = NONE;
                return;
            }
            if (crossElsewhere(a, p)) {
                if (at <= LOOSE) {
                    loose[LOOSE - at] = p;
                } else {
                    leave(id, at);
                    addLoose(id, p);
                }
                return;
            }
            final Group g = find(p.isolated(), p.sizeLots(), p.costE8(), margin(a, p));
            if (g.index == at) {
                return; // same key: its entry stands
            }
            leave(id, at);
            g.insert(id, p, where);
            where[id] = g.index;
        }

        private boolean ranked(Account a, Position p) {
            return p.sizeLots() != 0 && (p.sizeLots() > 0) == longs && !a.isFund();
        }

        private long margin(Account a, Position p) {
            return p.isolated() ? p.isolatedMarginE8() : a.walletE8();
        }

        /** A cross position whose account holds open cross positions in other markets too. */
        private boolean crossElsewhere(Account a, Position p) {
            if (p.isolated()) {
                return false;
            }
            for (int k = 0, n = host.marketCount(); k < n; k++) {
                final Position q = a.position(k);
                if (q != null && q != p && !q.isolated() && q.sizeLots() != 0) {
                    return true;
                }
            }
            return false;
        }

        private void leave(int id, int at) {
            if (at >= 0) {
                final Group g = groups[at];
                where[id] = NONE;
                if (--g.live == 0) {
                    release(g);
                }
            } else if (at <= LOOSE) {
                final int k = LOOSE - at;
                final Position last = loose[--looseCount];
                loose[k] = last;
                loose[looseCount] = null;
                if (k < looseCount) {
                    where[last.account().id()] = LOOSE - k;
                }
            }
        }

        private void addLoose(int id, Position p) {
            if (looseCount == loose.length) {
                loose = Arrays.copyOf(loose, looseCount * 2);
            }
            loose[looseCount] = p;
            where[id] = LOOSE - looseCount;
            looseCount++;
        }

        /** The group of the key, created (or reused from the free list) if there is none. */
        private Group find(boolean isolated, long sizeLots, long costE8, long marginE8) {
            for (int g = buckets[bucket(isolated, sizeLots, costE8, marginE8)]; g != NONE; g = groups[g].nextInBucket) {
                if (groups[g].is(isolated, sizeLots, costE8, marginE8)) {
                    return groups[g];
                }
            }
            final Group g;
            if (freeCount > 0) {
                g = groups[free[--freeCount]];
            } else {
                if (groupCount == groups.length) {
                    groups = Arrays.copyOf(groups, groupCount * 2);
                }
                if (groupCount + 1 > buckets.length / 2) {
                    rehash(buckets.length * 2);
                }
                g = groups[groupCount] = new Group(groupCount);
                groupCount++;
            }
            g.isolated = isolated;
            g.sizeLots = sizeLots;
            g.costE8 = costE8;
            g.marginE8 = marginE8;
            final int bucket = bucket(isolated, sizeLots, costE8, marginE8);
            g.nextInBucket = buckets[bucket];
            buckets[bucket] = g.index;
            return g;
        }

        /** An emptied group leaves its bucket and waits on the free list with no entries. */
        private void release(Group g) {
            final int bucket = bucket(g.isolated, g.sizeLots, g.costE8, g.marginE8);
            if (buckets[bucket] == g.index) {
                buckets[bucket] = g.nextInBucket;
            } else {
                int k = buckets[bucket];
                while (groups[k].nextInBucket != g.index) {
                    k = groups[k].nextInBucket;
                }
                groups[k].nextInBucket = g.nextInBucket;
            }
            g.nextInBucket = NONE;
            Arrays.fill(g.positions, 0, g.count, null);
            g.count = 0;
            g.live = 0;
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, freeCount * 2);
            }
            free[freeCount++] = g.index;
        }

        /** A table of {@code size} buckets holding the groups in use (those on the free list are in none). */
        private void rehash(int size) {
            buckets = new int[size];
            Arrays.fill(buckets, NONE);
            for (int k = 0; k < groupCount; k++) {
                final Group g = groups[k];
                if (g.live > 0) {
                    final int bucket = bucket(g.isolated, g.sizeLots, g.costE8, g.marginE8);
                    g.nextInBucket = buckets[bucket];
                    buckets[bucket] = k;
                }
            }
        }

        private int bucket(boolean isolated, long sizeLots, long costE8, long marginE8) {
            long h = sizeLots * 0x9E3779B97F4A7C15L;
            h = (h ^ costE8) * 0xC2B2AE3D27D4EB4FL;
            h = (h ^ marginE8) * 0x165667B19E3779F9L;
            h ^= isolated ? 0x27D4EB2F165667C5L : 0;
            return (int) (h ^ h >>> 29) & (buckets.length - 1);
        }

        private void ensure(int id) {
            if (id >= where.length) {
                final int old = where.length;
                where = Arrays.copyOf(where, Math.max(id + 1, old * 2));
                Arrays.fill(where, old, where.length, NONE);
            }
        }
    }

    private int[] scratch = new int[64];

    private int[] scratchIds(int n) {
        if (scratch.length < n) {
            scratch = new int[Math.max(n, scratch.length * 2)];
        }
        return scratch;
    }
}
