package org.perpcore.core.trigger;

import java.util.Arrays;

/**
 * Orders waiting for a price to reach theirs, in firing order: a B+ tree of primitives whose first leaf holds the
 * next orders a price move meets. Firing takes from the front of that leaf, which the last firings and the orders
 * placed near the price keep in cache, and the inner nodes above it are a few kilobytes: a move that fires k orders
 * costs O(k) plus O(log₃₂ n) cache-resident steps, a move that fires none O(1), however many orders wait (a binary
 * heap pays O(log₂ n) cache misses per order fired, since the entry it moves to the root sinks to the bottom). A
 * place or a cancel descends by its key (price, tie): O(log₃₂ n).
 *
 * <p>{@code highestFirst}: the queue of orders a falling price reaches (they fire at or below their price), the
 * highest price first. Otherwise the queue of orders a rising price reaches, the lowest first. Equal prices come out
 * by their tie key ({@link HandleLinks#tie}, the order id: the older first), so the order in which orders leave never
 * depends on the order they came in. The price an order is filed under is kept in {@link HandleLinks#key}, for its
 * cancel.
 *
 * <p>Invariant of the inner nodes: every key of child j is at least its separator j and below separator j + 1
 * (separator 0 is not used). Taking the first entries of a child leaves its separator below its new first key, which
 * keeps the invariant; nodes that empty are removed, non-empty ones are never merged, so the tree stays as deep as its
 * largest size needs.
 *
 * <p>Single writer: the engine thread. No allocation except when the node pools grow.
 */
public final class PriceQueue {
    /** Entries per leaf and children per inner node. */
    static final int B = 32;
    private static final int NONE = HandleLinks.NONE;
    private static final int MAX_DEPTH = 16;

    private final boolean highestFirst;
    private final HandleLinks links;

    // leaves: B sorted entries each, linked in firing order
    private long[] leafPrice = new long[4 * B];
    private long[] leafTie = new long[4 * B];
    private int[] leafHandle = new int[4 * B];
    private int[] leafCount = new int[4];
    private int[] leafNext = new int[4];
    private int[] leafPrev = new int[4];
    private int leafHighWater;
    private int freeLeaf = NONE;

    // inner nodes: up to B children (leaves when the node is just above them) and their separators
    private long[] innerPrice = new long[4 * B];
    private long[] innerTie = new long[4 * B];
    private int[] innerChild = new int[4 * B];
    private int[] innerCount = new int[4];
    private int innerHighWater;
    private int freeInner = NONE;

    private int root;
    /** Levels of inner nodes above the leaves (0: the root is a leaf). */
    private int height;
    private int first;
    private int size;

    // the path of the last descent: node and child index per level, root first
    private final int[] pathNode = new int[MAX_DEPTH];
    private final int[] pathIndex = new int[MAX_DEPTH];

    public PriceQueue(boolean highestFirst, HandleLinks links) {
        this.highestFirst = highestFirst;
        this.links = links;
        root = newLeaf();
        first = root;
    }

