package org.perpcore.core.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trigger structures against brute-force models, over long random sequences of adds, removes and price moves:
 * every order fires exactly when a plain scan of all waiting orders says it must, with the trigger price the scan
 * computes, and the order in which a heap gives them up is (price, tie).
 */
class TriggerStructuresTest {
    private static final long E8 = 100_000_000L;

    @ParameterizedTest(name = "highest first {0}")
    @ValueSource(booleans = {true, false})
    void priceQueuePopsInPriceThenTieOrderAndRemovesAnywhere(boolean highestFirst) {
        final SplittableRandom random = new SplittableRandom(7);
        final HandleLinks links = new HandleLinks(16);
        final PriceQueue heap = new PriceQueue(highestFirst, links);
        final Map<Integer, long[]> model = new HashMap<>(); // handle -> {price, tie}
        int nextHandle = 0;
        long nextTie = 1;
        final List<Integer> free = new ArrayList<>();
        for (int step = 0; step < 100_000; step++) {
            final int op = step < 60_000 ? random.nextInt(10) : 5 + random.nextInt(5);
            if (op < 5 || model.isEmpty()) {
                final int h = free.isEmpty() ? nextHandle++ : free.remove(free.size() - 1);
                links.ensure(h);
                // many equal prices (ties matter), and orders arriving at both ends and in between
                final long price = (1000 + random.nextInt(random.nextBoolean() ? 200 : 5)) * E8;
                links.tie(h, nextTie++);
                heap.add(h, price);
                model.put(h, new long[] {price, links.tie(h)});
            } else if (op < 7) {
                final int h = model.keySet().stream().skip(random.nextInt(model.size())).findFirst().orElseThrow();
                heap.remove(h);
                model.remove(h);
                free.add(h);
            } else {
                // pop everything a move to this price reaches, in order
                final long price = (1000 + random.nextInt(200)) * E8;
                long lastPrice = highestFirst ? Long.MAX_VALUE : Long.MIN_VALUE;
                long lastTie = Long.MIN_VALUE;
                while (heap.reached(price, price)) {
                    final long p = heap.peekPrice();
                    final int h = heap.poll();
                    final long[] expected = model.remove(h);
                    assertEquals(expected[0], p);
                    if (p == lastPrice) {
                        assertTrue(expected[1] > lastTie, "equal prices by tie");
                    } else {
                        assertTrue(highestFirst ? p < lastPrice : p > lastPrice, "price order");
                    }
                    lastPrice = p;
                    lastTie = expected[1];
                    free.add(h);
                }
                for (long[] left : model.values()) {
                    assertTrue(highestFirst ? left[0] < price : left[0] > price, "an order the move reached stayed");
                }
            }
            assertEquals(model.size(), heap.size());
            if (step % 1009 == 0) {
                // the whole queue, in firing order, is the model sorted by (price, tie)
                final int[] handles = new int[heap.size()];
                final long[] prices = new long[heap.size()];
                assertEquals(model.size(), heap.copy(handles, prices));
                for (int i = 0; i < handles.length; i++) {
                    assertEquals(model.get(handles[i])[0], prices[i]);
                    if (i > 0) {
                        final long[] a = model.get(handles[i - 1]);
                        final long[] b = model.get(handles[i]);
                        assertTrue(a[0] != b[0] ? (highestFirst ? a[0] > b[0] : a[0] < b[0]) : a[1] < b[1],
                            "firing order at " + i);
                    }
                }
            }
        }
    }

