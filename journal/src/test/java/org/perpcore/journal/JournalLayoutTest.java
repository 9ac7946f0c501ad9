package org.perpcore.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.EngineHook;
import org.perpcore.core.pipeline.OutputStage;

/**
 * The document layouts (docs/JOURNAL.md, "On disk"): a frame per batch, read by sequence number with a binary search;
 * a journal of layout 1 (one document per entry, as earlier builds wrote) still verifies, replays, recovers, and
 * continues in frames; a file cut inside a frame keeps the entries before the cut and stops at the one it cuts.
 */
@Timeout(300)
class JournalLayoutTest {
    static final int N = 3_050;
    static Streams stream;

    @BeforeAll
    static void stream() {
        stream = Streams.cascade(7, N + 10, 1_000);
    }

    @Test
    void aBatchIsOneFrameAndSeeksFindEverySeq(@TempDir Path dir) {
        final int n = 1_100; // a SNAPSHOT at seq 1000, inside a batch
        try (CommandJournal journal = new CommandJournal(dir)) {
            journal.onStart();
            final Command c = new Command();
            for (int i = 0; i < n; i++) {
                stream.get(i, c);
                c.seq = i + 1;
                journal.onCommand(c, (i + 1) % 64 == 0 || i == n - 1);
            }
        }
        final long frameEnds = java.util.stream.IntStream.range(0, n).filter(i -> (i + 1) % 64 == 0 || i == n - 1
            || stream.get(i, new Command()).type == CommandType.SNAPSHOT).count();
        assertTrue(frameEnds > (n + 63) / 64, "the stream has a SNAPSHOT inside a batch");
        assertEquals(frameEnds, Journals.documents(dir, JournalFiles.COMMANDS),
            "a frame per batch, and one ends after each SNAPSHOT command");
        assertEquals(n, Journals.entries(dir, JournalFiles.COMMANDS).size());
        final Command c = new Command();
        for (long from : new long[] {1, 2, 63, 64, 65, 500, 999, 1000, 1001, 1099, 1100}) {
            try (JournalReader reader = new JournalReader(dir, from)) {
                assertEquals(n, reader.entryCount());
                assertTrue(reader.next(c), "seq " + from);
                assertEquals(from, c.seq);
            }
        }
        try (JournalReader reader = new JournalReader(dir, n + 1)) {
            assertFalse(reader.next(c), "nothing after the last");
        }
    }

    @Test
    void pagesAheadOfTheAppenderArePretouchedWithoutChangingAByte(@TempDir Path dir) throws Exception {
        final int n = 200_000; // about 13 MB of commands
        final List<byte[]> written = new java.util.ArrayList<>();
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[4096]);
        try (CommandJournal journal = new CommandJournal(dir)) {
            journal.onStart();
            final Command c = new Command();
            for (int i = 0; i < n; i++) {
                stream.get(i % stream.size(), c);
                c.seq = i + 1;
                journal.onCommand(c, i % 64 == 63 || i == n - 1);
                if (i < 1_000) {
                    written.add(java.util.Arrays.copyOf(buffer.byteArray(),
                        org.perpcore.core.codec.CommandCodec.encode(c, buffer, 0)));
                }
            }
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (journal.pretouchedPages() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(journal.pretouchedPages() > 0, "pages were touched ahead");
        }
        final List<byte[]> entries = Journals.entries(dir, JournalFiles.COMMANDS);
        assertEquals(n, entries.size());
        for (int i = 0; i < written.size(); i++) {
            assertTrue(java.util.Arrays.equals(written.get(i), java.util.Arrays.copyOf(entries.get(i),
                entries.get(i).length - JournalEntries.CRC_LENGTH)), "entry " + (i + 1));
        }
        try (JournalReader reader = new JournalReader(dir, n)) {
            final Command c = new Command();
            assertTrue(reader.next(c));
            assertEquals(n, c.seq);
            assertFalse(reader.next(c));
        }
    }

    @Test
    void aLayoutOneJournalVerifiesReplaysRecoversAndContinuesInFrames(@TempDir Path dir) {
        Journals.run(dir, stream, 0, N);
        final Replayer.Result framed = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        final List<byte[]> commands = Journals.entries(dir, JournalFiles.COMMANDS);
        Journals.rewriteAsLayout1(dir, JournalFiles.COMMANDS);
        Journals.rewriteAsLayout1(dir, JournalFiles.EVENTS);
        assertEquals(N, Journals.documents(dir, JournalFiles.COMMANDS), "one document per entry");

        final JournalVerifier.Report v = JournalVerifier.verify(dir);
        assertTrue(v.ok(), () -> v.errors().toString());
        assertEquals(N, v.lastSeq());
        final Replayer.Result old = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        assertNull(old.divergence(), () -> String.valueOf(old.divergence()));
        assertEquals(framed.stateHash(), old.stateHash());
        assertEquals(framed.eventDigest(), old.eventDigest());
        final long[] prefix = stream.hashesAt(1_234, 2_500);
        assertEquals(prefix[0], Replayer.replay(dir, Replayer.Options.ALL.withToSeq(1_234).withFromStart(true))
            .stateHash(), "a seek in layout 1");
        final Replayer.Result fromSnapshot = Replayer.replay(dir, Replayer.Options.ALL.withToSeq(2_500));
        assertEquals(2_000, fromSnapshot.fromSnapshotSeq());
        assertEquals(prefix[1], fromSnapshot.stateHash());

        // recovery, then this build continues the journal in frames: both layouts in one queue
        Journals.run(dir, stream, N, N + 10);
        assertTrue(Journals.documents(dir, JournalFiles.COMMANDS) < N + 10, "the continuation is framed");
        final List<byte[]> after = Journals.entries(dir, JournalFiles.COMMANDS);
        for (int i = 0; i < N; i++) {
            assertTrue(java.util.Arrays.equals(commands.get(i), after.get(i)), "entry " + (i + 1) + " unchanged");
        }
        final JournalVerifier.Report mixed = JournalVerifier.verify(dir);
        assertTrue(mixed.ok(), () -> mixed.errors().toString());
        assertEquals(N + 10, mixed.lastSeq());
        final Replayer.Result all = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        assertNull(all.divergence(), () -> String.valueOf(all.divergence()));
        assertEquals(stream.hashesAt(N + 10)[0], all.stateHash());
        try (JournalReader reader = new JournalReader(dir, N + 5)) {
            final Command c = new Command();
            assertTrue(reader.next(c));
            assertEquals(N + 5, c.seq, "a seek past the layout-1 part");
        }
    }

