package org.perpcore.journal;

import java.io.File;
import java.text.ParseException;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads a journal queue's entries as raw bytes, in append order across roll cycles, whatever document layout holds
 * them ({@link Frames}: a frame of entries per document, or one entry per document as earlier builds wrote, or both
 * one after the other), with the checks that belong below the entry format: a frame's header and lengths, a file
 * cut short inside a document, a document too long to be ours, a queue Chronicle itself cannot read. Single-threaded,
 * like every Chronicle tailer.
 *
 * <p>A file cut short inside a frame (a power loss, a damaged disk) gives back the entries before the cut, then
 * stops at the one it cuts with the reason: nothing after the cut is skipped over.
 */
final class QueueCursor implements AutoCloseable {
    /** No journal document is this long (a frame is at most a few hundred KiB, a command under 1 KiB). */
    static final int MAX_DOCUMENT = 64 << 20;

    private final SingleChronicleQueue queue;
    private final String name;
    private final int seqAt;
    private final ExcerptTailer tailer;
    private final CRC32C crc = new CRC32C();
    private byte[] data = new byte[1024];
    /** The document read last: its length, the bytes of it in {@link #data}, where it starts in its file. */
    private int documentLength;
    private int available;
    private long documentStart;
    /** When the document's file ends inside it: "the file F ends at byte B"; otherwise null. */
    private String fileEnd;
    private boolean inDocument;
    private boolean frame;
    private long frameFirstSeq;
    private int frameCount;
    private int frameRead;
    private int position;
    private int offset;
    private int length;
    private long entry;
    /** After a seek: entries of the document landed on with a lower sequence number are passed over. */
    private long passBelow;
    private File checkedFile;
    private long checkedLength;

    /**
     * @param seqAt where the queue's entries keep their sequence number ({@link JournalEntries#COMMAND_SEQ_AT} or
     *              {@link JournalEntries#EVENTS_SEQ_AT}), for seeking in layout-1 documents
     */
    QueueCursor(SingleChronicleQueue queue, String name, int seqAt) {
        this.queue = queue;
        this.name = name;
        this.seqAt = seqAt;
        try {
            this.tailer = queue.createTailer();
        } catch (Exception | InternalError e) {
            // Exception, not RuntimeException: Chronicle also throws undeclared checked ones (StreamCorruptedException)
            throw JournalFiles.unreadable(name, e);
        }
    }

    /**
     * The sequence number of the queue's last entry, complete or not (0 when empty), from the last document's frame
     * header (or its entry, layout 1): no scan. A last document whose header or entry is damaged counts as one entry
     * after the one before it. Journals number their entries from 1, so this is also the count of entries.
     */
    long lastSeq() {
        try (ExcerptTailer probe = queue.createTailer()) {
            final Documents docs = new Documents(probe);
            long damagedAfter = 0;
            for (long k = docs.count - 1; k >= 0; k--) {
                final long last = lastSeqOf(probe, docs.index(k));
                if (last >= 0) {
                    return last + damagedAfter;
                }
                damagedAfter++;
            }
            return damagedAfter;
        } catch (JournalException e) {
            throw e;
        } catch (Exception | InternalError e) {
            // Exception, not RuntimeException: Chronicle also throws undeclared checked ones (StreamCorruptedException)
            throw JournalFiles.unreadable(name, e);
        }
    }

    /**
     * Positions the cursor so that {@link #next} reads the entry of sequence number {@code seq} (or the first one
     * after it, which the reader then reports as a gap): a binary search on the documents' first sequence numbers,
     * reading one header per step.
     */
    void toSeq(long seq) {
        try {
            toSeq0(seq);
        } catch (JournalException e) {
            throw e;
        } catch (Exception | InternalError e) {
            // Exception, not RuntimeException: Chronicle also throws undeclared checked ones (StreamCorruptedException)
            throw JournalFiles.unreadable(name, e);
        }
    }

