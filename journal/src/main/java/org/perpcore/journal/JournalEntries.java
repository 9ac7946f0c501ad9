package org.perpcore.journal;

import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;
import org.perpcore.core.codec.CommandCodec;
import org.perpcore.core.command.Command;

/**
 * The two entry formats, version 1 (docs/JOURNAL.md). Every entry carries its schema version first, its own
 * sequence number and timestamp, and a CRC-32C of everything before it last:
 * <pre>
 *   command entry:  CommandCodec bytes (u8 version | u8 type | i64 seq | i64 timestampMs | fields) | u32 crc32c
 *   events entry:   u8 version | i64 seq | i64 timestampMs | i32 eventCount | i32 length | events | u32 crc32c
 * </pre>
 * Little-endian throughout. A reader refuses a version it does not know rather than guess. Where the entries sit in
 * Chronicle's documents (one per document, or many in a frame) is {@link Frames}'s business; here an entry is
 * {@code length} bytes at {@code offset} of an array.
 */
final class JournalEntries {
    static final int CRC_LENGTH = 4;
    /** Version of the events entry. */
    static final byte EVENTS_VERSION = 1;
    static final int EVENTS_HEADER = 1 + 8 + 8 + 4 + 4;
    static final int MIN_COMMAND = 19 + CRC_LENGTH;
    static final int MIN_EVENTS = EVENTS_HEADER + CRC_LENGTH;
    /** Where an entry keeps its sequence number: a command after its version and type bytes, events after the version. */
    static final int COMMAND_SEQ_AT = 2;
    static final int EVENTS_SEQ_AT = 1;

    private JournalEntries() {
    }

    static int crc(CRC32C crc, byte[] bytes, int offset, int length) {
        crc.reset();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static long getLong(byte[] b, int at) {
        return (getInt(b, at) & 0xFFFF_FFFFL) | (long) getInt(b, at + 4) << 32;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) v);
        putInt(b, at + 4, (int) (v >>> 32));
    }

    /**
     * Decodes and checks a command entry into {@code into}.
     *
     * @return null when the entry is valid; otherwise why it is not (the command is then unusable)
     */
    static String decodeCommand(byte[] data, int offset, int length, UnsafeBuffer view, CRC32C crc, Command into) {
        if (length < MIN_COMMAND) {
            return "truncated: " + length + " bytes, shorter than any command entry (" + MIN_COMMAND + ")";
        }
        view.wrap(data, offset, length);
        final int payload = length - CRC_LENGTH;
        if (crc(crc, data, offset, payload) != getInt(data, offset + payload)) {
            final int r = CommandCodec.decode(view, 0, payload, into);
            if (r == CommandCodec.DecodeError.TRUNCATED) {
                return "truncated: the entry's " + length + " bytes end inside its command";
            }
            return zeroTail(data, offset, length) ? truncatedZeros(data, offset, length)
                : "checksum mismatch: the entry's bytes are damaged";
        }
        final byte version = data[offset];
        if (version != CommandCodec.VERSION) {
            return "schema version " + version + " is unknown to this build (it reads version " + CommandCodec.VERSION
                + "): written by another version of Perpcore?";
        }
        final int r = CommandCodec.decode(view, 0, payload, into);
        if (r < 0) {
            return "malformed: " + CommandCodec.DecodeError.describe(r);
        }
        if (r != payload) {
            return "malformed: " + (payload - r) + " bytes after the command";
        }
        return null;
    }

    /**
     * Checks an events entry.
     *
     * @return null when valid; otherwise why not
     */
    static String checkEvents(byte[] data, int offset, int length, CRC32C crc) {
        if (length < MIN_EVENTS) {
            return "truncated: " + length + " bytes, shorter than any events entry (" + MIN_EVENTS + ")";
        }
        final int payload = length - CRC_LENGTH;
        final int declared = getInt(data, offset + 21);
        if (crc(crc, data, offset, payload) != getInt(data, offset + payload)) {
            if (declared > payload - EVENTS_HEADER && declared < QueueCursor.MAX_DOCUMENT) {
                return "truncated: the entry's " + length + " bytes end inside its events";
            }
            return zeroTail(data, offset, length) ? truncatedZeros(data, offset, length)
                : "checksum mismatch: the entry's bytes are damaged";
        }
        if (data[offset] != EVENTS_VERSION) {
            return "schema version " + data[offset] + " is unknown to this build (it reads version " + EVENTS_VERSION
                + "): written by another version of Perpcore?";
        }
        if (declared != payload - EVENTS_HEADER || getInt(data, offset + 17) < 0) {
            return "malformed: it declares " + declared + " bytes of events in " + (payload - EVENTS_HEADER);
        }
        return null;
    }

    /**
     * An entry whose checksum (its last bytes) reads zero, after zeros: the end of the entry never reached the disk
     * (a file cut short, or a power loss before the page was written), as opposed to bytes that changed.
     */
    private static boolean zeroTail(byte[] data, int offset, int length) {
        final int end = offset + length;
        return length > CRC_LENGTH && getInt(data, end - CRC_LENGTH) == 0 && data[end - CRC_LENGTH - 1] == 0;
    }

    private static String truncatedZeros(byte[] data, int offset, int length) {
        int zeros = 0;
        while (zeros < length && data[offset + length - 1 - zeros] == 0) {
            zeros++;
        }
        return "truncated: its last " + zeros + " of " + length + " bytes are zeros, never written (a file cut short"
            + " or a write lost in a power failure)";
    }

    static long eventsSeq(byte[] data, int offset) {
        return getLong(data, offset + EVENTS_SEQ_AT);
    }

    static long eventsTimestamp(byte[] data, int offset) {
        return getLong(data, offset + 9);
    }

    static int eventsCount(byte[] data, int offset) {
        return getInt(data, offset + 17);
    }

    static int eventsLength(byte[] data, int offset) {
        return getInt(data, offset + 21);
    }
}
