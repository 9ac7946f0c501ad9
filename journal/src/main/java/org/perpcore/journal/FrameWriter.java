package org.perpcore.journal;

import java.io.File;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends entries in frames ({@link Frames}): the first entry opens a Chronicle document, the following ones go into
 * it, and {@link #endFrame} (or an {@link #endEntry} that asks for it, or a frame grown past
 * {@link #MAX_FRAME_BYTES}) fills in the header and closes the document. Chronicle publishes a document when it
 * closes it (its header is written last): until then no reader sees any entry of the frame, and a process killed
 * meanwhile leaves nothing of it. So a frame's entries become visible together, and a writer ends its frame before
 * anybody may learn of them (the end of a Disruptor batch).
 *
 * <p>One Chronicle document per frame instead of per entry is what this is for: Chronicle's per-document cost (its
 * header, index and write lock) is paid once per batch. No allocation; single-threaded, on the appender's thread.
 */
final class FrameWriter {
    /** A frame ends after the entry that makes it this long (far below Chronicle's largest document, 1/4 block). */
    static final int MAX_FRAME_BYTES = 256 << 10;

    private final ExcerptAppender appender;
    private final byte[] header = new byte[Frames.HEADER];
    private final byte[] prefix = new byte[Frames.LENGTH_PREFIX];
    private final CRC32C crc = new CRC32C();
    private DocumentContext document;
    private Bytes<?> bytes;
    private long headerAt;
    private long firstSeq;
    private int count;
    /** Where the last published frame ends, and its file, for a {@link QueuePretoucher} on another thread. */
    private volatile long publishedPosition;
    private volatile File publishedFile;

    FrameWriter(ExcerptAppender appender) {
        this.appender = appender;
    }

    /**
     * Starts the entry of {@code seq}, {@code length} bytes: the caller writes exactly that many into the returned
     * bytes, then calls {@link #endEntry}. Opens a frame when none is open; the entries of a frame must have
     * consecutive sequence numbers (the journals check theirs).
     */
    Bytes<?> beginEntry(long seq, int length) {
        if (document == null) {
            document = appender.writingDocument();
            bytes = document.wire().bytes();
            headerAt = bytes.writePosition();
            bytes.writeSkip(Frames.HEADER); // filled in by endFrame, once the count is known
            firstSeq = seq;
            count = 0;
        }
        JournalEntries.putInt(prefix, 0, length);
        bytes.write(prefix, 0, Frames.LENGTH_PREFIX);
        count++;
        return bytes;
    }

    /** The entry begun last is written; ends the frame when {@code endFrame} or when it is full. */
    void endEntry(boolean endFrame) {
        if (endFrame || bytes.writePosition() - headerAt >= MAX_FRAME_BYTES) {
            endFrame();
        }
    }

    /** Fills in the open frame's header and publishes it (nothing when no frame is open). */
    void endFrame() {
        if (document == null) {
            return;
        }
        Frames.header(header, count, firstSeq, crc);
        bytes.write(headerAt, header, 0, Frames.HEADER);
        final long end = bytes.writePosition();
        document.close();
        document = null;
        bytes = null;
        final File file = appender.currentFile();
        if (file != publishedFile) {
            publishedFile = file;
        }
        publishedPosition = end;
    }

    /** The file of the last frame published (null before the first), readable from any thread. */
    File publishedFile() {
        return publishedFile;
    }

    /** The end of the last frame published, a position in {@link #publishedFile()}. */
    long publishedPosition() {
        return publishedPosition;
    }
}