    public boolean highestFirst() {
        return highestFirst;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The handle that fires first; the queue must not be empty. */
    public int peek() {
        return leafHandle[first * B];
    }

    /** The price of the order that fires first; the queue must not be empty. */
    public long peekPrice() {
        return leafPrice[first * B];
    }

    /** True when a price range with this low (for a highest-first queue) or high reaches the first order. */
    public boolean reached(long lowE8, long highE8) {
        if (size == 0) {
            return false;
        }
        final long p = leafPrice[first * B];
        return highestFirst ? p >= lowE8 : p <= highE8;
    }

    /**
     * Copies every order, in firing order, into {@code handles} and {@code prices} (for checks: O(n)); returns how
     * many. The arrays must hold {@link #size()} entries.
     */
    public int copy(int[] handles, long[] prices) {
        int n = 0;
        for (int l = first; l != NONE; l = leafNext[l]) {
            for (int e = 0; e < leafCount[l]; e++) {
                handles[n] = leafHandle[l * B + e];
                prices[n++] = leafPrice[l * B + e];
            }
        }
        return n;
    }

    /** Whether (p1, t1) fires before (p2, t2). */
    private boolean earlier(long p1, long t1, long p2, long t2) {
        if (p1 != p2) {
            return highestFirst ? p1 > p2 : p1 < p2;
        }
        return t1 < t2;
    }

    /** Descends to the leaf for key (price, tie), recording the path; returns the leaf. */
    private int descend(long price, long tie) {
        int node = root;
        for (int level = 0; level < height; level++) {
            final int base = node * B;
            final int n = innerCount[node];
            int j = 0;
            while (j + 1 < n && !earlier(price, tie, innerPrice[base + j + 1], innerTie[base + j + 1])) {
                j++;
            }
            pathNode[level] = node;
            pathIndex[level] = j;
            node = innerChild[base + j];
        }
        return node;
    }

    /** Adds an order at {@code priceE8}; its tie key is read from the links. */
    public void add(int h, long priceE8) {
        final long tie = links.tie(h);
        links.key(h, priceE8);
        final int leaf = descend(priceE8, tie);
        final int base = leaf * B;
        final int n = leafCount[leaf];
        int at = n;
        while (at > 0 && earlier(priceE8, tie, leafPrice[base + at - 1], leafTie[base + at - 1])) {
            at--;
        }
        if (n == B) {
            splitLeaf(leaf, at, priceE8, tie, h);
        } else {
            System.arraycopy(leafPrice, base + at, leafPrice, base + at + 1, n - at);
            System.arraycopy(leafTie, base + at, leafTie, base + at + 1, n - at);
            System.arraycopy(leafHandle, base + at, leafHandle, base + at + 1, n - at);
            leafPrice[base + at] = priceE8;
            leafTie[base + at] = tie;
            leafHandle[base + at] = h;
            leafCount[leaf] = n + 1;
        }
        size++;
    }

    /** Splits a full leaf around a new entry at {@code at}; the separator goes up the recorded path. */
    private void splitLeaf(int leaf, int at, long price, long tie, int h) {
        final int right = newLeaf();
        final int base = leaf * B;
        final int half = B / 2;
        final int rb = right * B;
        System.arraycopy(leafPrice, base + half, leafPrice, rb, B - half);
        System.arraycopy(leafTie, base + half, leafTie, rb, B - half);
        System.arraycopy(leafHandle, base + half, leafHandle, rb, B - half);
        leafCount[leaf] = half;
        leafCount[right] = B - half;
        final int next = leafNext[leaf];
        leafNext[right] = next;
        leafPrev[right] = leaf;
        leafNext[leaf] = right;
        if (next != NONE) {
            leafPrev[next] = right;
        }
        if (at <= half) {
            insertInLeaf(leaf, at, price, tie, h);
        } else {
            insertInLeaf(right, at - half, price, tie, h);
        }
        insertSeparator(height - 1, leafPrice[rb], leafTie[rb], right);
    }

    private void insertInLeaf(int leaf, int at, long price, long tie, int h) {
        final int base = leaf * B;
        final int n = leafCount[leaf];
        System.arraycopy(leafPrice, base + at, leafPrice, base + at + 1, n - at);
        System.arraycopy(leafTie, base + at, leafTie, base + at + 1, n - at);
        System.arraycopy(leafHandle, base + at, leafHandle, base + at + 1, n - at);
        leafPrice[base + at] = price;
        leafTie[base + at] = tie;
        leafHandle[base + at] = h;
        leafCount[leaf] = n + 1;
    }

    /**
     * Puts child {@code child} with separator (price, tie) right after the path's child at {@code level} (the level
     * of the inner node that receives it; -1: above the root, which grows a level).
     */
    private void insertSeparator(int level, long price, long tie, int child) {
        if (level < 0) {
            final int newRoot = newInner();
            final int b = newRoot * B;
            innerChild[b] = root;
            innerChild[b + 1] = child;
            innerPrice[b + 1] = price;
            innerTie[b + 1] = tie;
            innerCount[newRoot] = 2;
            root = newRoot;
            height++;
            return;
        }
        final int node = pathNode[level];
        final int at = pathIndex[level] + 1;
        final int n = innerCount[node];
        if (n < B) {
            insertInInner(node, at, price, tie, child);
            return;
        }
        final int right = newInner();
        final int base = node * B;
        final int half = B / 2;
        final int rb = right * B;
        System.arraycopy(innerPrice, base + half, innerPrice, rb, B - half);
        System.arraycopy(innerTie, base + half, innerTie, rb, B - half);
        System.arraycopy(innerChild, base + half, innerChild, rb, B - half);
        innerCount[node] = half;
        innerCount[right] = B - half;
        if (at <= half) {
            insertInInner(node, at, price, tie, child);
        } else {
            insertInInner(right, at - half, price, tie, child);
        }
        // the right node's first separator moves up; within the right node its slot 0 is not used for routing
        insertSeparator(level - 1, innerPrice[rb], innerTie[rb], right);
    }

    private void insertInInner(int node, int at, long price, long tie, int child) {
        final int base = node * B;
        final int n = innerCount[node];
        System.arraycopy(innerPrice, base + at, innerPrice, base + at + 1, n - at);
        System.arraycopy(innerTie, base + at, innerTie, base + at + 1, n - at);
        System.arraycopy(innerChild, base + at, innerChild, base + at + 1, n - at);
        innerPrice[base + at] = price;
        innerTie[base + at] = tie;
        innerChild[base + at] = child;
        innerCount[node] = n + 1;
    }

    /** Removes and returns the order that fires first; the queue must not be empty. */
    public int poll() {
        final int h = leafHandle[first * B];
        // the first leaf is reached by always taking child 0
        int node = root;
        for (int level = 0; level < height; level++) {
            pathNode[level] = node;
            pathIndex[level] = 0;
            node = innerChild[node * B];
        }
        removeFromLeaf(first, 0);
        return h;
    }

    /** Removes the order {@code h}, which this queue holds. */
    public void remove(int h) {
        final long price = links.key(h);
        final long tie = links.tie(h);
        final int leaf = descend(price, tie);
        final int base = leaf * B;
        int at = 0;
        while (leafHandle[base + at] != h) {
            at++;
        }
        removeFromLeaf(leaf, at);
    }

    private void removeFromLeaf(int leaf, int at) {
        final int base = leaf * B;
        final int n = leafCount[leaf] - 1;
        System.arraycopy(leafPrice, base + at + 1, leafPrice, base + at, n - at);
        System.arraycopy(leafTie, base + at + 1, leafTie, base + at, n - at);
        System.arraycopy(leafHandle, base + at + 1, leafHandle, base + at, n - at);
        leafCount[leaf] = n;
        size--;
        if (n == 0 && height > 0) {
            unlinkLeaf(leaf);
            freeLeaf(leaf);
            removeChild(height - 1);
        }
    }

    private void unlinkLeaf(int leaf) {
        final int prev = leafPrev[leaf];
        final int next = leafNext[leaf];
        if (prev != NONE) {
            leafNext[prev] = next;
        } else {
            first = next;
        }
        if (next != NONE) {
            leafPrev[next] = prev;
        }
    }

    /** Removes the path's child at {@code level} from its inner node; an inner node left empty goes too. */
    private void removeChild(int level) {
        final int node = pathNode[level];
        final int at = pathIndex[level];
        final int base = node * B;
        final int n = innerCount[node] - 1;
        System.arraycopy(innerPrice, base + at + 1, innerPrice, base + at, n - at);
        System.arraycopy(innerTie, base + at + 1, innerTie, base + at, n - at);
        System.arraycopy(innerChild, base + at + 1, innerChild, base + at, n - at);
        innerCount[node] = n;
        if (n == 0 && level > 0) {
            freeInner(node);
            removeChild(level - 1);
        } else if (level == 0 && n == 1) {
            // a root with one child: the child becomes the root
            root = innerChild[base];
            freeInner(node);
            height--;
            if (height == 0) {
                first = root;
            }
        }
    }

    private int newLeaf() {
        final int l;
        if (freeLeaf != NONE) {
            l = freeLeaf;
            freeLeaf = leafNext[l];
        } else {
            if (leafHighWater == leafCount.length) {
                final int n = leafHighWater * 2;
                leafPrice = Arrays.copyOf(leafPrice, n * B);
                leafTie = Arrays.copyOf(leafTie, n * B);
                leafHandle = Arrays.copyOf(leafHandle, n * B);
                leafCount = Arrays.copyOf(leafCount, n);
                leafNext = Arrays.copyOf(leafNext, n);
                leafPrev = Arrays.copyOf(leafPrev, n);
            }
            l = leafHighWater++;
        }
        leafCount[l] = 0;
        leafNext[l] = NONE;
        leafPrev[l] = NONE;
        return l;
    }

    private void freeLeaf(int l) {
        leafNext[l] = freeLeaf;
        freeLeaf = l;
    }

    private int newInner() {
        final int i;
        if (freeInner != NONE) {
            i = freeInner;
            freeInner = innerChild[i * B];
        } else {
            if (innerHighWater == innerCount.length) {
                final int n = innerHighWater * 2;
                innerPrice = Arrays.copyOf(innerPrice, n * B);
                innerTie = Arrays.copyOf(innerTie, n * B);
                innerChild = Arrays.copyOf(innerChild, n * B);
                innerCount = Arrays.copyOf(innerCount, n);
            }
            i = innerHighWater++;
        }
        innerCount[i] = 0;
        return i;
    }

    private void freeInner(int i) {
        innerChild[i * B] = freeInner;
        freeInner = i;
    }
}
