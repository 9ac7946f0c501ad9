package org.perpcore.journal;

import java.util.zip.CRC32C;

/**
 * How entries sit in Chronicle documents (docs/JOURNAL.md, "On disk"). Layout 2, what this build writes: one
 * document per frame, a frame holding the entries of consecutive sequence numbers (those of one Disruptor batch,
 * at most {@link FrameWriter#MAX_FRAME_BYTES} of them):
 * <pre>
 *   frame:  u8 0x82 | u32 entryCount | i64 firstSeq | u32 crc32c of these 13 bytes | entryCount x (u32 length | entry)
 * </pre>
 * Layout 1, what earlier builds wrote and this one still reads: one document per entry, the entry alone. The first
 * byte tells them apart: an entry starts with its schema version, always below 0x80.
 *
 * <p>The entries inside a frame are unchanged (schema version, sequence number, timestamp, CRC-32C each), so every
 * check of an entry is the same in both layouts; the frame's header only serves to find a sequence number without
 * reading the entries, and is checked by its own CRC. Little-endian.
 */
final class Frames {
    /** First byte of a frame document. */
    static final byte FRAME = (byte) 0x82;
    static final int HEADER = 1 + 4 + 8 + 4;
    /** The length in front of every entry of a frame. */
    static final int LENGTH_PREFIX = 4;

    private Frames() {
    }

    /** Fills {@code header} (at least {@link #HEADER} bytes) for a frame of {@code count} entries from {@code firstSeq}. */
    static void header(byte[] header, int count, long firstSeq, CRC32C crc) {
        header[0] = FRAME;
        JournalEntries.putInt(header, 1, count);
        JournalEntries.putLong(header, 5, firstSeq);
        JournalEntries.putInt(header, 13, JournalEntries.crc(crc, header, 0, 13));
    }

    /** True when {@code data} holds a frame header whose checksum matches (and which counts at least one entry). */
    static boolean validHeader(byte[] data, int available, CRC32C crc) {
        return available >= HEADER && data[0] == FRAME
            && JournalEntries.crc(crc, data, 0, 13) == JournalEntries.getInt(data, 13) && count(data) > 0;
    }

    static int count(byte[] header) {
        return JournalEntries.getInt(header, 1);
    }

    static long firstSeq(byte[] header) {
        return JournalEntries.getLong(header, 5);
    }
}
