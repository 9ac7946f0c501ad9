package org.perpcore.journal;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.perpcore.core.codec.CommandCodec;
import org.perpcore.core.command.Command;
import org.perpcore.core.pipeline.CommandStage;

/**
 * The command journal stage: appends every sequenced command, in the binary {@link CommandCodec} encoding, to a
 * Chronicle queue before the engine applies it. One excerpt per command. The queue is memory-mapped: an appended
 * command survives a crash of the process (not a power loss).
 *
 * <p>The appender is created on the stage thread in {@link #onStart()}, as Chronicle requires.
 */
public final class CommandJournal implements CommandStage, AutoCloseable {
    private final ChronicleQueue queue;
    private final byte[] scratch = new byte[CommandCodec.MAX_LENGTH];
    private final UnsafeBuffer scratchBuffer = new UnsafeBuffer(scratch);
    private ExcerptAppender appender;
    private long appended;

    public CommandJournal(Path dir) {
        this.queue = JournalFiles.open(dir, JournalFiles.COMMANDS);
    }

    @Override
    public void onStart() {
        appender = queue.createAppender();
    }

    @Override
    public void onCommand(Command command, boolean endOfBatch) {
        if (appender == null) {
            appender = queue.createAppender();
        }
        final int length = CommandCodec.encode(command, scratchBuffer, 0);
        try (DocumentContext dc = appender.writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.write(scratch, 0, length);
        }
        appended++;
    }

    /** Commands appended by this journal. */
    public long appended() {
        return appended;
    }

    @Override
    public void onShutdown() {
        close();
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.close();
            appender = null;
        }
        queue.close();
    }
}
