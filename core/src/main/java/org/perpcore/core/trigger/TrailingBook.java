package org.perpcore.core.trigger;

import java.util.Arrays;
import org.perpcore.core.num.Fixed;

/**
 * Active trailing stops of one side of one market and working price, indexed so that a price move costs what it
 * changes, not what waits.
 *
 * <p>A sell trailing stop tracks the highest price H since it was placed and fires when the price falls to
 * {@code floor(H x (1 - callbackRate))}; a buy tracks the lowest price L and fires when the price rises to
 * {@code ceil(L x (1 + callbackRate))} (Binance's TRAILING_STOP_MARKET; the rate is in percent, E8: 1 % =
 * {@code 100_000_000}). Its trigger moves with the extreme, so a plain heap of triggers would need every waiting stop
 * re-keyed on every new high.
 *
 * <p>The structure: stops are grouped by callback rate into <em>classes</em> (one per rate step of
 * {@value #RATE_STEP_E8} E8, that is 0.01 %, so at most {@value #CLASSES}). Within a class a stop's trigger is a
 * monotonic function of its extreme, and the stops of equal extreme form a <em>level</em> (an intrusive list); a
 * class keeps its levels in a stack ordered by extreme, the newest (for a sell: the lowest H, equal to the latest
 * price) at the bottom and the oldest (the highest H, the highest trigger) on top. A new high P raises every level
 * below P to P: the levels it passes are merged into one (the smaller lists relabelled into the largest, so an order
 * is relabelled O(log n) times in its life), which costs nothing for the stops already at or above P. A fall fires
 * whole levels from the top of each class while their trigger is reached. A class's top trigger is cached.
 *
 * <p>Costs, with C the classes in use (at most {@value #CLASSES}) and k the stops fired: a new stop O(1) (it joins
 * the bottom level of its class; a stop whose extreme is not the lowest, as when a snapshot is restored, walks the
 * levels of its class); a cancel O(1); a favourable move past no level O(1) and otherwise O(C + merged levels +
 * relabelled orders); a move that fires nothing O(1) when it does not reach the highest cached trigger, else O(C); a
 * move that fires k stops O(C + k). So a tick costs the same with a thousand or a million stops waiting.
 *
 * <p>The order of stops within a level is not kept: the engine sorts what fires by (trigger, order id).
 *
 * <p>Single writer: the engine thread.
 */
public final class TrailingBook {
    /** Callback rates are whole multiples of 0.01 % (E8 of a percent). */
    public static final long RATE_STEP_E8 = 1_000_000L;
    /** Smallest and largest callback rate, percent E8: 0.1 % and 10 % (Binance's range). */
    public static final long MIN_RATE_E8 = 10_000_000L;
    public static final long MAX_RATE_E8 = 1_000_000_000L;
    static final int CLASSES = (int) (MAX_RATE_E8 / RATE_STEP_E8) + 1;
    /** One hundred percent, in the rate's unit: a rate of 1 % is 1/100 of it. */
    private static final long HUNDRED_PERCENT_E8 = 100L * Fixed.E8;
    private static final int NONE = HandleLinks.NONE;

    private final boolean sell;
    private final HandleLinks links;

    // levels: an extreme, a list of orders, links towards the older (top) and newer (bottom) level of its class
    private long[] levelExtreme = new long[16];
    private int[] levelHead = new int[16];
    private int[] levelCount = new int[16];
    private int[] levelOlder = new int[16];
    private int[] levelNewer = new int[16];
    private int[] levelClass = new int[16];
    private int levelHighWater;
    private int freeLevel = NONE;

    // classes by rate step; the classes in use in a dense list
    private final int[] classTop = new int[CLASSES];
    private final int[] classBottom = new int[CLASSES];
    private final long[] classTopTrigger = new long[CLASSES];
    private final int[] classSlot = new int[CLASSES];
    private final int[] active = new int[CLASSES];
    private int activeCount;

    /** Sell: at most the lowest bottom extreme of any class; buy: at least the highest. Stale only safely. */
    private long bottomBound;
    /** Sell: at least the highest top trigger of any class; buy: at most the lowest. Stale only safely. */
    private long triggerBound;
    private int size;

