package org.perpcore.journal;

import java.io.File;
import java.text.ParseException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads a journal queue's entries as raw bytes, by entry number (1, 2, 3... in append order, across roll cycles),
 * with the checks that belong below the entry format: a file cut short inside an entry, an entry too long to be
 * ours, a queue Chronicle itself cannot read. Single-threaded, like every Chronicle tailer.
 */
final class QueueCursor implements AutoCloseable {
    /** No journal entry is this long (a command is under 1 KiB; the events of one command are far below this). */
    static final int MAX_ENTRY = 64 << 20;

    private final SingleChronicleQueue queue;
    private final String name;
    private final ExcerptTailer tailer;
    private byte[] data = new byte[1024];
    private int length;
    private long index = -1;
    private long entry;
    private File checkedFile;
    private long checkedLength;

    QueueCursor(SingleChronicleQueue queue, String name) {
        this.queue = queue;
        this.name = name;
        try {
            this.tailer = queue.createTailer();
        } catch (Exception | InternalError e) {
            // Exception, not RuntimeException: Chronicle also throws undeclared checked ones (StreamCorruptedException)
            throw JournalFiles.unreadable(name, e);
        }
    }

    /** Entries in the queue. */
    long entryCount() {
        return JournalFiles.entryCount(queue, name);
    }

    /**
     * Positions the cursor so that {@link #next} reads entry number {@code n} (1-based). Entry numbers follow the
     * queue's own count of entries per roll cycle, so this costs one look-up per cycle file, not a scan.
     *
     * @return false when the queue has fewer than {@code n} entries (the cursor is then at the end)
     */
    boolean toEntry(long n) {
        try {
            return toEntry0(n);
        } catch (JournalException e) {
            throw e;
        } catch (Exception | InternalError e) {
            // Exception, not RuntimeException: Chronicle also throws undeclared checked ones (StreamCorruptedException)
            throw JournalFiles.unreadable(name, e);
        }
    }

    private boolean toEntry0(long n) {
        entry = n - 1;
        if (n <= 1) {
            tailer.toStart();
            return entryCount() >= 1;
        }
        final RollCycle roll = queue.rollCycle();
        long remaining = n - 1; // entries to skip
        int cycle = queue.firstCycle();
        final int last = queue.lastCycle();
        // (per-cycle counts come from Chronicle's index: no entry is read)
        while (cycle <= last && cycle != Integer.MIN_VALUE && cycle != Integer.MAX_VALUE) {
            final long inCycle = tailer.excerptsInCycle(cycle);
            if (remaining < inCycle) {
                return tailer.moveToIndex(roll.toIndex(cycle, remaining));
            }
            remaining -= Math.max(0, inCycle);
            try {
                final int next = queue.nextCycle(cycle, TailerDirection.FORWARD);
                if (next <= cycle) {
                    break;
                }
                cycle = next;
            } catch (ParseException e) {
                throw new JournalException(name + ": unreadable roll cycle after " + cycle + ": " + e.getMessage());
            }
        }
        tailer.toEnd();
        return false;
    }

    /**
     * Reads the next entry's bytes ({@link #data()}, {@link #length()}).
     *
     * @return false at the end of the queue
     * @throws CorruptEntryException when the entry cannot be read at all: Chronicle refuses it, it is longer than
     *     any entry, or its file ends inside it
     */
    boolean next() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            entry++;
            index = dc.index();
            final Bytes<?> bytes = dc.wire().bytes();
            final long start = bytes.readPosition();
            final long end = bytes.readLimit();
            final long size = end - start;
            if (size < 0 || size > MAX_ENTRY) {
                throw new CorruptEntryException(entry, "an entry of " + size + " bytes, longer than any journal entry");
            }
            checkFileLength(end);
            if (size > data.length) {
                data = new byte[(int) Math.max(size, data.length * 2L)];
            }
            length = (int) size;
            bytes.read(data, 0, length);
            return true;
        } catch (CorruptEntryException e) {
            throw e;
        } catch (Exception | InternalError e) {
            // Exception, not RuntimeException: Chronicle also throws undeclared checked ones (StreamCorruptedException)
            // Chronicle cannot read what the file holds there (a damaged header, or an unmapped page of a cut file)
            throw new CorruptEntryException(entry + 1, "unreadable (" + e + ")");
        }
    }

    private void checkFileLength(long end) {
        final File file = tailer.currentFile();
        if (file == null) {
            return;
        }
        if (!file.equals(checkedFile) || end > checkedLength) {
            checkedFile = file;
            checkedLength = file.length();
            if (end > checkedLength) {
                throw new CorruptEntryException(entry, "truncated: the file " + file.getName() + " ends at byte "
                    + checkedLength + ", inside this entry (which ends at byte " + end + ")");
            }
        }
    }

    byte[] data() {
        return data;
    }

    int length() {
        return length;
    }

    /** Number (1-based) of the entry read last. */
    long entry() {
        return entry;
    }

    /** Chronicle index of the entry read last. */
    long index() {
        return index;
    }

    @Override
    public void close() {
        tailer.close();
    }

    /** An entry that cannot be read or is not a valid entry: which one (1-based) and why. */
    static final class CorruptEntryException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long entry;

        CorruptEntryException(long entry, String reason) {
            super(reason);
            this.entry = entry;
        }
    }
}
