package org.perpcore.journal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.pipeline.OutputStage;

/**
 * The journal stages allocate nothing per command in steady state: after a warm-up, appending 200,000 commands and
 * their events allocates (thread allocation counter) less than one byte per command.
 */
class JournalAllocationTest {
    @TempDir
    Path dir;

    @Test
    void appendsAllocateNothingInSteadyState() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final Streams stream = Streams.cascade(3, 20_000, 0);
        final Command[] commands = new Command[stream.size()];
        final Engine engine = new Engine();
        for (int i = 0; i < commands.length; i++) {
            commands[i] = stream.get(i, new Command());
            engine.apply(commands[i]); // events to journal
        }
        try (CommandJournal journal = new CommandJournal(dir);
             EventJournal events = new EventJournal(dir, OutputStage.NONE)) {
            journal.onStart();
            events.onStart();
            long seq = 0;
            for (int round = 0; round < 10; round++) {
                final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                for (Command c : commands) {
                    c.seq = ++seq;
                    journal.onCommand(c, true);
                    events.onEvents(c, true);
                }
                final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
                if (round >= 5) {
                    final long perCommand = allocated / commands.length;
                    assertTrue(allocated < commands.length, "round " + round + ": " + allocated + " bytes for "
                        + commands.length + " commands (" + perCommand + " per command)");
                }
            }
        }
    }
}
