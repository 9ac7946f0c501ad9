package org.perpcore.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EventHistoryTest {
    @Test
    void keepsTheNewestEntriesWithinItsBytesAndEntries() {
        final EventHistory h = new EventHistory(1000, 16);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[300]);
        for (long seq = 1; seq <= 200; seq++) {
            final int len = 10 + (int) (seq * 7 % 90);
            for (int i = 0; i < len; i++) {
                src.putByte(i, (byte) (seq + i));
            }
            h.add(seq, src, 0, len);
            assertEquals(seq, h.lastSeq());
            assertTrue(h.lastSeq() - h.firstSeq() + 1 <= 16, "at most 16 entries");
            long bytes = 0;
            for (long s = h.firstSeq(); s <= h.lastSeq(); s++) {
                final int l = h.length(s);
                assertEquals(10 + (int) (s * 7 % 90), l);
                for (int i = 0; i < l; i++) {
                    assertEquals((byte) (s + i), h.buffer().getByte(h.offset(s) + i), "seq " + s + " byte " + i);
                }
                bytes += l;
            }
            assertTrue(bytes <= 1000);
        }
        assertFalse(h.contains(1));
        assertTrue(h.contains(200));
    }

    @Test
    void aGapOrAnOversizedEntryRestartsTheHistory() {
        final EventHistory h = new EventHistory(100, 8);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[200]);
        h.add(1, src, 0, 10);
        h.add(2, src, 0, 10);
        h.add(5, src, 0, 10);
        assertEquals(5, h.firstSeq());
        h.add(6, src, 0, 150);
        assertFalse(h.contains(6));
        assertFalse(h.contains(5));
        h.add(7, src, 0, 10);
        assertTrue(h.contains(7));
        assertEquals(7, h.firstSeq());
    }
}
