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
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged journals: each kind of damage is detected with a message that names what and where; with
 * {@code --on-corrupt stop} (the default) opening refuses and changes nothing on disk, with {@code truncate} it cuts
 * back to the last valid command (keeping the damage aside) and the state is exactly that prefix's; replay and
 * the offline verifier refuse too. Nothing is silently skipped.
 */
@Timeout(300)
class CorruptionTest {
    static final int N = 3_050;
    static Streams stream;
    static long[] prefixHashes;

    @BeforeAll
    static void stream() {
        stream = Streams.cascade(5, N + 10, 1_000);
        prefixHashes = stream.hashesAt(N - 1, N, N / 2 - 1);
    }

    private static Path journal(Path dir) {
        Journals.run(dir, stream, 0, N);
        return dir;
    }

    private static JournalOptions truncate() {
        return JournalOptions.DEFAULT.withOnCorrupt(OnCorrupt.TRUNCATE);
    }

    /** Opening with STOP refuses with the expected words, and not a byte on disk changes. */
    private static JournalException refused(Path dir, String... words) {
        final TreeMap<String, String> before = Journals.fingerprint(dir);
        final JournalException e = assertThrows(JournalException.class,
            () -> JournaledEngine.open(dir, JournalOptions.DEFAULT));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), () -> "'" + w + "' in: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("--on-corrupt truncate"), e.getMessage());
        assertEquals(before, Journals.fingerprint(dir), "STOP changes nothing on disk");
        final JournalVerifier.Report report = JournalVerifier.verify(dir);
        assertFalse(report.ok(), "the verifier finds it too");
        return e;
    }

    /** Opening with TRUNCATE recovers the state after {@code lastGood} commands and continues from there. */
    private static RecoveryReport repaired(Path dir, long lastGood, long expectedHash) {
        final RecoveryReport report;
        try (JournaledEngine journal = JournaledEngine.open(dir, truncate())) {
            report = journal.recovery();
            assertEquals(lastGood + 1, journal.nextSeq(), report::toString);
            assertEquals(expectedHash, journal.engine().stateHash(), "the state of the valid prefix");
            assertFalse(report.repairs().isEmpty(), "the repair is reported");
        }
        // the repaired journal is whole: it verifies, replays with the same events, and continues
        final JournalVerifier.Report v = JournalVerifier.verify(dir);
        assertTrue(v.ok(), () -> v.errors().toString());
        assertTrue(v.warnings().stream().anyMatch(w -> w.contains("set aside")), () -> v.warnings().toString());
        final Replayer.Result r = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        assertNull(r.divergence(), () -> String.valueOf(r.divergence()));
        assertEquals(expectedHash, r.stateHash());
        Journals.run(dir, stream, (int) lastGood, N + 10);
        assertEquals(stream.hashesAt(N + 10)[0], Replayer.replay(dir, Replayer.Options.ALL).stateHash());
        return report;
    }

    @Test
    void aFileCutInsideTheLastEntryIsATruncatedTail(@TempDir Path tmp) {
        final Path dir = journal(tmp);
        final Journals.Place last = Journals.lastEntry(dir, JournalFiles.COMMANDS);
        Journals.truncate(last.file(), last.end() - 7);
        final JournalException e = refused(dir, "seq " + N, "truncated");
        assertEquals(N, e.seq());
        final RecoveryReport r = repaired(dir, N - 1, prefixHashes[0]);
        assertTrue(r.repairs().get(0).contains("commands cut back to seq " + (N - 1)), r::toString);
        assertTrue(r.repairs().stream().anyMatch(s -> s.contains("events cut back to seq " + (N - 1))),
            "the last command's events go with it: " + r);
    }

    @Test
    void aPartialLastEntryIsATruncatedTail(@TempDir Path tmp) {
        final Path dir = journal(tmp);
        final byte[] whole = Journals.entries(dir, JournalFiles.COMMANDS).get(N - 1).clone();
        // an entry holding the first 25 bytes of a command (where seq N + 1 should be): its checksum cannot match
        final byte[] part = Arrays.copyOf(whole, 25);
        Journals.appendRaw(dir, JournalFiles.COMMANDS, part);
        refused(dir, "seq " + (N + 1), "truncated");
        repaired(dir, N, prefixHashes[1]);
    }

    @Test
    void garbageBytesAfterTheLastEntryAreNeverAnEntry(@TempDir Path tmp) {
        final Path dir = journal(tmp);
        final Journals.Place last = Journals.lastEntry(dir, JournalFiles.COMMANDS);
        final byte[] garbage = new byte[512];
        new java.util.Random(1).nextBytes(garbage);
        Journals.write(last.file(), last.end(), garbage);
        // Chronicle publishes an entry by writing its header last: bytes past the end are no entry, and the next
        // append overwrites them
        try (JournaledEngine journal = JournaledEngine.open(dir, JournalOptions.DEFAULT)) {
            assertEquals(N + 1, journal.nextSeq());
            assertEquals(prefixHashes[1], journal.engine().stateHash());
        }
        Journals.run(dir, stream, N, N + 10);
        final JournalVerifier.Report v = JournalVerifier.verify(dir);
        assertTrue(v.ok(), () -> v.errors().toString());
        assertEquals(N + 10, v.lastSeq());
    }

    @Test
    void aGarbageEntryIsDamage(@TempDir Path tmp) {
        final Path dir = journal(tmp);
        final byte[] garbage = new byte[61];
        new java.util.Random(2).nextBytes(garbage);
        garbage[0] = 1; // even with a plausible version byte
        Journals.appendRaw(dir, JournalFiles.COMMANDS, garbage);
        refused(dir, "seq " + (N + 1), "checksum mismatch");
        repaired(dir, N, prefixHashes[1]);
    }

    @Test
    void flippedBytesInTheMiddleAreFoundAndWhatFollowsIsCounted(@TempDir Path tmp) throws IOException {
        final Path dir = journal(tmp);
        // without snapshots recovery reads the whole journal
        for (SnapshotInfo s : new SnapshotStore(dir).list()) {
            Files.delete(s.file());
        }
        final Journals.Place middle = placeOfCommand(dir, N / 2);
        final byte[] b = Journals.read(middle.file(), middle.start() + 12, 1);
        b[0] ^= 0x10;
        Journals.write(middle.file(), middle.start() + 12, b);
        final JournalException e = refused(dir, "seq " + (N / 2), "checksum mismatch",
            (N - N / 2) + " more entries follow it");
        assertEquals(N / 2, e.seq());
        final RecoveryReport r = repaired(dir, N / 2 - 1, prefixHashes[2]);
        assertTrue(r.repairs().get(0).contains((N - N / 2) + " more entries follow it"), r::toString);
    }

    @Test
    void anUnknownSchemaVersionIsRefused(@TempDir Path tmp) {
        final Path dir = journal(tmp);
        final byte[] entry = Journals.entries(dir, JournalFiles.COMMANDS).get(N - 1).clone();
        entry[0] = 99;
        entry[2] = (byte) ((N + 1) >>> 0);
        entry[3] = (byte) ((N + 1) >>> 8);
        final CRC32C crc = new CRC32C();
        crc.update(entry, 0, entry.length - 4);
        JournalEntries.putInt(entry, entry.length - 4, (int) crc.getValue()); // a valid entry of a newer version
        Journals.appendRaw(dir, JournalFiles.COMMANDS, entry);
        refused(dir, "seq " + (N + 1), "schema version 99 is unknown to this build");
        final JournalException replay = assertThrows(JournalException.class,
            () -> Replayer.replay(dir, Replayer.Options.ALL.withFromStart(true)));
        assertTrue(replay.getMessage().contains("schema version 99 is unknown"), replay.getMessage());
        repaired(dir, N, prefixHashes[1]);
    }

    @Test
    void aDamagedEventsEntryIsRefusedThenWrittenAgain(@TempDir Path tmp) {
        final Path dir = journal(tmp);
        final Journals.Place last = Journals.lastEntry(dir, JournalFiles.EVENTS);
        final byte[] b = Journals.read(last.file(), last.end() - 9, 1);
        b[0] ^= 0x01;
        Journals.write(last.file(), last.end() - 9, b);
        refused(dir, "events", "seq " + N, "checksum mismatch");
        final RecoveryReport r = repaired(dir, N, prefixHashes[1]);
        assertEquals(1, r.eventsRegenerated(), r::toString);
    }

    @Test
    void aCorruptSnapshotIsRefusedThenSetAside(@TempDir Path tmp) throws IOException {
        final Path dir = journal(tmp);
        final SnapshotStore store = new SnapshotStore(dir);
        final Path latest = store.fileFor(3_000);
        final byte[] good = Files.readAllBytes(latest);
        final byte[] flip = Journals.read(latest, 1_000, 1);
        flip[0] ^= 0x20;
        Journals.write(latest, 1_000, flip);
        refused(dir, "snapshot-00000000000000003000.snap", "checksum mismatch");
        final Replayer.Result verify = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        assertEquals(3_000, verify.divergence().seq(), "replay --verify names the snapshot's seq");
        final RecoveryReport r;
        try (JournaledEngine journal = JournaledEngine.open(dir, truncate())) {
            r = journal.recovery();
            assertEquals(2_000, r.snapshotSeq(), "the previous snapshot is used");
            assertEquals(prefixHashes[1], journal.engine().stateHash());
        }
        assertTrue(r.repairs().get(0).contains("set aside"), r::toString);
        assertEquals(1, r.snapshotsWritten(), "and the snapshot is written again from the replay");
        assertArrayEquals(good, Files.readAllBytes(latest));
        final List<Path> aside;
        try (var files = Files.list(store.dir())) {
            aside = files.filter(p -> p.getFileName().toString().contains(".damaged-")).toList();
        }
        assertEquals(1, aside.size(), "the damaged file is kept");
    }

    @Test
    void aSnapshotBeyondTheJournalIsRefused(@TempDir Path tmp) throws IOException {
        final Path dir = journal(tmp);
        // a power loss under MAPPED durability: the synced snapshot survived, the commands before it did not
        final Journals.Place cut = placeOfCommand(dir, 2_500);
        Journals.truncate(cut.file(), cut.start());
        final JournalException e = assertThrows(JournalException.class,
            () -> JournaledEngine.open(dir, JournalOptions.DEFAULT));
        // Chronicle mostly cannot even read a queue whose file is cut inside a frame (it faults on the missing pages
        // looking for the queue's end); where the cut leaves it an end it can find, the snapshot is beyond that end
        assertTrue(e.getMessage().contains("commands: the queue's files cannot be read")
            || e.getMessage().contains("is at seq 3000, beyond the command journal"), e.getMessage());
        try (JournaledEngine journal = JournaledEngine.open(dir, truncate())) {
            assertEquals(2_500, journal.nextSeq());
            assertEquals(2_000, journal.recovery().snapshotSeq(), journal.recovery()::toString);
            assertEquals(stream.hashesAt(2_499)[0], journal.engine().stateHash());
        }
    }

    @Test
    void theVerifierReportsEachProblem(@TempDir Path tmp) throws IOException {
        final Path dir = journal(tmp);
        assertTrue(JournalVerifier.verify(dir).ok());
        Files.delete(new SnapshotStore(dir).fileFor(1_000));
        final Journals.Place last = Journals.lastEntry(dir, JournalFiles.COMMANDS);
        Journals.truncate(last.file(), last.end() - 3);
        final JournalVerifier.Report r = JournalVerifier.verify(dir);
        assertEquals(N - 1, r.commands());
        assertTrue(r.errors().stream().anyMatch(e -> e.contains("seq " + N) && e.contains("torn or damaged last entry")),
            () -> r.errors().toString());
        assertTrue(r.errors().stream().anyMatch(e -> e.contains("snapshot at seq 1000 is missing")),
            () -> r.errors().toString());
        assertTrue(r.errors().stream().anyMatch(e -> e.contains("past the last valid command")),
            () -> r.errors().toString());
    }

    /** Where command {@code seq}'s entry lies. */
    private static Journals.Place placeOfCommand(Path dir, long seq) {
        return Journals.placeOf(dir, JournalFiles.COMMANDS, seq);
    }
}
