package org.perpcore.perf.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.model.WorkingType;
import org.perpcore.core.num.Fixed;

/**
 * What a mark tick costs when it fires {@code fired} stops while {@code waiting} other stops wait (the case
 * {@code "WAITING:FIRED"}). The waiting stops (STOP_MARKET of 0.001 BTC, half on the mark and half on the last
 * price, sells spread over 50,000-90,000 and buys over 110,000-150,000, from 1,000 accounts) are never reached. The
 * fired ones are sell STOP_MARKETs on the mark at 99,500; one operation is a forced mark from 100,000 to 99,000: it
 * fires them all (in order of placement), and each fills as a market order against a resting bid at 99,400, so the
 * figure includes matching, fees and position updates of {@code fired} trades. Between operations (not measured,
 * {@code Level.Invocation}) the mark goes back to 100,000, the fired stops are placed again, the bid is replenished
 * and the seller buys its position back.
 *
 * <p>The claim it checks: the tick costs the same with 1,000 or 1,000,000 stops waiting (the stop queues are looked at
 * only where the price reaches), and grows with the stops it fires. {@code -prof gc} shows the allocation per
 * operation (0 in steady state; the per-invocation setup is allocation-free as well).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StopTickBenchmark {
    static final long TICK_E8 = 10_000_000L;      // 0.1
    static final long STEP_E8 = 100_000L;         // 0.001
    static final long HIGH_E8 = 100_000 * Fixed.E8;
    static final long LOW_E8 = 99_000 * Fixed.E8;
    static final long STOP_E8 = 99_500 * Fixed.E8;
    static final long BID_E8 = 99_400 * Fixed.E8;
    static final long ASK_E8 = 100_100 * Fixed.E8;
    static final int WAITERS = 1000;

    @Param({"1000:0", "1000:1", "1000:1000", "1000000:0", "1000000:1", "1000000:1000", "1000000:10000"})
    public String waitingFired;

    private int waiting;
    private int fired;
    private Engine engine;
    private final Command down = new Command();
    private final Command up = new Command();
    private final Command stop = new Command();
    private final Command bid = new Command();
    private final Command ask = new Command();
    private final Command buyBack = new Command();
    private final Command scratch = new Command();

    @Setup(Level.Trial)
    public void setUp() {
        final String[] parts = waitingFired.split(":");
        waiting = Integer.parseInt(parts[0]);
        fired = Integer.parseInt(parts[1]);
        engine = build(waiting, fired, scratch);
        mark(down, LOW_E8);
        mark(up, HIGH_E8);
        order(stop, "s", Side.SELL, OrderType.STOP_MARKET, 0, 1);
        stop.stopPriceE8 = STOP_E8;
        stop.workingType = WorkingType.MARK_PRICE;
        order(bid, "mm", Side.BUY, OrderType.LIMIT, BID_E8, Math.max(1, fired));
        order(ask, "mm", Side.SELL, OrderType.LIMIT, ASK_E8, Math.max(1, fired));
        order(buyBack, "s", Side.BUY, OrderType.MARKET, 0, Math.max(1, fired));
        restore();
        engine.apply(down);
        check(down, fired);
        restore();
        System.out.printf("%n[stop tick] %,d stops waiting, %,d fired per tick, %,d orders open%n", waiting, fired,
            engine.openOrderCount());
    }

    /** The market, accounts and waiting stops; the mark at 100,000. */
    static Engine build(int waiting, int fired, Command c) {
        final Engine engine = new Engine(waiting + 4 * fired + 1024, WAITERS + 16);
        c.clear();
        c.type = CommandType.MARKET;
        c.symbol.set("BTCUSDT");
        c.param(MarketParam.TICK, TICK_E8).param(MarketParam.STEP, STEP_E8).param(MarketParam.MAKER_FEE, 0)
            .param(MarketParam.TAKER_FEE, 0).param(MarketParam.PRICE_BAND, 0)
            .param(MarketParam.MARKET_BAND, 10_000_000L).param(MarketParam.MAX_OPEN_ORDERS, 1_000_000);
        applyChecked(engine, c);
        mark(c, HIGH_E8);
        applyChecked(engine, c);
        deposit(engine, c, "mm", 1_000_000_000L);
        deposit(engine, c, "s", 1_000_000_000L);
        for (int i = 0; i < WAITERS; i++) {
            deposit(engine, c, "w" + i, 1_000);
        }
        for (int i = 0; i < waiting; i++) {
            final boolean sell = (i & 1) == 0;
            order(c, "w" + (i % WAITERS), sell ? Side.SELL : Side.BUY, OrderType.STOP_MARKET, 0, 1);
            final long offsetTicks = (i * 7919L) % 400_000; // spread over 40,000 of price
            c.stopPriceE8 = (sell ? 50_000 : 110_000) * Fixed.E8 + offsetTicks * TICK_E8;
            c.workingType = (i & 2) == 0 ? WorkingType.MARK_PRICE : WorkingType.CONTRACT_PRICE;
            applyChecked(engine, c);
        }
        return engine;
    }

    /** Back to the state before a tick: mark up, the fired stops placed again, the bid replenished, positions flat. */
    void restore() {
        engine.apply(up);
        if (fired == 0) {
            return;
        }
        engine.apply(ask);
        engine.apply(buyBack);
        engine.apply(bid);
        for (int i = 0; i < fired; i++) {
            engine.apply(stop);
        }
    }

    @Setup(Level.Invocation)
    public void beforeTick() {
        restore();
    }

    /** One mark tick from 100,000 to 99,000 that fires {@code fired} stops. */
    @Benchmark
    public int tick() {
        engine.apply(down);
        return down.events().count();
    }

    /** The tick command (its events are those of the last tick). */
    Command lastTick() {
        return down;
    }

    /** The tick fired and traded what it should (called in setup, never in the measured loop). */
    static void check(Command c, int fired) {
        final int triggered = EngineFixture.count(c, EventType.TRADE);
        if (triggered != fired || EngineFixture.count(c, EventType.REJECT) != 0) {
            throw new IllegalStateException("the tick traded " + triggered + " times, not " + fired);
        }
    }

    static void mark(Command c, long priceE8) {
        c.clear();
        c.type = CommandType.MARK_PRICE;
        c.symbol.set("BTCUSDT");
        c.priceE8 = priceE8;
    }

    static void order(Command c, String account, Side side, OrderType type, long priceE8, long lots) {
        c.clear();
        c.type = CommandType.PLACE_ORDER;
        c.account.set(account);
        c.symbol.set("BTCUSDT");
        c.side = side;
        c.orderType = type;
        c.timeInForce = type == OrderType.LIMIT ? TimeInForce.GTC : null;
        c.priceE8 = type == OrderType.LIMIT ? priceE8 : Command.ABSENT;
        c.qtyE8 = lots * STEP_E8;
    }

    static void deposit(Engine engine, Command c, String name, long usdt) {
        c.clear();
        c.type = CommandType.DEPOSIT;
        c.account.set(name);
        c.amountE8 = usdt * Fixed.E8;
        applyChecked(engine, c);
    }

    static void applyChecked(Engine engine, Command c) {
        engine.apply(c);
        if (EngineFixture.count(c, EventType.REJECT) != 0) {
            throw new IllegalStateException("setup command refused: " + c.type);
        }
    }
}
