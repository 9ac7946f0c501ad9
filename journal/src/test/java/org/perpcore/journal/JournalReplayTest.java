package org.perpcore.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventType;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.LiquidationStage;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.PipelineConfig;

/**
 * A long random run (liquidation cascades with the insurance fund and ADL, slices, a circuit breaker, funding),
 * journaled through the pipeline, then replayed twice from the journal: byte-identical events (checked against the
 * event journal, and as a digest) and equal state hashes, equal to the live run's and to a plain run of the same
 * commands on an engine. Replays to a sequence number and to a time equal the matching prefixes.
 *
 * <p>{@code -Dperpcore.replay.commands=N} sets the run's length (default 100,000).
 */
@Timeout(300)
class JournalReplayTest {
    static final int COMMANDS = Integer.getInteger("perpcore.replay.commands", 100_000);
    /** Four snapshots, the last one some way before the end. */
    static final int SNAPSHOT_EVERY = COMMANDS * 23 / 100 + 1;

    @TempDir
    static Path tmp;
    static Path journal;
    static Streams stream;
    static Streams.Reference reference;
    static long liveHash;
    static final long[] types = new long[EventType.values().length];
    static final long[] stages = new long[LiquidationStage.values().length];

    @BeforeAll
    static void journalALongRun() {
        stream = Streams.cascade(20251010, COMMANDS, SNAPSHOT_EVERY);
        reference = stream.reference(COMMANDS);
        journal = tmp.resolve("long");
        final EventView view = new EventView();
        final OutputStage tally = (c, endOfBatch) -> {
            for (int p = 0; p < c.events().length(); ) {
                final int n = view.decode(c.events().buffer(), p);
                types[view.type.ordinal()]++;
                if (view.type == EventType.LIQUIDATION) {
                    stages[view.stage.ordinal()]++;
                }
                p += n;
            }
        };
        Journals.run(journal, stream, 0, COMMANDS, PipelineConfig.DEFAULT, JournalOptions.DEFAULT, tally);
        try (JournaledEngine reopened = JournaledEngine.open(journal, JournalOptions.DEFAULT)) {
            liveHash = reopened.engine().stateHash();
            assertEquals(COMMANDS + 1, reopened.nextSeq());
        }
    }

    @Test
    void theRunLiquidatesThroughEveryStage() {
        final String tally = java.util.Arrays.toString(stages) + " " + java.util.Arrays.toString(types);
        assertTrue(stages[LiquidationStage.BOOK.ordinal()] > 100, tally);
        assertTrue(stages[LiquidationStage.INSURANCE.ordinal()] > 10, tally);
        assertTrue(stages[LiquidationStage.ADL.ordinal()] > 10, tally);
        assertTrue(types[EventType.ADL.ordinal()] > 10, tally);
        assertTrue(types[EventType.BAD_DEBT.ordinal()] > 0, tally);
        assertTrue(types[EventType.FUNDING.ordinal()] > 0, tally);
        assertTrue(types[EventType.HALT.ordinal()] > 0, tally);
    }

    @Test
    void replayedTwiceGivesIdenticalEventsAndStateHashes() {
        final Replayer.Options fromStart = Replayer.Options.ALL.withVerify(true).withFromStart(true);
        final Replayer.Result first = Replayer.replay(journal, fromStart);
        final Replayer.Result second = Replayer.replay(journal, fromStart);
        for (Replayer.Result r : List.of(first, second)) {
            assertNull(r.divergence(), () -> "divergence: " + r.divergence());
            assertEquals(COMMANDS, r.replayed());
            assertEquals(COMMANDS, r.eventsChecked(), "every command's events checked against the event journal");
            assertEquals(4, r.snapshotsChecked(), "every snapshot compared with the replayed state");
            assertEquals(reference.engine().stateHash(), r.stateHash());
            assertEquals(reference.eventDigest(), r.eventDigest(), "events byte for byte");
        }
        assertEquals(first.stateHash(), second.stateHash());
        assertEquals(first.eventDigest(), second.eventDigest());
        assertEquals(liveHash, first.stateHash(), "the live run's state, as recovered by open");
    }

    /** The same journal replayed by Temurin 25 in a JVM of its own: the same state hash and the same events. */
    @Test
    void java25ReplaysToTheSameStateAndEvents() throws Exception {
        final Path java25 = Path.of(System.getProperty("perpcore.java25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java25.resolve("bin/java")),
            "skipped: no Java 25 at " + java25 + " (set -Dperpcore.java25=JAVA_HOME to point at one)");
        final List<String> lines;
        try (ChildJvm child = ChildJvm.start(java25,
            List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"),
            ReplayChild.class, journal.toString())) {
            lines = child.waitFor(300);
            assertEquals(0, child.exitValue(), child::stderr);
        }
        final java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String l : lines) {
            final int space = l.indexOf(' ');
            out.put(l.substring(0, space), l.substring(space + 1));
        }
        assertTrue(out.get("JAVA").startsWith("25"), () -> "the child runs Java 25: " + out);
        assertEquals(String.valueOf(COMMANDS), out.get("REPLAYED"));
        assertEquals("null", out.get("DIVERGENCE"), "Java 25 reproduces the journal's events byte for byte");
        assertEquals(Long.toHexString(reference.engine().stateHash()), out.get("HASH"),
            "state hash on Java 25 and on Java " + System.getProperty("java.version"));
        assertEquals(reference.eventDigest(), out.get("DIGEST"), "event digest on both");
    }

