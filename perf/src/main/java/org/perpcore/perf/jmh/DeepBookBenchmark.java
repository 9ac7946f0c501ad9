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

/**
 * The engine at scale: a book of {@code restingOrders} resting orders (10 million by default) from
 * {@code accounts} accounts (1 million), spread over 20,000 price levels a side. Measures a passive order placed
 * near the touch and cancelled again (the book returns to the same state after every pair), and an IOC that takes
 * the best level's head order and is replaced by an identical resting order. Shows that the structures hold this
 * size and that the per-command cost and allocation stay those of a small book.
 *
 * <p>Setup applies about 11 million commands and needs a large heap (the fork runs with -Xmx12g); it prints the
 * heap in use after setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Xms12g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DeepBookBenchmark {
    private static final long TICK_E8 = 10_000_000L;      // 0.1
    private static final long STEP_E8 = 100_000L;         // 0.001
    private static final long MID_TICKS = 1_000_000L;     // 100,000.0
    private static final int LEVELS_PER_SIDE = 20_000;
    private static final int PAIRS = 1024;

    @Param({"10000000"})
    public int restingOrders;

    @Param({"1000000"})
    public int accounts;

    private Engine engine;
    private Command[] placeCancel;
    private Command[] takeRefill;
    private int next;

    @Setup(Level.Trial)
    public void buildBook() {
        engine = new Engine(restingOrders + PAIRS * 2, accounts);
        final Command c = new Command();
        c.type = CommandType.MARKET;
        c.symbol.set("BTCUSDT");
        c.param(MarketParam.TICK, TICK_E8).param(MarketParam.STEP, STEP_E8).param(MarketParam.PRICE_BAND, 0)
            .param(MarketParam.MAX_OPEN_ORDERS, 1000);
        engine.apply(c);
        for (int a = 0; a < accounts; a++) {
            c.clear();
            c.type = CommandType.DEPOSIT;
            c.account.set(accountName(a));
            c.amountE8 = 10_000 * Fixed.E8; // 1 M accounts x 10,000 USDT stays under the engine's money cap
            engine.apply(c);
        }
        for (int i = 0; i < restingOrders; i++) {
            final boolean bid = (i & 1) == 0;
            final long level = 1 + (i / 2) % LEVELS_PER_SIDE;
            limit(c, accountName(i % accounts), bid ? Side.BUY : Side.SELL,
                bid ? MID_TICKS - level : MID_TICKS + level, level == 1 ? 1 : 1 + i % 5, null);
            engine.apply(c);
        }
        if (engine.openOrderCount() != restingOrders) {
            throw new IllegalStateException("book holds " + engine.openOrderCount() + " orders, not " + restingOrders);
        }
        System.gc();
        final Runtime rt = Runtime.getRuntime();
        System.out.printf("%n[deep book] %,d resting orders, %,d accounts, heap in use %,d MiB%n",
            engine.openOrderCount(), engine.accountCount(), (rt.totalMemory() - rt.freeMemory()) >> 20);

        placeCancel = new Command[PAIRS * 2];
        takeRefill = new Command[PAIRS * 2];
        for (int p = 0; p < PAIRS; p++) {
            final String account = accountName((p * 7919) % accounts);
            final String id = "pc" + p;
            final boolean bid = (p & 1) == 0;
            placeCancel[2 * p] = limit(new Command(), account, bid ? Side.BUY : Side.SELL,
                bid ? MID_TICKS - 1 - p % 50 : MID_TICKS + 1 + p % 50, 1, id);
            final Command cancel = new Command();
            cancel.type = CommandType.CANCEL_ORDER;
            cancel.account.set(account);
            cancel.symbol.set("BTCUSDT");
            cancel.clientId.set(id);
            placeCancel[2 * p + 1] = cancel;

            // the best ask level holds one-lot orders: an IOC buy of one lot removes its head order and a one-lot
            // sell at the same price joins its back, so the book keeps its shape and size
            takeRefill[2 * p] = limit(new Command(), accountName((p * 104_729 + 1) % accounts), Side.BUY,
                MID_TICKS + 1, 1, null);
            takeRefill[2 * p].timeInForce = TimeInForce.IOC;
            takeRefill[2 * p + 1] = limit(new Command(), accountName((p * 15_485_863 + 3) % accounts), Side.SELL,
                MID_TICKS + 1, 1, null);
        }
    }

    private static String accountName(int a) {
        return "u" + a;
    }

    private static Command limit(Command c, String account, Side side, long priceTicks, long lots, String id) {
        c.clear();
        c.type = CommandType.PLACE_ORDER;
        c.account.set(account);
        c.symbol.set("BTCUSDT");
        c.side = side;
        c.orderType = OrderType.LIMIT;
        c.timeInForce = TimeInForce.GTC;
        c.priceE8 = priceTicks * TICK_E8;
        c.qtyE8 = lots * STEP_E8;
        if (id != null) {
            c.clientId.set(id);
        }
        return c;
    }

    /** A passive order near the touch and its cancel: two commands per invocation. */
    @Benchmark
    @OperationsPerInvocation(2)
    public int placeAndCancel() {
        final int i = next;
        next = (i + 2) & (PAIRS * 2 - 1);
        engine.apply(placeCancel[i]);
        engine.apply(placeCancel[i + 1]);
        return placeCancel[i + 1].events().count();
    }

    /** An IOC that trades one lot at the best ask, and a resting order that puts the lot back: two commands. */
    @Benchmark
    @OperationsPerInvocation(2)
    public int takeAndRefill() {
        final int i = next;
        next = (i + 2) & (PAIRS * 2 - 1);
        engine.apply(takeRefill[i]);
        engine.apply(takeRefill[i + 1]);
        return takeRefill[i].events().count();
    }
}
