package org.perpcore.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.core.command.Command;

/** Reading ahead gives what a sequential read gives, in order: the commands, then the end or the damage. */
@Timeout(60)
class CommandReadAheadTest {
    static final int N = 5_000;

    @TempDir
    Path dir;

    private void journal() {
        final Streams stream = Streams.orderEntry(11, N, 0);
        try (CommandJournal journal = new CommandJournal(dir)) {
            journal.onStart();
            final Command c = new Command();
            for (int i = 0; i < N; i++) {
                stream.get(i, c);
                c.seq = i + 1;
                journal.onCommand(c, i % 100 == 99 || i == N - 1);
            }
        }
    }

    @Test
    void theCommandsComeInOrderAsASequentialReadGivesThem() {
        journal();
        final java.util.List<byte[]> entries = Journals.entries(dir, JournalFiles.COMMANDS);
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[4096]);
        // a ring far smaller than the journal: the reader waits for the consumer many times
        try (CommandReadAhead ahead = new CommandReadAhead(dir, 1, Long.MAX_VALUE, 64)) {
            for (int i = 0; i < N; i++) {
                final Command c = ahead.next();
                assertEquals(i + 1, c.seq);
                final int length = org.perpcore.core.codec.CommandCodec.encode(c, buffer, 0);
                assertEquals(entries.get(i).length - JournalEntries.CRC_LENGTH, length, "seq " + (i + 1));
            }
            assertNull(ahead.next());
            assertNull(ahead.next(), "the end stays the end");
        }
    }

    @Test
    void itStopsAtToSeqAndFromSeqSeeks() {
        journal();
        try (CommandReadAhead ahead = new CommandReadAhead(dir, 1_234, 2_000, 64)) {
            for (long seq = 1_234; seq <= 2_000; seq++) {
                assertEquals(seq, ahead.next().seq);
            }
            assertNull(ahead.next());
        }
        // closing early stops the reader
        try (CommandReadAhead ahead = new CommandReadAhead(dir, 1, Long.MAX_VALUE, 64)) {
            assertEquals(1, ahead.next().seq);
        }
    }

    @Test
    void damageIsThrownWhereASequentialReadMeetsIt() {
        journal();
        final byte[] garbage = new byte[40];
        new java.util.Random(3).nextBytes(garbage);
        garbage[0] = 1;
        Journals.appendRaw(dir, JournalFiles.COMMANDS, garbage);
        try (CommandReadAhead ahead = new CommandReadAhead(dir, 1, Long.MAX_VALUE, 64)) {
            for (int i = 1; i <= N; i++) {
                assertEquals(i, ahead.next().seq, "every command before the damage first");
            }
            final JournalException e = assertThrows(JournalException.class, ahead::next);
            assertTrue(e.getMessage().contains("seq " + (N + 1)) && e.getMessage().contains("checksum mismatch"),
                e.getMessage());
        }
    }
}
