package org.perpcore.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes with a real kill: a child JVM runs the journaled pipeline under load (the cascade stream, as fast as it
 * goes, snapshots every 2,000 commands, the two layouts in turn) and is killed with SIGKILL at a random point. After
 * each kill the journal is opened: it restores exactly the state a plain run of the journaled prefix reaches (state
 * hash after every command precomputed), every command whose result the child had emitted is in it, and the events
 * of the prefix replay identically. Then the next child continues the journal. In the end, after every kill, the
 * journal is byte for byte the one an uninterrupted run writes.
 *
 * <p>{@code -Dperpcore.crash.kills=N} sets the number of kills (default 20).
 */
@Timeout(900)
class CrashTest {
    private static final int KILLS = Integer.getInteger("perpcore.crash.kills", 20);
    private static final int COMMANDS = 90_000;

    @TempDir
    Path tmp;

    @Test
    void everyKillRecoversToTheJournaledPrefix() throws Exception {
        final Streams stream = Streams.cascade(1010, COMMANDS, 2_000);
        final Path streamFile = tmp.resolve("stream.bin");
        stream.writeTo(streamFile);
        final long[] hashes = stream.allHashes();
        final Path dir = tmp.resolve("journal");
        final SplittableRandom random = new SplittableRandom(20251010);
        final List<String> history = new ArrayList<>();
        int kills = 0;
        int refusals = 0;
        long journaled = 0;
        for (int round = 0; kills < KILLS; round++) {
            if (journaled >= COMMANDS) {
                fail("the stream ran out after " + kills + " kills: " + history);
            }
            final String layout = round % 2 == 0 ? "fused" : "split";
            long emitted = 0;
            final List<String> lines;
            try (ChildJvm child = ChildJvm.start(null, List.of(), CrashChild.class, dir.toString(),
                streamFile.toString(), layout)) {
                final String start = child.nextLine(120_000);
                assertNotNull(start, () -> "the child did not start: " + child.stderr());
                assertTrue(start.startsWith("START "), () -> start + " / " + child.stderr());
                assertEquals(journaled + 1, Long.parseLong(start.substring(6)), "the child continues the journal");
                // kill once the child has emitted results up to a random point ahead (1 in 5: at once)
                final long target = random.nextInt(5) == 0 ? 0 : journaled + 1 + random.nextInt(7_000);
                while (emitted < target) {
                    final String line = child.nextLine(120_000);
                    if (line == null || line.equals(ChildJvm.EOF) || line.equals("DONE")) {
                        break;
                    }
                    emitted = Long.parseLong(line.substring(4));
                }
                lines = child.kill();
                kills++;
            }
            for (String l : lines) {
                if (l.startsWith("OUT ")) {
                    emitted = Math.max(emitted, Long.parseLong(l.substring(4)));
                }
            }
            // recovery: refuse damage first; a refusal must name it, then the operator's repair
            JournaledEngine journal;
            String refusal = null;
            try {
                journal = JournaledEngine.open(dir, JournalOptions.DEFAULT);
            } catch (JournalException e) {
                refusal = e.getMessage();
                refusals++;
                journal = JournaledEngine.open(dir, JournalOptions.DEFAULT.withOnCorrupt(OnCorrupt.TRUNCATE));
            }
            try (JournaledEngine j = journal) {
                final long last = j.nextSeq() - 1;
                assertTrue(last >= emitted, "seq " + emitted + " was emitted, the journal ends at " + last);
                assertEquals(last == 0 ? new org.perpcore.core.engine.Engine().stateHash() : hashes[(int) last - 1],
                    j.engine().stateHash(), "the state of the journaled prefix 1.." + last);
                history.add(layout + " kill " + kills + ": emitted " + emitted + ", journaled " + last + " ("
                    + j.recovery().summary() + (refusal == null ? "" : "; refused first: " + refusal) + ")");
                journaled = last;
            }
            final Replayer.Result tail = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true));
            assertNull(tail.divergence(), () -> "after kill " + history.get(history.size() - 1) + ": "
                + tail.divergence());
            assertEquals(journaled, tail.lastSeq());
        }
        // the last child runs to the end
        try (ChildJvm child = ChildJvm.start(null, List.of(), CrashChild.class, dir.toString(), streamFile.toString(),
            "fused")) {
            final List<String> lines = child.waitFor(600);
            assertEquals(0, child.exitValue(), child::stderr);
            assertEquals("DONE", lines.get(lines.size() - 1));
        }
        System.out.println("CrashTest: " + kills + " kills, " + refusals + " refused before repair");
        history.forEach(h -> System.out.println("  " + h));
        final Replayer.Result full = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        assertNull(full.divergence());
        assertEquals(hashes[COMMANDS - 1], full.stateHash());
        final Path clean = tmp.resolve("uninterrupted");
        Journals.run(clean, stream, 0, COMMANDS);
        for (String queue : List.of(JournalFiles.COMMANDS, JournalFiles.EVENTS)) {
            final List<byte[]> a = Journals.entries(clean, queue);
            final List<byte[]> b = Journals.entries(dir, queue);
            assertEquals(a.size(), b.size(), queue);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i), queue + " entry " + (i + 1));
            }
        }
        assertTrue(JournalVerifier.verify(dir).ok(), () -> JournalVerifier.verify(dir).errors().toString());
    }
}
