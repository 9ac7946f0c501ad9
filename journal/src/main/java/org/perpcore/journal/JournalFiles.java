package org.perpcore.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * The layout of a journal directory:
 * <pre>
 *   DIR/commands/     Chronicle queue: one entry per command, in sequence (seq 1, 2, 3...), in frames
 *   DIR/events/       Chronicle queue: one entry per command, its events, in frames
 *   DIR/snapshots/    snapshot-SEQ.snap files (SEQ zero-padded to 20 digits)
 *   DIR/journal.lock  held (an OS file lock) while a process writes the journal
 * </pre>
 */
public final class JournalFiles {
    public static final String COMMANDS = "commands";
    public static final String EVENTS = "events";
    public static final String SNAPSHOTS = "snapshots";
    public static final String LOCK = "journal.lock";

    private JournalFiles() {
    }

    /** True when {@code dir} holds a command journal. */
    public static boolean isJournal(Path dir) {
        return Files.isDirectory(dir.resolve(COMMANDS));
    }

    static SingleChronicleQueue open(Path dir, String name, JournalOptions options, boolean readOnly) {
        final SingleChronicleQueueBuilder builder = ChronicleQueue.singleBuilder(dir.resolve(name));
        if (options.rollCycle() != null) {
            builder.rollCycle(options.rollCycle());
        }
        if (options.timeProvider() != null) {
            builder.timeProvider(options.timeProvider());
        }
        // MS_SYNC when an appender is told to sync (SYNC durability, at the end of each batch); never otherwise
        builder.syncMode(options.durability() == Durability.SYNC ? SyncMode.SYNC : SyncMode.NONE);
        builder.readOnly(readOnly);
        try {
            return builder.build();
        } catch (Exception | InternalError e) {
            // Exception, not RuntimeException: Chronicle also throws undeclared checked ones (StreamCorruptedException)
            throw unreadable(name, e);
        }
    }

    static SingleChronicleQueue open(Path dir, String name) {
        return open(dir, name, JournalOptions.DEFAULT, false);
    }

    /**
     * The sequence number of a journal queue's last entry, complete or not (its count of entries: they are numbered
     * from 1), or a {@link JournalException} when Chronicle cannot read the queue's files.
     */
    static long lastSeq(SingleChronicleQueue queue, String name) {
        try (QueueCursor cursor = new QueueCursor(queue, name, name.equals(COMMANDS) ? JournalEntries.COMMAND_SEQ_AT
            : JournalEntries.EVENTS_SEQ_AT)) {
            return cursor.lastSeq();
        }
    }

    /** Chronicle failed inside a queue's files (a read fault in a file cut short, a damaged header). */
    static JournalException unreadable(String name, Throwable e) {
        final Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new JournalException(name + ": the queue's files cannot be read (" + cause
            + "): a file cut short, or damaged", -1);
    }
}
