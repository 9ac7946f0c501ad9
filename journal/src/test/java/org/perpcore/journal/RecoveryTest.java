package org.perpcore.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.PipelineConfig;

/**
 * Opening an existing journal restores its state (latest snapshot + tail) and continues it: a run interrupted and
 * reopened at several points, from snapshots or not, in both layouts, writes exactly the journal an uninterrupted
 * run writes. Events missing after a crash between the two journals are written again, and so are missing
 * snapshots; a second writer is refused.
 */
@Timeout(300)
class RecoveryTest {
    static final int N = 24_000;
    static Streams stream;
    static List<byte[]> uninterruptedCommands;
    static List<byte[]> uninterruptedEvents;
    static Streams.Reference reference;

    @TempDir
    static Path shared;

    @BeforeAll
    static void uninterruptedRun() {
        stream = Streams.cascade(99, N, 5_000);
        final Path dir = shared.resolve("uninterrupted");
        Journals.run(dir, stream, 0, N);
        uninterruptedCommands = Journals.entries(dir, JournalFiles.COMMANDS);
        uninterruptedEvents = Journals.entries(dir, JournalFiles.EVENTS);
        reference = stream.reference(N);
    }

    private static void assertSameJournal(Path dir) {
        assertEntries(uninterruptedCommands, Journals.entries(dir, JournalFiles.COMMANDS), "commands");
        assertEntries(uninterruptedEvents, Journals.entries(dir, JournalFiles.EVENTS), "events");
    }

