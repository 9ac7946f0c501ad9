package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.perpcore.core.book.LevelStore;
import org.perpcore.core.book.OrderStore;

/**
 * The trigger heaps pop positions in (trigger, account id) order, longs highest trigger first and shorts lowest
 * first, through random inserts, trigger changes (some to the same trigger), moves between the sides and removals.
 */
class TriggerIndexTest {
    @Test
    void popsInTriggerThenAccountOrder() {
        final Market market = new Market(0, new byte[] {'X'}, new OrderStore(16), new LevelStore(16));
        final TriggerIndex longs = new TriggerIndex(true);
        final TriggerIndex shorts = new TriggerIndex(false);
        final SplittableRandom random = new SplittableRandom(5);
        final List<Position> positions = new ArrayList<>();
        for (int id = 0; id < 300; id++) {
            positions.add(new Position(new Account(id, new byte[] {'a'}), market));
        }
        for (int step = 0; step < 20_000; step++) {
            final Position p = positions.get(random.nextInt(positions.size()));
            final int action = random.nextInt(10);
            if (action == 0) {
                TriggerIndex.detach(p);
            } else {
                if (action > 2 || p.heap == null) {
                    p.triggerE8 = random.nextInt(50); // few values: many equal triggers
                }
                (random.nextBoolean() ? longs : shorts).update(p);
            }
            if (step % 1000 == 999) {
                check(longs, positions, true);
                check(shorts, positions, false);
                for (Position q : positions) {
                    (random.nextBoolean() ? longs : shorts).update(q);
                }
            }
        }
    }

    /** Pops everything from {@code index}, comparing with the sorted positions it holds. */
    private static void check(TriggerIndex index, List<Position> positions, boolean longs) {
        final List<Position> expected = new ArrayList<>();
        for (Position p : positions) {
            if (p.heap == index) {
                expected.add(p);
            }
        }
        final Comparator<Position> byTrigger = Comparator.comparingLong(p -> p.triggerE8);
        expected.sort((longs ? byTrigger.reversed() : byTrigger).thenComparingInt(p -> p.account.id()));
        assertEquals(expected.size(), index.size());
        for (Position p : expected) {
            assertSame(p, index.peek());
            TriggerIndex.detach(p);
            assertNull(p.heap);
        }
        assertNull(index.peek());
    }
}
