package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.scenario.ScenarioRunner;

/**
 * The journal commands of the command line, in-process: a second script continues a journal, {@code replay} rebuilds
 * it (to the end, to a seq, to a time) with the state hash of a direct run, {@code replay --verify} names the first
 * seq whose events were tampered with, {@code journal verify} finds a damaged tail, exit statuses throughout.
 */
@Timeout(120)
class JournalCliTest {
    private static final String FIRST = """
        time 2025-10-10T14:00:00Z
        market BTCUSDT tick=0.1 step=0.001
        deposit alice 10000
        deposit bob 10000
        index BTCUSDT 100000
        order alice BTCUSDT sell limit 0.5 100000 id=a1
        order bob BTCUSDT buy limit 0.2 100000 id=b1
        advance 10s
        order bob BTCUSDT buy market 0.1
        query account alice
        """;
    private static final String SECOND = """
        time 2025-10-10T15:00:00Z
        order alice BTCUSDT sell limit 0.3 100010 id=a2
        order bob BTCUSDT buy market 0.3
        cancel alice BTCUSDT a1
        query position bob BTCUSDT
        """;

    @TempDir
    Path tmp;

    private Path script(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private static Map<String, String> keyValues(CliRun run) {
        final Map<String, String> m = new HashMap<>();
        run.stdoutText().lines().forEach(l -> {
            final int eq = l.indexOf('=');
            if (eq > 0) {
                m.put(l.substring(0, eq), l.substring(eq + 1));
            }
        });
        return m;
    }

    private static String hashOf(String script) throws Exception {
        final Engine e = new Engine();
        ScenarioRunner.run(script.lines().toList(), e);
        return String.format("%016x", e.stateHash());
    }

    /** Runs both scripts into one journal; returns it. */
    private Path twoRuns() throws Exception {
        final Path journal = tmp.resolve("journal");
        final CliRun first = CliRun.of("scenario", script("first.scn", FIRST).toString(), "--journal",
            journal.toString(), "--snapshot-every", "4");
        assertEquals(0, first.status(), first::describe);
        assertEquals("", first.stderr(), "a new journal says nothing");
        final CliRun second = CliRun.of("scenario", script("second.scn", SECOND).toString(), "--journal",
            journal.toString(), "--layout", "split");
        assertEquals(0, second.status(), second::describe);
        // 9 commands + 2 snapshots (seq 5 and 10): the second script continues at seq 12
        assertTrue(second.stderr().contains("restored seq 1..11"), second::describe);
        assertTrue(second.stderr().contains("continuing at seq 12"), second::describe);
        assertTrue(second.stdoutText().startsWith("{\"seq\":12,"), second::describe);
        return journal;
    }

    @Test
    void aSecondScriptContinuesTheJournalAndReplayReachesTheSameState() throws Exception {
        final Path journal = twoRuns();
        final String both = FIRST + SECOND;
        final CliRun replay = CliRun.of("replay", journal.toString());
        assertEquals(0, replay.status(), replay::describe);
        final Map<String, String> kv = keyValues(replay);
        assertEquals("15", kv.get("lastSeq"));
        assertEquals(hashOf(both), kv.get("stateHash"), "the state of both scripts run on one engine");
        assertEquals("10", kv.get("fromSnapshot"), "from the latest snapshot");
        assertEquals("5", kv.get("replayed"));
        assertEquals("2025-10-10T15:00:00Z", kv.get("lastTime"));
        assertFalse(replay.stderr().contains("\r"), "no progress bar when stderr is not a terminal");

        final CliRun verify = CliRun.of("replay", "--verify", journal.toString());
        assertEquals(0, verify.status(), verify::describe);
        assertEquals("15 commands, 2 snapshots", keyValues(verify).get("verified"));
        assertEquals("none", keyValues(verify).get("fromSnapshot"));

        final CliRun toSeq = CliRun.of("replay", journal.toString(), "--to-seq", "3");
        assertEquals(hashOf("time 2025-10-10T14:00:00Z\nmarket BTCUSDT tick=0.1 step=0.001\ndeposit alice 10000\n"
            + "deposit bob 10000\n"), keyValues(toSeq).get("stateHash"));
        assertEquals("3", keyValues(toSeq).get("lastSeq"));

        final CliRun toTime = CliRun.of("replay", journal.toString(), "--to-time", "2025-10-10T14:30:00Z");
        assertEquals(0, toTime.status(), toTime::describe);
        assertEquals("11", keyValues(toTime).get("lastSeq"), "every command of the first script");
        assertEquals(hashOf(FIRST), keyValues(toTime).get("stateHash"));

        final CliRun ok = CliRun.of("journal", "verify", journal.toString());
        assertEquals(0, ok.status(), ok::describe);
        assertTrue(ok.stdoutText().contains("commands: 15 valid of 15 entries, seq 1..15"), ok::describe);
        assertTrue(ok.stdoutText().contains("snapshots: 2 at seq 5, 10"), ok::describe);
        assertTrue(ok.stdoutText().trim().endsWith("OK"), ok::describe);
    }

    @Test
    void tamperedEventsAreNamedByTheirSeq() throws Exception {
        final Path journal = twoRuns();
        // change one byte of the events of seq 13 (the market order's trade) and fix the entry's checksum, as a
        // careful forger would: the journal is well formed, only a replay can tell
        rewriteEntry(journal.resolve("events"), 13, entry -> entry[40] ^= 0x01);
        final CliRun structure = CliRun.of("journal", "verify", journal.toString());
        assertEquals(0, structure.status(), "well formed: " + structure.describe());

        final CliRun verify = CliRun.of("replay", journal.toString(), "--verify");
        assertEquals(1, verify.status(), verify::describe);
        assertTrue(verify.stderr().contains("divergence at seq 13"), verify::describe);
        assertTrue(verify.stderr().contains("differ from the journal's"), verify::describe);

        // a plain replay does not read the events: it rebuilds the state from the commands
        assertEquals(0, CliRun.of("replay", journal.toString()).status());
    }

    @Test
    void damageIsFoundAndExitsNonZero() throws Exception {
        final Path journal = twoRuns();
        rewriteEntry(journal.resolve("commands"), 15, entry -> entry[5] ^= 0x01, false); // checksum left wrong
        final CliRun verify = CliRun.of("journal", "verify", journal.toString());
        assertEquals(1, verify.status(), verify::describe);
        assertTrue(verify.stdoutText().contains("ERROR: commands: the entry for seq 15"), verify::describe);
        assertTrue(verify.stdoutText().contains("checksum mismatch"), verify::describe);

        final CliRun replay = CliRun.of("replay", journal.toString());
        assertEquals(1, replay.status(), replay::describe);
        assertTrue(replay.stderr().contains("seq 15"), replay::describe);

        final CliRun refused = CliRun.of("scenario", script("more.scn", "query account alice\n").toString(),
            "--journal", journal.toString());
        assertEquals(1, refused.status(), refused::describe);
        assertTrue(refused.stderr().contains("--on-corrupt truncate"), refused::describe);
        assertEquals(0, refused.stdout().length, "nothing ran");

        final CliRun repaired = CliRun.of("scenario", tmp.resolve("more.scn").toString(), "--journal",
            journal.toString(), "--on-corrupt", "truncate");
        assertEquals(0, repaired.status(), repaired::describe);
        assertTrue(repaired.stderr().contains("repaired: commands: the entry for seq 15"), repaired::describe);
        assertTrue(repaired.stdoutText().startsWith("{\"seq\":15,"), "the repaired journal goes on at seq 15");
        final CliRun after = CliRun.of("journal", "verify", journal.toString());
        assertEquals(0, after.status(), after::describe);
    }

    @Test
    void snapshotCommandTakesOneAtTheEnd() throws Exception {
        final Path journal = twoRuns();
        final CliRun snap = CliRun.of("journal", "snapshot", journal.toString());
        assertEquals(0, snap.status(), snap::describe);
        assertEquals("snapshot at seq 16" + System.lineSeparator(), snap.stdoutText());
        final CliRun replay = CliRun.of("replay", journal.toString());
        assertEquals("16", keyValues(replay).get("fromSnapshot"));
        assertEquals("0", keyValues(replay).get("replayed"));
    }

    @Test
    void usageErrorsExitWithStatus2() throws Exception {
        final Path journal = twoRuns();
        final List<String[]> bad = new ArrayList<>();
        bad.add(new String[] {"replay"});
        bad.add(new String[] {"replay", tmp.resolve("nowhere").toString()});
        bad.add(new String[] {"replay", tmp.toString()}); // a directory, not a journal
        bad.add(new String[] {"replay", journal.toString(), "--to-seq", "ten"});
        bad.add(new String[] {"replay", journal.toString(), "--to-time", "yesterday"});
        bad.add(new String[] {"replay", journal.toString(), "--from-snapshot"});
        bad.add(new String[] {"journal"});
        bad.add(new String[] {"journal", "frobnicate", journal.toString()});
        bad.add(new String[] {"journal", "verify", tmp.toString()});
        bad.add(new String[] {"scenario", tmp.resolve("first.scn").toString(), "--journal", journal.toString(),
            "--on-corrupt", "shrug"});
        bad.add(new String[] {"scenario", tmp.resolve("first.scn").toString(), "--journal", journal.toString(),
            "--snapshot-every", "0"});
        for (String[] argv : bad) {
            final CliRun run = CliRun.of(argv);
            assertEquals(2, run.status(), () -> String.join(" ", argv) + ": " + run.describe());
            assertFalse(run.stderr().isEmpty(), () -> String.join(" ", argv) + " says why");
        }
    }

    @Test
    void helpListsTheJournalCommands() {
        final String help = CliRun.of("help").stdoutText();
        for (String s : List.of("replay DIR", "--to-seq N", "--to-time T", "--verify", "journal verify DIR",
            "--on-corrupt stop|truncate", "--durability mapped|sync")) {
            assertTrue(help.contains(s), () -> "help mentions " + s);
        }
    }

    private interface Tamper {
        void apply(byte[] entry);
    }

    private static void rewriteEntry(Path queue, long seq, Tamper tamper) throws IOException {
        rewriteEntry(queue, seq, tamper, true);
    }

    /**
     * Changes entry number {@code seq} of a queue in its file, recomputing its CRC-32C (the last 4 bytes) or not. The
     * entry is found in the journal's document layouts (docs/JOURNAL.md): a document starting with 0x82 is a frame
     * (a 17-byte header, then a u32 length before each entry), any other is one entry.
     */
    private static void rewriteEntry(Path queue, long seq, Tamper tamper, boolean fixChecksum) throws IOException {
        Path file = null;
        long start = -1;
        int length = 0;
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(queue).readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            for (long first = 1; file == null; ) {
                try (DocumentContext dc = t.readingDocument()) {
                    assertTrue(dc.isPresent());
                    final net.openhft.chronicle.bytes.Bytes<?> bytes = dc.wire().bytes();
                    final long at = bytes.readPosition();
                    if (bytes.readByte(at) != (byte) 0x82) {
                        if (first++ == seq) {
                            file = t.currentFile().toPath();
                            start = at;
                            length = (int) bytes.readRemaining();
                        }
                        continue;
                    }
                    long p = at + 17;
                    for (int i = 0, n = bytes.readInt(at + 1); i < n && file == null; i++) {
                        final int size = bytes.readInt(p);
                        if (first++ == seq) {
                            file = t.currentFile().toPath();
                            start = p + 4;
                            length = size;
                        }
                        p += 4 + size;
                    }
                }
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final ByteBuffer b = ByteBuffer.allocate(length);
            ch.read(b, start);
            final byte[] entry = b.array();
            tamper.apply(entry);
            if (fixChecksum) {
                final CRC32C crc = new CRC32C();
                crc.update(entry, 0, length - 4);
                final int v = (int) crc.getValue();
                for (int i = 0; i < 4; i++) {
                    entry[length - 4 + i] = (byte) (v >>> (8 * i));
                }
            }
            ch.write(ByteBuffer.wrap(entry), start);
        }
    }
}