    @Test
    void replayFromTheLatestSnapshotReachesTheSameState() {
        final Replayer.Result r = Replayer.replay(journal, Replayer.Options.ALL);
        assertEquals(4L * SNAPSHOT_EVERY, r.fromSnapshotSeq());
        assertEquals(COMMANDS - 4L * SNAPSHOT_EVERY, r.replayed());
        assertEquals(reference.engine().stateHash(), r.stateHash());
        final Replayer.Result tail = Replayer.replay(journal, Replayer.Options.ALL.withVerify(true));
        assertNull(tail.divergence());
        assertEquals(COMMANDS - 4L * SNAPSHOT_EVERY, tail.eventsChecked(), "the tail verified from the snapshot");
    }

    @Test
    void replayToASequenceNumberOrATimeEqualsThatPrefix() {
        // to a time: every command up to the first one stamped later
        final Command c = new Command();
        final long t = stream.get(COMMANDS / 2, c).timestampMs;
        int prefix = 0;
        while (prefix < COMMANDS && stream.get(prefix, c).timestampMs <= t) {
            prefix++;
        }
        final long[] seqs = {1, 777, SNAPSHOT_EVERY, SNAPSHOT_EVERY + 1, 3L * SNAPSHOT_EVERY - 1, prefix, COMMANDS};
        final long[] hashes = stream.hashesAt(seqs);
        for (int i = 0; i < seqs.length; i++) {
            if (seqs[i] == prefix) {
                continue;
            }
            final Replayer.Result r = Replayer.replay(journal, Replayer.Options.ALL.withToSeq(seqs[i]));
            assertEquals(seqs[i], r.lastSeq());
            assertEquals(hashes[i], r.stateHash(), "to seq " + seqs[i]);
        }
        final Replayer.Result r = Replayer.replay(journal, Replayer.Options.ALL.withToTime(t));
        assertEquals(prefix, r.lastSeq());
        assertEquals(hashes[5], r.stateHash());
        assertTrue(r.lastTimestampMs() <= t);
    }

    @Test
    void progressIsReportedUpToTheTotal() {
        final AtomicLong last = new AtomicLong();
        final AtomicLong total = new AtomicLong();
        final AtomicLong calls = new AtomicLong();
        Replayer.replay(journal, Replayer.Options.ALL.withFromStart(true).withProgress((done, all) -> {
            assertTrue(done >= last.get() && done <= all);
            last.set(done);
            total.set(all);
            calls.incrementAndGet();
        }));
        assertEquals(COMMANDS, total.get());
        assertEquals(COMMANDS, last.get());
        assertTrue(calls.get() > 2);
    }

    @Test
    void theJournalVerifiesOffline() {
        final JournalVerifier.Report report = JournalVerifier.verify(journal);
        assertTrue(report.ok(), () -> report.errors().toString());
        assertEquals(List.of(), report.warnings());
        assertEquals(COMMANDS, report.commands());
        assertEquals(COMMANDS, report.lastSeq());
        assertEquals(COMMANDS, report.lastEventSeq());
        assertEquals(4, report.snapshots().size());
    }

    /** The split layout (journal and engine on two threads) writes the same journals, byte for byte. */
    @Test
    void bothLayoutsWriteTheSameBytes(@TempDir Path dir) {
        final int n = Math.min(COMMANDS, 20_000);
        final Streams s = Streams.orderEntry(77, n, n / 3);
        final Path fused = dir.resolve("fused");
        final Path split = dir.resolve("split");
        Journals.run(fused, s, 0, n, PipelineConfig.DEFAULT.withFused(true).withRingSize(256),
            JournalOptions.DEFAULT, OutputStage.NONE);
        Journals.run(split, s, 0, n, PipelineConfig.DEFAULT.withFused(false).withWaitStrategy("yielding"),
            JournalOptions.DEFAULT, OutputStage.NONE);
        for (String queue : List.of(JournalFiles.COMMANDS, JournalFiles.EVENTS)) {
            final List<byte[]> a = Journals.entries(fused, queue);
            final List<byte[]> b = Journals.entries(split, queue);
            assertEquals(n, a.size());
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i), queue + " entry " + (i + 1));
            }
        }
        final Replayer.Result r = Replayer.replay(split, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        assertNull(r.divergence());
        final Streams.Reference ref = s.reference(n);
        assertEquals(ref.engine().stateHash(), r.stateHash());
        assertEquals(ref.eventDigest(), r.eventDigest());
    }
}