    @Test
    void aFileCutInsideTheLastFrameKeepsTheEntriesBeforeTheCut(@TempDir Path tmp) {
        // a cut near the frame's end: Chronicle still reads the queue, and the reader stops at the entry cut
        final Path dir = lastFrameOf50(tmp.resolve("near-the-end"));
        final Journals.Place last = Journals.placeOf(dir, JournalFiles.COMMANDS, N);
        Journals.truncate(last.file(), last.end() - 3);
        final JournalException e = assertThrows(JournalException.class,
            () -> JournaledEngine.open(dir, JournalOptions.DEFAULT));
        assertTrue(e.getMessage().contains("seq " + N) && e.getMessage().contains("truncated"), e.getMessage());
        final JournalVerifier.Report v = JournalVerifier.verify(dir);
        assertEquals(N - 1, v.commands(), "the entries of the frame before the cut are read");
        assertTrue(v.errors().stream().anyMatch(m -> m.contains("seq " + N) && m.contains("truncated")),
            () -> v.errors().toString());
        recoversTo(dir, N - 1);
    }

    @Test
    void aFileCutDeepInsideTheLastFrameKeepsTheEntriesBeforeTheCut(@TempDir Path tmp) {
        // cut 30 entries before the frame's end: the frame's end lies on pages the file no longer has, and Chronicle
        // cannot read the queue any more (it faults looking for its end); truncate copies out what is before the cut
        final Path dir = lastFrameOf50(tmp.resolve("deep"));
        final Journals.Place cut = Journals.placeOf(dir, JournalFiles.COMMANDS, 3_020);
        Journals.truncate(cut.file(), cut.start() + 5);
        final JournalException e = assertThrows(JournalException.class,
            () -> JournaledEngine.open(dir, JournalOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("commands"), e.getMessage());
        assertTrue(e.getMessage().contains("--on-corrupt truncate"), e.getMessage());
        recoversTo(dir, 3_019);
    }

    /** A journal of N commands whose last frame holds seqs 3001..3050 (one batch). */
    private static Path lastFrameOf50(Path dir) {
        Journals.run(dir, stream, 0, 3_000);
        oneBatch(dir, 3_000, N);
        final List<Journals.Located> all = Journals.locate(dir, JournalFiles.COMMANDS);
        for (int i = 3_001; i < N; i++) {
            assertEquals(all.get(i - 1).place().end() + Frames.LENGTH_PREFIX, all.get(i).place().start(),
                "seqs 3001..3050 lie in one frame");
        }
        return dir;
    }

    /** TRUNCATE recovers exactly the first {@code lastGood} commands, and the journal continues whole. */
    private static void recoversTo(Path dir, int lastGood) {
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT.withOnCorrupt(
            OnCorrupt.TRUNCATE))) {
            assertEquals(lastGood + 1, journal.nextSeq(), journal.recovery()::toString);
            assertEquals(stream.hashesAt(lastGood)[0], journal.engine().stateHash());
        }
        Journals.run(dir, stream, lastGood, N);
        final Replayer.Result r = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        assertNull(r.divergence(), () -> String.valueOf(r.divergence()));
        assertEquals(stream.hashesAt(N)[0], r.stateHash());
        assertTrue(JournalVerifier.verify(dir).ok());
    }

    /** Journals commands {@code from..to-1} as one batch, driving the stages by hand as the fused pipeline does. */
    private static void oneBatch(Path dir, int from, int to) {
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT)) {
            final CommandStage commands = journal.commandStage();
            final EngineHook hook = journal.engineHook();
            final OutputStage events = journal.outputStage(OutputStage.NONE);
            commands.onStart();
            hook.onStart();
            events.onStart();
            final Command c = new Command();
            for (int i = from; i < to; i++) {
                stream.get(i, c);
                c.seq = i + 1;
                assertTrue(c.type != CommandType.SNAPSHOT, "no snapshot in the batch");
                commands.onCommand(c, i == to - 1);
                journal.engine().apply(c);
                hook.afterApply(c);
                events.onEvents(c, i == to - 1);
            }
            events.onShutdown();
            hook.onShutdown();
            commands.onShutdown();
        }
    }
}
