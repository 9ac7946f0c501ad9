package org.perpcore.core.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perpcore.core.command.Name;

/** The open-addressing indexes agree with a HashMap through growth and backward-shift deletions. */
class IndexTest {
    @Test
    void orderIdIndexMatchesAMap() {
        final OrderIdIndex index = new OrderIdIndex(16); // 1,024 slots: many ids outlive their slot
        final Map<Long, Integer> expected = new HashMap<>();
        final List<Long> live = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(3);
        long nextId = 1;
        for (int step = 0; step < 300_000; step++) {
            if (live.isEmpty() || random.nextInt(100) < 55) {
                final long id = nextId++;
                final int handle = random.nextInt(1 << 20);
                index.put(id, handle);
                expected.put(id, handle);
                live.add(id);
            } else {
                final long id = live.remove(random.nextInt(live.size()));
                index.remove(id);
                expected.remove(id);
            }
            if (step % 997 == 0) {
                for (long id = Math.max(1, nextId - 3000); id < nextId; id++) {
                    assertEquals(expected.getOrDefault(id, OrderStore.NONE), index.get(id), "id " + id);
                }
            }
        }
        assertEquals(expected.size(), index.size());
        assertTrue(index.overflowSize() > 0, "the test reached the overflow path");
    }

    @Test
    void clientIdIndexMatchesAMap() {
        final OrderStore orders = new OrderStore(16);
        final ClientIdIndex index = new ClientIdIndex(orders, 4);
        final Map<String, Integer> expected = new HashMap<>();
        final List<String> live = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(5);
        final Name id = new Name();
        for (int step = 0; step < 200_000; step++) {
            if (live.isEmpty() || random.nextInt(100) < 55) {
                final int account = random.nextInt(50);
                final int market = random.nextInt(3);
                final String text = "c" + Long.toString(random.nextLong() & 0xFFFFFFFFFFL, 36)
                    + "x".repeat(random.nextInt(25));
                final String key = account + "/" + market + "/" + text;
                if (expected.containsKey(key)) {
                    continue;
                }
                id.set(text);
                final int h = orders.allocate();
                orders.orderId(h, step + 1);
                orders.account(h, account);
                orders.market(h, market);
                orders.clientId(h, id);
                index.add(ClientIdIndex.keyHash(account, market, id), h);
                expected.put(key, h);
                live.add(key);
            } else {
                final String key = live.remove(random.nextInt(live.size()));
                final int h = expected.remove(key);
                index.remove(h);
                orders.free(h);
            }
            if (step % 1009 == 0) {
                for (Map.Entry<String, Integer> e : expected.entrySet()) {
                    final String[] parts = e.getKey().split("/", 3);
                    id.set(parts[2]);
                    assertEquals(e.getValue(), index.find(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), id));
                    id.set(parts[2] + "z");
                    assertEquals(OrderStore.NONE, index.find(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), id));
                }
            }
        }
        assertEquals(expected.size(), index.size());
    }

    @Test
    void clientIdCharacterCheckAgreesWithNameForEveryByteAtEveryPlace() {
        final byte[] text = new byte[Name.CAPACITY];
        final Name id = new Name();
        for (int length = 1; length <= ClientIdIndex.MAX_LENGTH; length++) {
            for (int place = 0; place < length; place++) {
                for (int c = 0; c < 256; c++) {
                    java.util.Arrays.fill(text, (byte) 'a');
                    text[place] = (byte) c;
                    // what follows the content must not matter: an illegal byte just past it
                    if (length < text.length) {
                        text[length] = (byte) 0x80;
                    }
                    id.set(text, 0, length);
                    assertEquals(Name.isLegalChar(c), ClientIdIndex.isLegal(id), "byte " + c + " at " + place + " of " + length);
                }
            }
        }
    }
}