    private static void assertEntries(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + " entries");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + " entry " + (i + 1));
        }
    }

    @Test
    void aRunInterruptedAndReopenedWritesTheSameJournal(@TempDir Path dir) {
        // stops between snapshots, right after one, right before one; layouts alternate
        final int[] stops = {1, 3_000, 5_000, 5_001, 9_999, 17_500, N};
        int from = 0;
        for (int i = 0; i < stops.length; i++) {
            final PipelineConfig config = PipelineConfig.DEFAULT.withFused(i % 2 == 0);
            final RecoveryReport report = Journals.run(dir, stream, from, stops[i], config, JournalOptions.DEFAULT,
                OutputStage.NONE);
            if (from == 0) {
                assertTrue(report.isFresh());
            } else {
                assertEquals(from, report.lastSeq());
                final long latestSnapshot = from / 5_000 * 5_000;
                assertEquals(latestSnapshot == 0 ? -1 : latestSnapshot, report.snapshotSeq(), report::toString);
                assertEquals(from - Math.max(0, latestSnapshot), report.replayed());
                assertEquals(List.of(), report.repairs());
            }
            from = stops[i];
        }
        assertSameJournal(dir);
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT)) {
            assertEquals(reference.engine().stateHash(), journal.engine().stateHash());
            assertEquals(N + 1, journal.nextSeq());
        }
    }

    /** Snapshot + tail gives the state of a full replay, and the engine goes on producing the same events. */
    @Test
    void snapshotPlusTailEqualsAFullReplay(@TempDir Path dir) {
        Journals.run(dir, stream, 0, 12_345);
        final Replayer.Result full = Replayer.replay(dir, Replayer.Options.ALL.withFromStart(true));
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT)) {
            assertEquals(10_000, journal.recovery().snapshotSeq());
            assertEquals(2_345, journal.recovery().replayed());
            final Engine restored = journal.engine();
            assertEquals(full.stateHash(), restored.stateHash());
            // both engines, fed the rest of the stream, agree event for event
            final Engine replayed = full.engine();
            final Command a = new Command();
            final Command b = new Command();
            for (int i = 12_345; i < N; i++) {
                stream.get(i, a);
                stream.get(i, b);
                restored.apply(a);
                replayed.apply(b);
                final byte[] ea = new byte[a.events().length()];
                final byte[] eb = new byte[b.events().length()];
                a.events().buffer().getBytes(0, ea);
                b.events().buffer().getBytes(0, eb);
                assertArrayEquals(eb, ea, "seq " + a.seq);
            }
            assertEquals(reference.engine().stateHash(), restored.stateHash());
        }
    }

    @Test
    void aSecondWriterIsRefused(@TempDir Path dir) {
        Journals.run(dir, stream, 0, 100);
        try (JournaledEngine first = JournaledEngine.open(dir, JournalOptions.DEFAULT)) {
            final JournalException e = assertThrows(JournalException.class,
                () -> JournaledEngine.open(dir, JournalOptions.DEFAULT));
            assertTrue(e.getMessage().contains("is in use"), e.getMessage());
            assertEquals(101, first.nextSeq());
        }
        try (JournaledEngine again = JournaledEngine.open(dir, JournalOptions.DEFAULT)) {
            assertEquals(101, again.nextSeq(), "the lock is released on close");
        }
    }

    /** A crash after the command journal but before the output stage: the events of the tail are missing. */
    @Test
    void eventsMissingAfterACrashAreWrittenAgain(@TempDir Path dir) {
        final int journaled = 7_000;
        final int withEvents = 6_500;
        final Engine engine = new Engine();
        final Command c = new Command();
        try (CommandJournal commands = new CommandJournal(dir);
             EventJournal events = new EventJournal(dir, OutputStage.NONE)) {
            for (int i = 0; i < journaled; i++) {
                stream.get(i, c);
                commands.onCommand(c, true);
                engine.apply(c);
                if (i < withEvents) {
                    events.onEvents(c, true);
                }
            }
        }
        // the snapshot at 5,000 was never written (no engine hook here): recovery writes it as it replays
        final JournalVerifier.Report before = JournalVerifier.verify(dir);
        assertFalse(before.ok());
        assertTrue(before.warnings().stream().anyMatch(w -> w.contains("ends at seq " + withEvents)), () -> before.warnings().toString());
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT)) {
            final RecoveryReport r = journal.recovery();
            assertEquals(journaled - withEvents, r.eventsRegenerated(), r::toString);
            assertEquals(1, r.snapshotsWritten(), r::toString);
            assertEquals(-1, r.snapshotSeq());
            assertEquals(engine.stateHash(), journal.engine().stateHash());
        }
        final Replayer.Result verified = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        assertNull(verified.divergence());
        assertEquals(1, verified.snapshotsChecked());
        final JournalVerifier.Report after = JournalVerifier.verify(dir);
        assertTrue(after.ok(), () -> after.errors().toString());
        // and the journal goes on as if nothing happened
        Journals.run(dir, stream, journaled, N);
        assertSameJournal(dir);
    }

    @Test
    void aMissingSnapshotIsWrittenAgainIdentically(@TempDir Path dir) throws IOException {
        Journals.run(dir, stream, 0, 11_000);
        final SnapshotStore store = new SnapshotStore(dir);
        final Path latest = store.fileFor(10_000);
        final byte[] original = Files.readAllBytes(latest);
        Files.delete(latest);
        final JournalVerifier.Report report = JournalVerifier.verify(dir);
        assertTrue(report.errors().stream().anyMatch(e -> e.contains("snapshot at seq 10000 is missing")),
            () -> report.errors().toString());
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT)) {
            final RecoveryReport r = journal.recovery();
            assertEquals(5_000, r.snapshotSeq(), "the previous snapshot is used");
            assertEquals(1, r.snapshotsWritten());
            assertTrue(r.notes().stream().anyMatch(n -> n.contains("seq 10000 was missing")), r::toString);
        }
        assertArrayEquals(original, Files.readAllBytes(latest), "snapshots are canonical: the same bytes again");
    }

    @Test
    void anInterruptedSnapshotWriteIsRemoved(@TempDir Path dir) throws IOException {
        Journals.run(dir, stream, 0, 6_000);
        final Path tmp = new SnapshotStore(dir).dir().resolve("snapshot-00000000000000005500.snap.tmp");
        Files.write(tmp, new byte[] {1, 2, 3});
        assertTrue(JournalVerifier.verify(dir).warnings().stream().anyMatch(w -> w.contains("interrupted")));
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT)) {
            assertTrue(journal.recovery().notes().stream().anyMatch(n -> n.contains("interrupted")));
            assertEquals(6_001, journal.nextSeq());
        }
        assertFalse(Files.exists(tmp));
    }

    /** Journals roll to new files on the clock; sequence numbers carry across files. */
    @Test
    void rollingFilesChangeNothing(@TempDir Path dir) {
        final java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(1_760_000_000_000L);
        final JournalOptions options = JournalOptions.DEFAULT.withRollCycle(
            net.openhft.chronicle.queue.rollcycles.TestRollCycles.TEST_SECONDLY, clock::get);
        final int n = 6_000;
        final OutputStage tick = (c, endOfBatch) -> clock.incrementAndGet(); // a roll about every 1,000 commands
        for (int[] range : new int[][] {{0, 2_500}, {2_500, 4_000}, {4_000, n}}) {
            // a small ring keeps the journal stage within a few commands of the clock the output stage moves
            Journals.run(dir, stream, range[0], range[1], PipelineConfig.DEFAULT.withRingSize(8), options, tick);
        }
        final long files;
        try (java.util.stream.Stream<Path> list = Files.list(dir.resolve(JournalFiles.COMMANDS))) {
            files = list.filter(p -> p.toString().endsWith(".cq4")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(files >= 4, files + " cycle files");
        final Replayer.Result r = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        assertNull(r.divergence());
        assertEquals(stream.hashesAt(n)[0], r.stateHash());
        final Replayer.Result fromSnapshot = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true));
        assertEquals(5_000, fromSnapshot.fromSnapshotSeq(), "the snapshot's entry is found across files");
        assertNull(fromSnapshot.divergence());
        assertTrue(JournalVerifier.verify(dir).ok());
    }
}
