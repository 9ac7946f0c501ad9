package org.perpcore.journal;

import java.nio.file.Path;
import java.util.zip.CRC32C;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.perpcore.core.command.Command;

/**
 * Reads a journal's commands back in sequence order, checking every entry: its checksum, its schema version, and
 * that its sequence number is the one expected (1, 2, 3... or from the first one asked for). Anything else stops
 * the reader with a {@link JournalException} that names the sequence number and the reason; no entry is ever
 * skipped. Single-threaded, like every Chronicle tailer.
 */
public final class JournalReader implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final boolean ownsQueue;
    private final QueueCursor cursor;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final CRC32C crc = new CRC32C();
    private long expectedSeq;
    private long lastSeq;

    /** Reads {@code dir}'s commands from the first (read only: the journal is not changed). */
    public JournalReader(Path dir) {
        this(dir, 1);
    }

    /** Reads {@code dir}'s commands from sequence number {@code fromSeq} (read only). */
    public JournalReader(Path dir, long fromSeq) {
        this(openReadOnly(dir), true, fromSeq);
    }

    JournalReader(SingleChronicleQueue queue, boolean ownsQueue, long fromSeq) {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.cursor = new QueueCursor(queue, JournalFiles.COMMANDS, JournalEntries.COMMAND_SEQ_AT);
        this.expectedSeq = Math.max(1, fromSeq);
        this.lastSeq = expectedSeq - 1;
        cursor.toSeq(expectedSeq);
    }

    static SingleChronicleQueue openReadOnly(Path dir) {
        if (!JournalFiles.isJournal(dir)) {
            throw new JournalException(dir + " is not a Perpcore journal (no " + JournalFiles.COMMANDS + "/ in it)");
        }
        return JournalFiles.open(dir, JournalFiles.COMMANDS, JournalOptions.DEFAULT, true);
    }

    /**
     * Reads the next command into {@code into} (cleared first).
     *
     * @return true when a command was read; false at the end of the journal
     * @throws JournalException when the next entry is damaged, truncated, of an unknown version or out of sequence
     */
    public boolean next(Command into) {
        try {
            if (!cursor.next()) {
                return false;
            }
        } catch (QueueCursor.CorruptEntryException e) {
            throw damaged(e.getMessage());
        }
        final String problem = JournalEntries.decodeCommand(cursor.data(), cursor.offset(), cursor.length(), view, crc,
            into);
        if (problem != null) {
            throw damaged(problem);
        }
        if (into.seq != expectedSeq) {
            throw new JournalException(JournalFiles.COMMANDS + ": entry " + cursor.entry() + " carries seq " + into.seq
                + " where seq " + expectedSeq + " was expected (" + (into.seq > expectedSeq ? "commands are missing"
                : "a command appears twice or out of order") + ")", expectedSeq);
        }
        lastSeq = expectedSeq++;
        return true;
    }

    private JournalException damaged(String reason) {
        return new JournalException(JournalFiles.COMMANDS + ": the entry for seq " + expectedSeq + " (entry "
            + expectedSeq + " of " + cursor.lastSeq() + "): " + reason, expectedSeq);
    }

    /** Sequence number of the last command read (the one before the first asked for, before any read). */
    public long lastSeq() {
        return lastSeq;
    }

    /** Entries in the journal (complete or not): the sequence number of its last one. */
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
