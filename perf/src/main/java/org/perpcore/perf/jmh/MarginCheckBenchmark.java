package org.perpcore.perf.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.event.EventType;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.RejectCode;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;

/**
 * The order margin check alone: a GTC buy of 1 BTC at 99,000 by an account whose balance cannot carry it, so the
 * engine validates the order, values the account's position ({@code position = true}: a 0.05 BTC long at
 * 100,000, cross, Binance's ten tiers) or not, works out the order's initial margin against the available balance
 * and rejects it with -2019 (Margin is insufficient): the whole check, then its ORDER event (REJECTED) and the REJECT, and no change of state,
 * so every operation is the same. Average time per order, nanoseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MarginCheckBenchmark {
    @Param({"true", "false"})
    public boolean position;

    private Engine engine;
    private Command order;
    private final EventView view = new EventView();

    @Setup
    public void setUp() throws ScenarioException {
        engine = new Engine();
        final ScenarioParser parser = new ScenarioParser();
        final String[] lines = {
            "market BTCUSDT tick=0.1 step=0.001",
            "bracket BTCUSDT 0 0.004 125", "bracket BTCUSDT 50000 0.005 100", "bracket BTCUSDT 250000 0.01 50",
            "bracket BTCUSDT 1000000 0.025 20", "bracket BTCUSDT 10000000 0.05 10",
            "bracket BTCUSDT 20000000 0.1 5", "bracket BTCUSDT 50000000 0.125 4", "bracket BTCUSDT 100000000 0.15 3",
            "bracket BTCUSDT 200000000 0.25 2", "bracket BTCUSDT 300000000 0.5 1",
            "index BTCUSDT 100000",
            "deposit maker 10000000", "deposit trader 1000", "leverage trader BTCUSDT 20",
            position ? "order maker BTCUSDT sell limit 0.05 100000" : "query state",
            position ? "order trader BTCUSDT buy limit 0.05 100000 tif=IOC" : "query state",
        };
        long seq = 0;
        int n = 0;
        for (String line : lines) {
            final Command c = new Command();
            if (parser.parse(line, ++n, c)) {
                c.seq = ++seq;
                c.timestampMs = EngineFixture.START_MS;
                engine.apply(c);
                if (EngineFixture.rejects(c) > 0) {
                    throw new IllegalStateException("setup rejected: " + line);
                }
            }
        }
        order = EngineFixture.limit("trader", "", Side.BUY, 990_000, 1_000, TimeInForce.GTC);
        order.seq = ++seq;
        order.timestampMs = EngineFixture.START_MS;
        engine.apply(order);
        view.decode(order.events().buffer(), 0);
        if (view.type != EventType.ORDER || view.reject != RejectCode.MARGIN_NOT_SUFFICIENT
            || engine.openOrderCount() != 0) {
            throw new IllegalStateException("the benchmark's order is not rejected for margin: " + view.type + " "
                + view.reject + ", open orders " + engine.openOrderCount());
        }
    }

    @Benchmark
    public int check() {
        engine.apply(order);
        return order.events().count();
    }
}
