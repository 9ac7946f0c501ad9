package org.perpcore.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.perpcore.core.codec.CommandCodec;
import org.perpcore.core.command.Command;

/** Reads a journal's commands back in order. Single-threaded, like every Chronicle tailer. */
public final class JournalReader implements AutoCloseable {
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private byte[] scratch = new byte[CommandCodec.MAX_LENGTH];
    private final UnsafeBuffer scratchBuffer = new UnsafeBuffer(scratch);
    private long read;

    public JournalReader(Path dir) {
        if (!Files.isDirectory(dir.resolve(JournalFiles.COMMANDS))) {
            throw new IllegalArgumentException(dir + " is not a Perpcore journal (no " + JournalFiles.COMMANDS + "/)");
        }
        this.queue = JournalFiles.open(dir, JournalFiles.COMMANDS);
        this.tailer = queue.createTailer();
    }

    /**
     * Reads the next command into {@code into}.
     *
     * @return true when a command was read; false at the end of the journal
     * @throws JournalException when an entry cannot be decoded (its position and the reason are in the message)
     */
    public boolean next(Command into) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            final int length = (int) bytes.readRemaining();
            if (length > scratch.length) {
                throw new JournalException("entry " + (read + 1) + " is " + length + " bytes, longer than any command");
            }
            bytes.read(scratch, 0, length);
            final int r = CommandCodec.decode(scratchBuffer, 0, length, into);
            if (r < 0) {
                throw new JournalException("entry " + (read + 1) + ": " + CommandCodec.DecodeError.describe(r));
            }
            read++;
            return true;
        }
    }

    @Override
    public void close() {
        tailer.close();
        queue.close();
    }
}