    /** Deep trees: 150,000 orders in (several inner levels), then cancels anywhere and pops until empty. */
    @ParameterizedTest(name = "highest first {0}")
    @ValueSource(booleans = {true, false})
    void aDeepPriceQueueSplitsAndShrinksAndKeepsItsOrder(boolean highestFirst) {
        final SplittableRandom random = new SplittableRandom(highestFirst ? 5 : 6);
        final HandleLinks links = new HandleLinks(16);
        final PriceQueue queue = new PriceQueue(highestFirst, links);
        final int n = 150_000;
        final java.util.TreeSet<long[]> model = new java.util.TreeSet<>((a, b) -> a[0] != b[0]
            ? (highestFirst ? Long.compare(b[0], a[0]) : Long.compare(a[0], b[0])) : Long.compare(a[1], b[1]));
        final long[][] byHandle = new long[n][];
        for (int h = 0; h < n; h++) {
            links.ensure(h);
            links.tie(h, (h * 2_654_435_761L) & 0xFFFF_FFFFL); // unique (an odd multiplier mod 2^32), in random order
            final long price = random.nextInt(3) == 0 ? 50_000 * E8 : (1 + random.nextInt(1_000_000)) * E8 / 10;
            queue.add(h, price);
            byHandle[h] = new long[] {price, links.tie(h), h};
            model.add(byHandle[h]);
        }
        assertEquals(n, queue.size());
        final List<Integer> alive = new ArrayList<>();
        for (int h = 0; h < n; h++) {
            alive.add(h);
        }
        java.util.Collections.shuffle(alive, new java.util.Random(9));
        int cursor = 0;
        int steps = 0;
        while (!model.isEmpty()) {
            if (random.nextBoolean() && cursor < alive.size()) {
                final int h = alive.get(cursor++);
                if (model.remove(byHandle[h])) {
                    queue.remove(h);
                }
            } else {
                final long[] expected = model.pollFirst();
                assertEquals(expected[0], queue.peekPrice());
                assertEquals((int) expected[2], queue.poll());
            }
            assertEquals(model.size(), queue.size());
            if (++steps % 40_000 == 0) {
                final int[] handles = new int[queue.size()];
                queue.copy(handles, new long[queue.size()]);
                int i = 0;
                for (long[] e : model) {
                    assertEquals((int) e[2], handles[i++]);
                }
            }
        }
        // and it grows again from empty
        queue.add(0, 7 * E8);
        assertEquals(0, queue.peek());
        assertEquals(0, queue.poll());
        assertTrue(queue.isEmpty());
    }

    @ParameterizedTest(name = "sell {0}")
    @ValueSource(booleans = {true, false})
    void trailingBookFiresWhatAScanOfAllStopsFires(boolean sell) {
        final SplittableRandom random = new SplittableRandom(sell ? 11 : 12);
        final HandleLinks links = new HandleLinks(16);
        final TrailingBook book = new TrailingBook(sell, links);
        final FireBatch batch = new FireBatch();
        final Map<Integer, long[]> model = new HashMap<>(); // handle -> {rate, extreme}
        final List<Integer> free = new ArrayList<>();
        int nextHandle = 0;
        long price = 100_000 * E8;
        long firedTotal = 0;
        final long[] rates = {TrailingBook.MIN_RATE_E8, E8 / 2, E8, 2 * E8 + 37 * TrailingBook.RATE_STEP_E8,
            TrailingBook.MAX_RATE_E8};
        for (int step = 0; step < 100_000; step++) {
            final int op = random.nextInt(12);
            if (op < 4 || model.isEmpty()) {
                final int h = free.isEmpty() ? nextHandle++ : free.remove(free.size() - 1);
                links.ensure(h);
                links.tie(h, step);
                final long rate = random.nextInt(3) == 0
                    ? TrailingBook.MIN_RATE_E8 + random.nextInt(991) * TrailingBook.RATE_STEP_E8
                    : rates[random.nextInt(rates.length)];
                // mostly at the latest price (as the engine adds them), sometimes anywhere (a restore)
                final long extreme = random.nextInt(5) == 0 ? price + (random.nextInt(2001) - 1000) * E8 : price;
                book.add(h, rate, extreme);
                model.put(h, new long[] {rate, extreme});
            } else if (op < 6) {
                final int h = model.keySet().stream().skip(random.nextInt(model.size())).findFirst().orElseThrow();
                book.remove(h);
                model.remove(h);
                free.add(h);
            } else {
                price += (random.nextInt(2001) - 1000) * E8 / 4;
                final boolean favourable = random.nextBoolean();
                if (favourable) {
                    book.advance(price);
                    for (long[] o : model.values()) {
                        o[1] = sell ? Math.max(o[1], price) : Math.min(o[1], price);
                    }
                } else {
                    batch.clear();
                    final int fired = book.fire(price, batch);
                    assertEquals(batch.size(), fired);
                    final TreeMap<Integer, Long> expected = new TreeMap<>();
                    for (Map.Entry<Integer, long[]> e : model.entrySet()) {
                        final long trigger = TrailingBook.trigger(sell, e.getValue()[1], e.getValue()[0]);
                        if (sell ? price <= trigger : price >= trigger) {
                            expected.put(e.getKey(), trigger);
                        }
                    }
                    final TreeMap<Integer, Long> got = new TreeMap<>();
                    for (int i = 0; i < batch.size(); i++) {
                        got.put(batch.handle(i), batch.trigger(i));
                        assertEquals(links.tie(batch.handle(i)), batch.tie(i));
                    }
                    assertEquals(expected, got, "fired at " + price);
                    firedTotal += fired;
                    for (int h : got.keySet()) {
                        model.remove(h);
                        free.add(h);
                    }
                }
            }
            assertEquals(model.size(), book.size());
            if (step % 997 == 0) {
                for (Map.Entry<Integer, long[]> e : model.entrySet()) {
                    assertEquals(e.getValue()[1], book.extreme(e.getKey()), "extreme of " + e.getKey());
                    assertEquals(TrailingBook.trigger(sell, e.getValue()[1], e.getValue()[0]),
                        book.trigger(e.getKey()));
                }
                final int[] held = book.handles(new int[0]);
                assertEquals(model.size(), held.length >= model.size() ? model.size() : -1);
                for (int i = 0; i < model.size(); i++) {
                    assertTrue(model.containsKey(held[i]));
                }
            }
        }
        assertTrue(firedTotal > 5_000, "the run fired stops: " + firedTotal);
    }

