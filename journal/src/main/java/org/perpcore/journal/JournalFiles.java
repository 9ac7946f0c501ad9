package org.perpcore.journal;

import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/** Where a journal keeps its two Chronicle queues: {@code DIR/commands} and {@code DIR/events}. */
public final class JournalFiles {
    public static final String COMMANDS = "commands";
    public static final String EVENTS = "events";

    private JournalFiles() {
    }

    static ChronicleQueue open(Path dir, String name) {
        final SingleChronicleQueueBuilder builder = ChronicleQueue.singleBuilder(dir.resolve(name));
        return builder.build();
    }
}
