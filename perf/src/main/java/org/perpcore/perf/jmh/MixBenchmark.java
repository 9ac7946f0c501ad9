package org.perpcore.perf.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.perpcore.core.codec.CommandCodec;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;

/**
 * A realistic order flow: commands per second of {@code engine.apply}, one command per invocation, cycling over
 * a pre-generated {@link MixStream}: about 45 % passive limit orders near the touch (retail orders and maker
 * re-quotes), 40 % cancels of live orders by client order id, 10 % IOC limit orders and 5 % market orders, from
 * 4,096 retail accounts and 4 market makers, against a warm book of about 8,100 resting orders
 * ({@link WarmBook}).
 *
 * <p>{@code streamCommands} sets the length of one cycle (the stream is a little longer: its last pairs close and
 * the maker queues come back to their first state). With 16,384 the cache lines one cycle touches (its commands
 * and event buffers, the orders and index entries they reach: some 15 MB) are far more than a core's 1 MB L2, so
 * most come from L3, as they would with a ring much larger than a core's cache. With 2,048 about a seventh of
 * that is touched, close to the L2's size: an upper bound that shows what the engine's code costs apart from
 * memory.
 *
 * <p>Steady state: the stream's net effect on the book is nil (every pair of place and cancel closes, and the
 * takers trade whole maker queues, re-quoted as they go), so applying it again finds the same orders under the
 * same client ids; the book size at a cycle boundary is always the same. The check after each iteration fails
 * the run if any command of the last cycle was rejected.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MixBenchmark {
    @Param({"16384", "2048"})
    public int streamCommands;

    private Engine engine;
    private Command[] stream;
    private int cursor;

    /** The same stream in the journal's binary encoding, back to back, and where each command starts. */
    private UnsafeBuffer encoded;
    private int[] offsets;
    private final Command slot = new Command();

    @Setup(Level.Trial)
    public void setUp() {
        final WarmBook book = new WarmBook(14, true, 1);
        engine = book.fixture.engine();
        stream = MixStream.generate(book, streamCommands).commands;
        cursor = 0;
        final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(stream.length * 64);
        offsets = new int[stream.length + 1];
        int p = 0;
        for (int i = 0; i < stream.length; i++) {
            offsets[i] = p;
            p += CommandCodec.encode(stream[i], bytes, p);
        }
        offsets[stream.length] = p;
        encoded = new UnsafeBuffer(bytes.byteArray(), 0, p);
    }

    @Benchmark
    public void mix() {
        final Command[] s = stream;
        engine.apply(s[cursor]);
        if (++cursor == s.length) {
            cursor = 0;
        }
    }

    /**
     * The same flow as a pipeline or a replay feeds it: each command is decoded from its compact binary form (about
     * 60 bytes) into one reused slot, then applied. Decoding is part of the measured cost; the stream's memory is
     * the journal's size, not that of thousands of command objects.
     */
    @Benchmark
    public int mixFromBytes() {
        final int i = cursor;
        CommandCodec.decode(encoded, offsets[i], offsets[i + 1] - offsets[i], slot);
        engine.apply(slot);
        cursor = i + 1 == offsets.length - 1 ? 0 : i + 1;
        return slot.events().count();
    }

    @TearDown(Level.Iteration)
    public void checkSteady() {
        // finish the cycle in progress, then apply one whole cycle as command objects: a state that drifted in
        // either benchmark shows as rejects here
        while (cursor != 0) {
            mixFromBytes();
        }
        for (Command c : stream) {
            engine.apply(c);
        }
        EngineFixture.checkNoRejects(stream, "mix");
    }
}