    @Test
    void triggerRoundsAgainstTheOrderAndRatesAreWholeHundredthsOfAPercent() {
        // 1 % below a high of 100,000.05: 99,000.0495 -> floor; 1 % above a low of 100,000.05: 101,000.0505 -> ceil
        assertEquals(9_900_004_950_000L, TrailingBook.trigger(true, 10_000_005_000_000L, E8));
        assertEquals(10_100_005_050_000L, TrailingBook.trigger(false, 10_000_005_000_000L, E8));
        assertEquals(9_900_004_949_999L, TrailingBook.trigger(true, 10_000_005_000_000L - 1, E8));
        assertTrue(TrailingBook.validRate(E8 / 10));
        assertTrue(TrailingBook.validRate(10 * E8));
        assertTrue(TrailingBook.validRate(E8 + TrailingBook.RATE_STEP_E8));
        assertTrue(!TrailingBook.validRate(E8 / 10 - TrailingBook.RATE_STEP_E8));
        assertTrue(!TrailingBook.validRate(10 * E8 + TrailingBook.RATE_STEP_E8));
        assertTrue(!TrailingBook.validRate(E8 + TrailingBook.RATE_STEP_E8 / 2));
    }

    @Test
    void fireBatchSortsSegmentsByTriggerThenTie() {
        final FireBatch batch = new FireBatch();
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 5000; i++) {
            batch.add(i, random.nextInt(50), random.nextInt(1000) * 10_000L + i);
        }
        batch.sort(0, 2000, true);
        batch.sort(2000, 5000, false);
        for (int i = 1; i < 2000; i++) {
            assertTrue(batch.trigger(i - 1) > batch.trigger(i)
                || batch.trigger(i - 1) == batch.trigger(i) && batch.tie(i - 1) < batch.tie(i));
        }
        for (int i = 2001; i < 5000; i++) {
            assertTrue(batch.trigger(i - 1) < batch.trigger(i)
                || batch.trigger(i - 1) == batch.trigger(i) && batch.tie(i - 1) < batch.tie(i));
        }
    }
}