    private void toSeq0(long seq) {
        entry = seq - 1;
        inDocument = false;
        passBelow = 0;
        final Documents docs = seq <= 1 ? null : new Documents(tailer);
        if (docs == null || docs.count == 0) {
            tailer.toStart();
            return;
        }
        long found = 0;
        long lo = 0;
        long hi = docs.count - 1;
        while (lo <= hi) {
            final long mid = (lo + hi) >>> 1;
            long probe = mid;
            long first = -1;
            while (probe <= hi && (first = firstSeqOf(tailer, docs.index(probe))) < 0) {
                probe++; // a damaged document tells nothing: look at the next one
            }
            if (probe > hi) {
                hi = mid - 1;
            } else if (first <= seq) {
                found = probe;
                lo = probe + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (!tailer.moveToIndex(docs.index(found))) {
            throw new JournalException(name + ": Chronicle lost document " + found + " while seeking seq " + seq);
        }
        passBelow = seq;
    }

    /**
     * Reads the next entry ({@link #data()}, {@link #offset()}, {@link #length()}).
     *
     * @return false at the end of the queue
     * @throws CorruptEntryException when the entry cannot be read at all: Chronicle refuses its document, a frame's
     *     header or an entry's length is damaged, or its file ends inside it
     */
    boolean next() {
        try {
            while (true) {
                if (!inDocument && !readDocument()) {
                    return false;
                }
                if (nextInDocument()) {
                    entry++;
                    return true;
                }
            }
        } catch (CorruptEntryException e) {
            inDocument = false;
            throw e;
        } catch (Exception | InternalError e) {
            // Exception, not RuntimeException: Chronicle also throws undeclared checked ones (StreamCorruptedException)
            // Chronicle cannot read what the file holds there (a damaged header, or an unmapped page of a cut file)
            inDocument = false;
            throw new CorruptEntryException(entry + 1, "unreadable (" + e + ")");
        }
    }

    private boolean readDocument() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            final long start = bytes.readPosition();
            final long end = bytes.readLimit();
            final long size = end - start;
            if (size < 0 || size > MAX_DOCUMENT) {
                throw new CorruptEntryException(entry + 1, "a document of " + size + " bytes, longer than any"
                    + " journal frame or entry");
            }
            if (size > data.length) {
                data = new byte[(int) Math.max(size, data.length * 2L)];
            }
            final long fileLength = fileLength(end);
            documentStart = start;
            documentLength = (int) size;
            available = fileLength < end ? (int) Math.max(0, fileLength - start) : documentLength;
            fileEnd = available < documentLength ? "the file " + tailer.currentFile().getName() + " ends at byte "
                + fileLength : null;
            bytes.read(data, 0, available); // never past the file's end: those pages are not there
        }
        inDocument = true;
        frame = available > 0 && data[0] == Frames.FRAME;
        if (frame) {
            if (available < Frames.HEADER) {
                throw new CorruptEntryException(entry + 1, fileEnd != null ? "truncated: " + fileEnd + ", inside"
                    + " the header of the frame holding this entry" : "malformed: a frame of " + documentLength
                    + " bytes, shorter than its header");
            }
            if (!Frames.validHeader(data, available, crc)) {
                throw new CorruptEntryException(entry + 1, "checksum mismatch: the header of the frame holding this"
                    + " entry is damaged");
            }
            frameCount = Frames.count(data);
            frameFirstSeq = Frames.firstSeq(data);
            frameRead = 0;
            position = Frames.HEADER;
        }
        return true;
    }

    /** The next entry of the current document; false when there is none or it was passed over (after a seek). */
    private boolean nextInDocument() {
        if (!frame) {
            inDocument = false;
            if (fileEnd != null) {
                throw new CorruptEntryException(entry + 1, "truncated: " + fileEnd + ", inside this entry (which"
                    + " ends at byte " + (documentStart + documentLength) + ")");
            }
            offset = 0;
            length = documentLength;
            final boolean below = passBelow > 0 && length >= seqAt + 8
                && JournalEntries.getLong(data, seqAt) < passBelow;
            passBelow = 0;
            return !below;
        }
        if (frameRead == frameCount) {
            inDocument = false;
            passBelow = 0;
            if (position != documentLength) {
                throw new CorruptEntryException(entry + 1, "malformed: " + (documentLength - position) + " bytes"
                    + " after the last of the " + frameCount + " entries of its frame");
            }
            return false;
        }
        final String where = "entry " + (frameRead + 1) + " of " + frameCount + " of its frame";
        if (position + Frames.LENGTH_PREFIX > documentLength) {
            throw new CorruptEntryException(entry + 1, "malformed: the frame ends before its " + where);
        }
        if (position + Frames.LENGTH_PREFIX > available) {
            throw new CorruptEntryException(entry + 1, "truncated: " + fileEnd + ", inside this entry (" + where
                + ")");
        }
        final int size = JournalEntries.getInt(data, position);
        if (size <= 0 || size > documentLength - position - Frames.LENGTH_PREFIX) {
            if (size == 0 && zeros(position, Math.min(available, documentLength))) {
                throw new CorruptEntryException(entry + 1, "truncated: the last " + (documentLength - position)
                    + " bytes of its frame are zeros, never written (a file cut short or a write lost in a power"
                    + " failure)");
            }
            throw new CorruptEntryException(entry + 1, "damaged: the length of " + where + " (" + size + " bytes)"
                + " does not fit in the frame");
        }
        final int end = position + Frames.LENGTH_PREFIX + size;
        if (end > available) {
            throw new CorruptEntryException(entry + 1, "truncated: " + fileEnd + ", inside this entry (" + where
                + ", which ends at byte " + (documentStart + end) + ")");
        }
        offset = position + Frames.LENGTH_PREFIX;
        length = size;
        position = end;
        final long seq = frameFirstSeq + frameRead;
        frameRead++;
        if (passBelow > 0) {
            if (seq < passBelow) {
                return false;
            }
            passBelow = 0;
        }
        return true;
    }