    /** @param sell true for sell stops (track highs, fire on falls), false for buys (track lows, fire on rises) */
    public TrailingBook(boolean sell, HandleLinks links) {
        this.sell = sell;
        this.links = links;
        Arrays.fill(classTop, NONE);
        Arrays.fill(classBottom, NONE);
        Arrays.fill(classSlot, NONE);
        bottomBound = sell ? Long.MAX_VALUE : Long.MIN_VALUE;
        triggerBound = sell ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    public boolean sell() {
        return sell;
    }

    /** Stops held. */
    public int size() {
        return size;
    }

    /** True for a rate this book accepts: within [0.1 %, 10 %] and a whole multiple of 0.01 %. */
    public static boolean validRate(long rateE8) {
        return rateE8 >= MIN_RATE_E8 && rateE8 <= MAX_RATE_E8 && rateE8 % RATE_STEP_E8 == 0;
    }

    /**
     * The trigger of a stop at {@code extremeE8} with {@code rateE8}: a sell's {@code floor(H x (1 - rate))}, a
     * buy's {@code ceil(L x (1 + rate))}, exact through 128-bit arithmetic (a price at the trigger fires: at or below
     * it for a sell, at or above it for a buy).
     */
    public static long trigger(boolean sell, long extremeE8, long rateE8) {
        if (sell) {
            return Fixed.mulDivFloor(extremeE8, HUNDRED_PERCENT_E8 - rateE8, HUNDRED_PERCENT_E8);
        }
        final long t = Fixed.mulDivCeil(extremeE8, HUNDRED_PERCENT_E8 + rateE8, HUNDRED_PERCENT_E8);
        return t == Fixed.OVERFLOW ? Long.MAX_VALUE : t; // a low beyond the long range / 1.1: no price reaches it
    }

    /** The extreme (highest since placement for a sell, lowest for a buy) of the stop {@code h}, held here. */
    public long extreme(int h) {
        return levelExtreme[links.level(h)];
    }

    /** The current trigger of the stop {@code h}, held here. */
    public long trigger(int h) {
        final int l = links.level(h);
        return trigger(sell, levelExtreme[l], (long) levelClass[l] * RATE_STEP_E8);
    }

    /** Copies the handles of every stop held into {@code into} (grown if needed); returns it. For checks: O(n). */
    public int[] handles(int[] into) {
        int[] a = into.length < size ? new int[size] : into;
        int n = 0;
        for (int i = 0; i < activeCount; i++) {
            for (int l = classTop[active[i]]; l != NONE; l = levelNewer[l]) {
                for (int h = levelHead[l]; h != NONE; h = links.next(h)) {
                    a[n++] = h;
                }
            }
        }
        return a;
    }

    /** Adds an active stop with a valid {@code rateE8} whose extreme so far is {@code extremeE8}. */
    public void add(int h, long rateE8, long extremeE8) {
        final int c = (int) (rateE8 / RATE_STEP_E8);
        final int level = levelFor(c, extremeE8);
        // push on the level's list
        final int head = levelHead[level];
        links.next(h, head);
        links.prev(h, NONE);
        if (head != NONE) {
            links.prev(head, h);
        }
        levelHead[level] = h;
        levelCount[level]++;
        links.level(h, level);
        size++;
        bottomBound = sell ? Math.min(bottomBound, extremeE8) : Math.max(bottomBound, extremeE8);
        final long top = classTopTrigger[c];
        triggerBound = sell ? Math.max(triggerBound, top) : Math.min(triggerBound, top);
    }

    /** The level of class {@code c} at {@code extremeE8}, created in its place in the stack if there is none. */
    private int levelFor(int c, long extremeE8) {
        final int bottom = classBottom[c];
        if (bottom == NONE) {
            final int l = newLevel(c, extremeE8);
            classTop[c] = l;
            classBottom[c] = l;
            classTopTrigger[c] = trigger(sell, extremeE8, (long) c * RATE_STEP_E8);
            classSlot[c] = activeCount;
            active[activeCount++] = c;
            return l;
        }
        // walk from the bottom (the newest, where a stop placed at the latest price belongs) towards the top
        int newer = NONE;
        for (int l = bottom; l != NONE; l = levelOlder[l]) {
            final long e = levelExtreme[l];
            if (e == extremeE8) {
                return l;
            }
            if (sell ? e > extremeE8 : e < extremeE8) {
                return insertBetween(c, extremeE8, l, newer);
            }
            newer = l;
        }
        return insertBetween(c, extremeE8, NONE, newer);
    }

    /** A new level of class c between {@code older} and {@code newer} (either may be NONE: top or bottom). */
    private int insertBetween(int c, long extremeE8, int older, int newer) {
        final int l = newLevel(c, extremeE8);
        levelOlder[l] = older;
        levelNewer[l] = newer;
        if (older != NONE) {
            levelNewer[older] = l;
        } else {
            classTop[c] = l;
            classTopTrigger[c] = trigger(sell, extremeE8, (long) c * RATE_STEP_E8);
        }
        if (newer != NONE) {
            levelOlder[newer] = l;
        } else {
            classBottom[c] = l;
        }
        return l;
    }

    private int newLevel(int c, long extremeE8) {
        final int l;
        if (freeLevel != NONE) {
            l = freeLevel;
            freeLevel = levelNewer[l];
        } else {
            if (levelHighWater == levelExtreme.length) {
                final int n = levelHighWater * 2;
                levelExtreme = Arrays.copyOf(levelExtreme, n);
                levelHead = Arrays.copyOf(levelHead, n);
                levelCount = Arrays.copyOf(levelCount, n);
                levelOlder = Arrays.copyOf(levelOlder, n);
                levelNewer = Arrays.copyOf(levelNewer, n);
                levelClass = Arrays.copyOf(levelClass, n);
            }
            l = levelHighWater++;
        }
        levelExtreme[l] = extremeE8;
        levelHead[l] = NONE;
        levelCount[l] = 0;
        levelOlder[l] = NONE;
        levelNewer[l] = NONE;
        levelClass[l] = c;
        return l;
    }

    private void freeLevel(int l) {
        levelNewer[l] = freeLevel;
        freeLevel = l;
    }

    /** Removes the stop {@code h}, held here (a cancel or an expiry). */
    public void remove(int h) {
        final int l = links.level(h);
        final int next = links.next(h);
        final int prev = links.prev(h);
        if (prev != NONE) {
            links.next(prev, next);
        } else {
            levelHead[l] = next;
        }
        if (next != NONE) {
            links.prev(next, prev);
        }
        links.level(h, NONE);
        size--;
        if (--levelCount[l] == 0) {
            unlinkLevel(l);
        }
    }

    /** Takes an empty level out of its class's stack (and the class out of use when it was its last). */
    private void unlinkLevel(int l) {
        final int c = levelClass[l];
        final int older = levelOlder[l];
        final int newer = levelNewer[l];
        if (older != NONE) {
            levelNewer[older] = newer;
        } else {
            classTop[c] = newer;
            if (newer != NONE) {
                classTopTrigger[c] = trigger(sell, levelExtreme[newer], (long) c * RATE_STEP_E8);
            }
        }
        if (newer != NONE) {
            levelOlder[newer] = older;
        } else {
            classBottom[c] = older;
        }
        freeLevel(l);
        if (classTop[c] == NONE) {
            deactivate(c);
        }
    }

    private void deactivate(int c) {
        final int slot = classSlot[c];
        final int last = active[--activeCount];
        active[slot] = last;
        classSlot[last] = slot;
        classSlot[c] = NONE;
    }

    /**
     * A price {@code priceE8} was reached in the stops' favour (a high for sells, a low for buys): every level beyond
     * it moves to it, merging.
     */
    public void advance(long priceE8) {
        if (sell ? priceE8 <= bottomBound : priceE8 >= bottomBound) {
            return;
        }
        long bottoms = sell ? Long.MAX_VALUE : Long.MIN_VALUE;
        long triggers = sell ? Long.MIN_VALUE : Long.MAX_VALUE;
        for (int i = 0; i < activeCount; i++) {
            final int c = active[i];
            if (sell ? levelExtreme[classBottom[c]] < priceE8 : levelExtreme[classBottom[c]] > priceE8) {
                mergeBottom(c, priceE8);
            }
            bottoms = sell ? Math.min(bottoms, levelExtreme[classBottom[c]])
                : Math.max(bottoms, levelExtreme[classBottom[c]]);
            triggers = sell ? Math.max(triggers, classTopTrigger[c]) : Math.min(triggers, classTopTrigger[c]);
        }
        bottomBound = bottoms;
        triggerBound = triggers;
    }

    /** Merges the levels of class c beyond {@code priceE8} into one level at it, the new bottom. */
    private void mergeBottom(int c, long priceE8) {
        // find the merged run: the bottom and every older level still beyond the price; keep the largest list
        int last = classBottom[c];
        int largest = last;
        for (int l = levelOlder[last]; l != NONE && (sell ? levelExtreme[l] < priceE8 : levelExtreme[l] > priceE8);
             l = levelOlder[l]) {
            last = l;
            if (levelCount[l] > levelCount[largest]) {
                largest = l;
            }
        }
        final int above = levelOlder[last];
        for (int l = classBottom[c]; l != above; ) {
            final int older = levelOlder[l];
            if (l != largest) {
                moveOrders(l, largest);
                freeLevel(l);
            }
            l = older;
        }
        levelExtreme[largest] = priceE8;
        levelNewer[largest] = NONE;
        levelOlder[largest] = above;
        classBottom[c] = largest;
        if (above != NONE) {
            levelNewer[above] = largest;
        } else {
            classTop[c] = largest;
            classTopTrigger[c] = trigger(sell, priceE8, (long) c * RATE_STEP_E8);
        }
    }

    /** Relabels every order of level {@code from} into level {@code to} (prepending its list). */
    private void moveOrders(int from, int to) {
        int h = levelHead[from];
        if (h == NONE) {
            return;
        }
        int tail = NONE;
        for (; h != NONE; h = links.next(h)) {
            links.level(h, to);
            tail = h;
        }
        final int head = levelHead[to];
        links.next(tail, head);
        if (head != NONE) {
            links.prev(head, tail);
        }
        levelHead[to] = levelHead[from];
        levelCount[to] += levelCount[from];
    }

    /**
     * Fires every stop whose trigger the price {@code priceE8} reaches (for sells: at or below the trigger; buys: at
     * or above): each goes into {@code batch} with its trigger and tie key, and leaves the book. Returns how many.
     */
    public int fire(long priceE8, FireBatch batch) {
        if (sell ? priceE8 > triggerBound : priceE8 < triggerBound) {
            return 0;
        }
        int fired = 0;
        long triggers = sell ? Long.MIN_VALUE : Long.MAX_VALUE;
        for (int i = 0; i < activeCount; ) {
            final int c = active[i];
            while (classTop[c] != NONE
                && (sell ? priceE8 <= classTopTrigger[c] : priceE8 >= classTopTrigger[c])) {
                fired += fireTop(c, batch);
            }
            if (classTop[c] == NONE) {
                continue; // deactivated: another class moved into slot i
            }
            triggers = sell ? Math.max(triggers, classTopTrigger[c]) : Math.min(triggers, classTopTrigger[c]);
            i++;
        }
        triggerBound = triggers;
        return fired;
    }

    private int fireTop(int c, FireBatch batch) {
        final int l = classTop[c];
        final long trigger = classTopTrigger[c];
        int n = 0;
        for (int h = levelHead[l]; h != NONE; ) {
            final int next = links.next(h);
            links.level(h, NONE);
            batch.add(h, trigger, links.tie(h));
            n++;
            h = next;
        }
        size -= n;
        levelHead[l] = NONE;
        levelCount[l] = 0;
        unlinkLevel(l);
        return n;
    }
}
