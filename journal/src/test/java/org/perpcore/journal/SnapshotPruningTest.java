package org.perpcore.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.PipelineConfig;

/**
 * {@link JournalOptions#keepSnapshots}: only the newest K snapshot files stay, the others are deleted after each
 * snapshot and when the journal is opened with a smaller K; the pruning record keeps the journal whole in the eyes
 * of recovery (no deleted snapshot is written again) and of {@code journal verify} (none is called missing), and
 * a replay to a point before the oldest kept snapshot still works, from the start.
 */
@Timeout(120)
class SnapshotPruningTest {
    private static final int N = 7_000;
    private static final int EVERY = 1_000;

    private static List<Long> snapshotSeqs(Path dir) {
        return new SnapshotStore(dir).list().stream().map(SnapshotInfo::seq).toList();
    }

    @Test
    void onlyTheNewestSnapshotsStayAndTheJournalStaysWhole(@TempDir Path dir) {
        final Streams stream = Streams.cascade(3, N, EVERY);
        final JournalOptions keepTwo = JournalOptions.DEFAULT.withKeepSnapshots(2);
        Journals.run(dir, stream, 0, N, PipelineConfig.DEFAULT, keepTwo, OutputStage.NONE);
        // SNAPSHOT commands at 1000, 2000, ... 7000: the last two stay
        assertEquals(List.of(6_000L, 7_000L), snapshotSeqs(dir));
        assertEquals(5_000, new SnapshotStore(dir).prunedThrough());

        final JournalVerifier.Report verified = JournalVerifier.verify(dir);
        assertTrue(verified.ok(), verified.errors()::toString);
        assertEquals(5, verified.prunedSnapshots());
        assertEquals(5_000, verified.prunedThrough());

        final Streams.Reference reference = stream.reference(N);
        final Replayer.Result all = Replayer.replay(dir, Replayer.Options.ALL);
        assertEquals(7_000, all.fromSnapshotSeq());
        assertEquals(reference.engine().stateHash(), all.stateHash());
        // before the oldest snapshot kept: from the first command
        final Replayer.Result early = Replayer.replay(dir, Replayer.Options.ALL.withToSeq(4_500));
        assertEquals(-1, early.fromSnapshotSeq());
        assertEquals(stream.hashesAt(4_500)[0], early.stateHash());
        final Replayer.Result verifiedReplay = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true)
            .withFromStart(true));
        assertNull(verifiedReplay.divergence());
        assertEquals(2, verifiedReplay.snapshotsChecked());

        // reopened: restored from the newest, nothing written again, nothing more deleted
        try (JournaledEngine journal = JournaledEngine.open(dir, keepTwo)) {
            assertEquals(7_000, journal.recovery().snapshotSeq());
            assertEquals(0, journal.recovery().snapshotsWritten());
            assertEquals(List.of(), journal.recovery().repairs());
        }
        assertEquals(List.of(6_000L, 7_000L), snapshotSeqs(dir));

        // opened keeping one: the older goes
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT.withKeepSnapshots(1))) {
            assertTrue(journal.recovery().notes().stream().anyMatch(n -> n.startsWith("deleted 1 older snapshot")),
                journal.recovery()::toString);
        }
        assertEquals(List.of(7_000L), snapshotSeqs(dir));
        assertEquals(6_000, new SnapshotStore(dir).prunedThrough());
        assertTrue(JournalVerifier.verify(dir).ok());
    }

    @Test
    void aSnapshotLostBeyondThePruningRecordIsStillReportedAndWrittenAgain(@TempDir Path dir) throws Exception {
        final Streams stream = Streams.cascade(4, 4_000, EVERY);
        final JournalOptions keepTwo = JournalOptions.DEFAULT.withKeepSnapshots(2);
        Journals.run(dir, stream, 0, 4_000, PipelineConfig.DEFAULT, keepTwo, OutputStage.NONE);
        assertEquals(List.of(3_000L, 4_000L), snapshotSeqs(dir));
        // the newest one vanishes (not by pruning): verify calls it missing, recovery writes it again
        Files.delete(new SnapshotStore(dir).fileFor(4_000));
        final JournalVerifier.Report verified = JournalVerifier.verify(dir);
        assertTrue(verified.errors().stream().anyMatch(e -> e.startsWith("snapshot at seq 4000 is missing")),
            verified.errors()::toString);
        try (JournaledEngine journal = JournaledEngine.open(dir, keepTwo)) {
            assertEquals(3_000, journal.recovery().snapshotSeq());
            assertEquals(1, journal.recovery().snapshotsWritten());
        }
        assertEquals(List.of(3_000L, 4_000L), snapshotSeqs(dir));
        assertTrue(JournalVerifier.verify(dir).ok());
    }

    @Test
    void aDamagedPruningRecordStopsWithAReason(@TempDir Path dir) throws Exception {
        final Streams stream = Streams.cascade(5, 3_000, EVERY);
        Journals.run(dir, stream, 0, 3_000, PipelineConfig.DEFAULT, JournalOptions.DEFAULT.withKeepSnapshots(1),
            OutputStage.NONE);
        Files.writeString(new SnapshotStore(dir).dir().resolve(SnapshotStore.PRUNED), "garbage");
        final JournalException e = assertThrows(JournalException.class,
            () -> JournaledEngine.open(dir, JournalOptions.DEFAULT).close());
        assertTrue(e.getMessage().startsWith("snapshots/pruned is unreadable"), e.getMessage());
        assertTrue(!JournalVerifier.verify(dir).ok());
        assertThrows(IllegalArgumentException.class, () -> JournalOptions.DEFAULT.withKeepSnapshots(-1));
    }
}