    private boolean zeros(int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The length of the current document's file, looked up again only when a document ends beyond what it was. */
    private long fileLength(long end) {
        final File file = tailer.currentFile();
        if (file == null) {
            return Long.MAX_VALUE;
        }
        if (!file.equals(checkedFile) || end > checkedLength) {
            checkedFile = file;
            checkedLength = file.length();
        }
        return checkedLength;
    }

    /** The first sequence number of the document at {@code index}, or -1 when it cannot tell (damaged, cut). */
    private long firstSeqOf(ExcerptTailer t, long index) {
        final byte[] head = new byte[Frames.HEADER];
        final int n = readHead(t, index, head);
        if (n < 0) {
            return -1;
        }
        if (head[0] == Frames.FRAME) {
            return Frames.validHeader(head, n, crc) ? Frames.firstSeq(head) : -1;
        }
        return n >= seqAt + 8 ? JournalEntries.getLong(head, seqAt) : -1;
    }

    /** The last sequence number in the document at {@code index}, or -1 when it cannot tell (damaged, cut). */
    private long lastSeqOf(ExcerptTailer t, long index) {
        try {
            return lastSeqOf0(t, index);
        } catch (Exception | InternalError e) {
            // Exception, not RuntimeException: Chronicle also throws undeclared checked ones (StreamCorruptedException)
            return -1;
        }
    }

    private long lastSeqOf0(ExcerptTailer t, long index) {
        if (!t.moveToIndex(index)) {
            return -1;
        }
        try (DocumentContext dc = t.readingDocument()) {
            if (!dc.isPresent()) {
                return -1;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            final long start = bytes.readPosition();
            final long size = bytes.readLimit() - start;
            final File file = t.currentFile();
            final long inFile = file == null ? size : Math.min(size, file.length() - start);
            if (size <= 0 || size > MAX_DOCUMENT || inFile < Math.min(size, Frames.HEADER)) {
                return -1;
            }
            final byte[] head = new byte[(int) Math.min(size, Frames.HEADER)];
            bytes.read(head, 0, head.length);
            if (head[0] == Frames.FRAME) {
                return Frames.validHeader(head, head.length, crc) ? Frames.firstSeq(head) + Frames.count(head) - 1
                    : -1;
            }
            // layout 1: the entry itself, believed only when it is whole and its checksum matches
            if (inFile < size || size < seqAt + 8 + JournalEntries.CRC_LENGTH) {
                return -1;
            }
            final byte[] whole = new byte[(int) size];
            bytes.readPosition(start);
            bytes.read(whole, 0, whole.length);
            final int payload = whole.length - JournalEntries.CRC_LENGTH;
            return JournalEntries.crc(crc, whole, 0, payload) == JournalEntries.getInt(whole, payload)
                ? JournalEntries.getLong(whole, seqAt) : -1;
        }
    }

    /** Reads up to {@code head.length} first bytes of a document (within its file); -1 when it cannot. */
    private static int readHead(ExcerptTailer t, long index, byte[] head) {
        if (!t.moveToIndex(index)) {
            return -1;
        }
        try (DocumentContext dc = t.readingDocument()) {
            if (!dc.isPresent()) {
                return -1;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            final long start = bytes.readPosition();
            final File file = t.currentFile();
            long n = Math.min(bytes.readLimit() - start, head.length);
            if (file != null) {
                n = Math.min(n, file.length() - start);
            }
            if (n <= 0) {
                return -1;
            }
            bytes.read(head, 0, (int) n);
            return (int) n;
        } catch (Exception | InternalError e) {
            // Exception, not RuntimeException: Chronicle also throws undeclared checked ones (StreamCorruptedException)
            return -1;
        }
    }

    byte[] data() {
        return data;
    }

    /** Where the entry read last starts in {@link #data()}. */
    int offset() {
        return offset;
    }

    int length() {
        return length;
    }

    /** Number (1-based) of the entry read last: its position in the journal, which is its expected seq. */
    long entry() {
        return entry;
    }

    @Override
    public void close() {
        tailer.close();
    }

    /**
     * The queue's documents numbered 0..count-1 across its roll cycles, from Chronicle's index (a count per cycle
     * file; no document is read).
     */
    private final class Documents {
        private final int[] cycles;
        private final long[] firsts;
        final long count;

        Documents(ExcerptTailer t) {
            final int first = queue.firstCycle();
            final int last = queue.lastCycle();
            int n = 0;
            int[] cs = new int[4];
            long[] fs = new long[4];
            long total = 0;
            int cycle = first;
            while (cycle <= last && cycle != Integer.MIN_VALUE && cycle != Integer.MAX_VALUE) {
                final long inCycle = Math.max(0, t.excerptsInCycle(cycle));
                if (n == cs.length) {
                    cs = java.util.Arrays.copyOf(cs, n * 2);
                    fs = java.util.Arrays.copyOf(fs, n * 2);
                }
                cs[n] = cycle;
                fs[n] = total;
                n++;
                total += inCycle;
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
            this.cycles = java.util.Arrays.copyOf(cs, n);
            this.firsts = java.util.Arrays.copyOf(fs, n);
            this.count = total;
        }

        /** Chronicle's index of document {@code k}. */
        long index(long k) {
            int c = cycles.length - 1;
            while (c > 0 && firsts[c] > k) {
                c--;
            }
            final RollCycle roll = queue.rollCycle();
            return roll.toIndex(cycles[c], k - firsts[c]);
        }
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
