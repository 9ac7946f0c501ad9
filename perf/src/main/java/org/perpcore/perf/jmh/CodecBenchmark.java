package org.perpcore.perf.jmh;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.perpcore.core.codec.CommandCodec;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;

/**
 * The command codec on the journal's and the replay's path: {@code encode} writes a GTC limit order with a
 * 22-character client order id (what bots send) into a buffer, {@code decode} reads it back into a reused command.
 * One operation is one command; average time, nanoseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandCodec.MAX_LENGTH]);
    private final Command into = new Command();
    private Command order;
    private int length;

    @Setup
    public void setUp() {
        order = EngineFixture.limit("acct-000123", "x-AbCdEfGhIjKlMnOpQrSt", Side.BUY, 600_001, 7, TimeInForce.GTC);
        order.seq = 123_456_789L;
        order.timestampMs = EngineFixture.START_MS;
        length = CommandCodec.encode(order, buffer, 0);
        if (CommandCodec.decode(buffer, 0, length, into) != length || into.priceE8 != order.priceE8
            || !into.clientId.toString().equals(order.clientId.toString())) {
            throw new IllegalStateException("the codec does not round-trip the benchmark's order");
        }
    }

    @Benchmark
    public int encode() {
        return CommandCodec.encode(order, buffer, 0);
    }

    @Benchmark
    public long decode() {
        CommandCodec.decode(buffer, 0, length, into);
        return into.priceE8;
    }
}
