package org.perpcore.perf.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.num.Fixed;
import org.perpcore.perf.BenchCommands;

/**
 * What a mark-price tick costs as the number of accounts holding the market grows: {@code accounts} accounts hold
 * positions (half long, half short, leverage 2 to 10, so far from liquidation), opened by real trades between
 * pairs of them. One operation is an index tick that moves the mark, alternating between two prices.
 *
 * <ul>
 *   <li>{@code crossing = 0}: nobody is near liquidation; the tick must cost the same with a thousand or a million
 *       holders (the trigger index looks only at the positions nearest the mark).</li>
 *   <li>{@code crossing = 1000}: another thousand accounts hold 125x longs whose liquidation prices lie between the
 *       two marks: every down tick detects (margin-calls) all of them, every up tick releases them. The difference
 *       from {@code crossing = 0}, divided by 1,000, is the cost of detecting one account (and releasing it).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MarkTickBenchmark {
    private static final long TICK_E8 = 10_000_000L;      // 0.1
    private static final long STEP_E8 = 100_000L;         // 0.001
    private static final long HIGH_E8 = 100_000 * Fixed.E8;
    private static final long LOW_E8 = 99_500 * Fixed.E8;

    @Param({"1000", "100000", "1000000"})
    public int accounts;

    @Param({"0", "1000"})
    public int crossing;

    private Engine engine;
    private final Command up = new Command();
    private final Command down = new Command();
    private final Command scratch = new Command();

    @Setup(Level.Trial)
    public void setUp() {
        engine = new Engine(1 << 12, accounts + crossing + 16);
        final Command c = scratch;
        c.clear();
        c.type = CommandType.MARKET;
        c.symbol.set("BTCUSDT");
        c.param(MarketParam.TICK, TICK_E8).param(MarketParam.STEP, STEP_E8).param(MarketParam.MAKER_FEE, 0)
            .param(MarketParam.TAKER_FEE, 0).param(MarketParam.PRICE_BAND, 0);
        engine.apply(c);
        index(c, HIGH_E8);
        engine.apply(c);
        // pairs trade with each other at the index: one long, one short, leverage 2..10
        for (int i = 0; i + 1 < accounts; i += 2) {
            final int leverage = 2 + (i / 2) % 9;
            open("h" + i, "h" + (i + 1), 10 + i % 50, leverage);
        }
        // accounts that a down tick to 99,500 margin-calls: 125x longs of 0.01 BTC with 8 USDT (liquidation
        // price about 99,598) against a deep short
        if (crossing > 0) {
            deposit("deep", 1_000_000);
            leverage("deep", 5);
            for (int i = 0; i < crossing; i++) {
                final String name = "x" + i;
                deposit(name, 8);
                leverage(name, 125);
                limit("deep", Side.SELL, HIGH_E8, 10);
                limit(name, Side.BUY, HIGH_E8, 10);
            }
        }
        index(up, HIGH_E8);
        index(down, crossing > 0 ? LOW_E8 : HIGH_E8 - 10 * TICK_E8);
        System.out.printf("%n[mark tick] %,d accounts with positions, %,d to cross%n", engine.accountCount(), crossing);
    }

    private void open(String longName, String shortName, long lots, int leverage) {
        deposit(longName, 10_000);
        deposit(shortName, 10_000);
        leverage(longName, leverage);
        leverage(shortName, leverage);
        limit(shortName, Side.SELL, HIGH_E8, lots);
        limit(longName, Side.BUY, HIGH_E8, lots);
    }

    private void deposit(String name, long usdt) {
        final Command c = scratch;
        c.clear();
        c.type = CommandType.DEPOSIT;
        c.account.set(name);
        c.amountE8 = usdt * Fixed.E8;
        engine.apply(c);
    }

    private void leverage(String name, int leverage) {
        final Command c = scratch;
        c.clear();
        c.type = CommandType.LEVERAGE;
        c.account.set(name);
        c.symbol.set("BTCUSDT");
        c.leverage = leverage;
        engine.apply(c);
    }

    private void limit(String name, Side side, long priceE8, long lots) {
        final Command c = scratch;
        c.clear();
        c.type = CommandType.PLACE_ORDER;
        c.account.set(name);
        c.symbol.set("BTCUSDT");
        c.side = side;
        c.orderType = OrderType.LIMIT;
        c.timeInForce = TimeInForce.GTC;
        c.priceE8 = priceE8;
        c.qtyE8 = lots * STEP_E8;
        engine.apply(c);
    }

    private static void index(Command c, long priceE8) {
        BenchCommands.index(c, "BTCUSDT", priceE8);
    }

    /** Two index ticks, down and back up: the mark moves twice. */
    @Benchmark
    @OperationsPerInvocation(2)
    public int tick() {
        engine.apply(down);
        engine.apply(up);
        return up.events().count() + down.events().count();
    }
}
