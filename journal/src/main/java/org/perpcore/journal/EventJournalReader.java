package org.perpcore.journal;

import java.nio.file.Path;
import java.util.zip.CRC32C;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a journal's events back, one entry per command in sequence order, with the same checks as
 * {@link JournalReader}: checksum, schema version, consecutive sequence numbers. Single-threaded.
 */
public final class EventJournalReader implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final boolean ownsQueue;
    private final QueueCursor cursor;
    private final UnsafeBuffer events = new UnsafeBuffer(new byte[0]);
    private final CRC32C crc = new CRC32C();
    private long expectedSeq;
    private long timestampMs;
    private int count;
    private int length;

    /** Reads {@code dir}'s events from the first (read only). */
    public EventJournalReader(Path dir) {
        this(dir, 1);
    }

    public EventJournalReader(Path dir, long fromSeq) {
        this(openReadOnly(dir), true, fromSeq);
    }

    EventJournalReader(SingleChronicleQueue queue, boolean ownsQueue, long fromSeq) {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.cursor = new QueueCursor(queue, JournalFiles.EVENTS, JournalEntries.EVENTS_SEQ_AT);
        this.expectedSeq = Math.max(1, fromSeq);
        cursor.toSeq(expectedSeq);
    }

    static SingleChronicleQueue openReadOnly(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir.resolve(JournalFiles.EVENTS))) {
            throw new JournalException(dir + " has no event journal (no " + JournalFiles.EVENTS + "/ in it)");
        }
        return JournalFiles.open(dir, JournalFiles.EVENTS, JournalOptions.DEFAULT, true);
    }

    /**
     * Reads the next entry.
     *
     * @return true when an entry was read; false at the end
     * @throws JournalException when it is damaged, truncated, of an unknown version or out of sequence
     */
    public boolean next() {
        try {
            if (!cursor.next()) {
                return false;
            }
        } catch (QueueCursor.CorruptEntryException e) {
            throw damaged(e.getMessage());
        }
        final byte[] data = cursor.data();
        final int at = cursor.offset();
        final String problem = JournalEntries.checkEvents(data, at, cursor.length(), crc);
        if (problem != null) {
            throw damaged(problem);
        }
        final long seq = JournalEntries.eventsSeq(data, at);
        if (seq != expectedSeq) {
            throw new JournalException(JournalFiles.EVENTS + ": entry " + cursor.entry() + " carries seq " + seq
                + " where seq " + expectedSeq + " was expected", expectedSeq);
        }
        expectedSeq++;
        timestampMs = JournalEntries.eventsTimestamp(data, at);
        count = JournalEntries.eventsCount(data, at);
        length = JournalEntries.eventsLength(data, at);
        events.wrap(data, at + JournalEntries.EVENTS_HEADER, length);
        return true;
    }

    private JournalException damaged(String reason) {
        return new JournalException(JournalFiles.EVENTS + ": the entry for seq " + expectedSeq + ": " + reason,
            expectedSeq);
    }

    /** Sequence number of the entry read last. */
    public long seq() {
        return expectedSeq - 1;
    }

    public long timestampMs() {
        return timestampMs;
    }

    /** Events in the entry read last. */
    public int count() {
        return count;
    }

    /** Bytes of events in the entry read last. */
    public int length() {
        return length;
    }

    /** The events of the entry read last ({@link #length()} bytes from 0), valid until the next read. */
    public DirectBuffer events() {
        return events;
    }

    /** Entries in the event journal (complete or not): the sequence number of its last one. */
    public long entryCount() {
        return cursor.lastSeq();
    }

    @Override
    public void close() {
        cursor.close();
        if (ownsQueue) {
            queue.close();
        }
    }
}
