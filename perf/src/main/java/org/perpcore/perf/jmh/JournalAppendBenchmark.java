package org.perpcore.perf.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.journal.CommandJournal;

/**
 * The command journal stage's append ({@link CommandJournal#onCommand}: encoding, CRC-32C, a Chronicle Queue
 * document; MAPPED durability, every command the end of its batch, as on a lightly loaded pipeline): a GTC limit
 * order with a 22-character client id, its sequence number advancing, into a queue in the temporary directory that
 * is deleted after the trial (a run writes a few GB there). Average time per append.
 * {@code bin/perpcore bench journal} has the latency distribution and the SYNC figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JournalAppendBenchmark {
    private Path dir;
    private CommandJournal journal;
    private Command order;
    private long seq;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("perpcore-jmh-journal-");
        journal = new CommandJournal(dir);
        journal.onStart();
        order = EngineFixture.limit("acct-000123", "x-AbCdEfGhIjKlMnOpQrSt", Side.BUY, 600_001, 7, TimeInForce.GTC);
        order.timestampMs = EngineFixture.START_MS;
        seq = 0;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long append() {
        order.seq = ++seq;
        journal.onCommand(order, true);
        return seq;
    }
}
