package org.perpcore.perf.jmh;

import org.agrona.DirectBuffer;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.event.EventType;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.num.Fixed;

/**
 * The market every matching benchmark trades, and the commands that drive it. Setup code only: the factories
 * allocate, the benchmark loops never call them.
 *
 * <p>The market is shaped like Binance USDⓈ-M BTCUSDT: tick 0.1, step 0.001, best bid 60,000.0 and best ask
 * 60,000.1, with the engine's default fees, bands, self-trade prevention and 200 open orders per account.
 */
final class EngineFixture {
    static final String SYMBOL = "BTCUSDT";
    static final long TICK_E8 = 10_000_000L;
    static final long STEP_E8 = 100_000L;
    static final long BEST_BID_TICKS = 600_000L;
    static final long BEST_ASK_TICKS = BEST_BID_TICKS + 1;
    /** 2025-10-10T00:00:00Z. Engine time only stamps orders here; nothing in these benchmarks is time driven. */
    static final long START_MS = 1_760_054_400_000L;
    private static final long DEPOSIT_E8 = 1_000_000L * Fixed.E8;

    private final Engine engine;
    private long nextSeq = 1;

    /** A fresh engine sized so that no order, level or client-id structure grows while a benchmark runs. */
    EngineFixture(int accountsExpected) {
        engine = new Engine(1 << 14, accountsExpected);
        final Command market = new Command();
        market.type = CommandType.MARKET;
        market.symbol.set(SYMBOL);
        market.param(MarketParam.TICK, TICK_E8).param(MarketParam.STEP, STEP_E8);
        applyChecked(market);
    }

    Engine engine() {
        return engine;
    }

    /**
     * Creates the account with a deposit and leverage (125x) large enough that margin never refuses one of its
     * orders, however far the benchmark's fills move its position over millions of commands.
     */
    void openAccount(String name) {
        openAccount(name, DEPOSIT_E8);
    }

    /** As {@link #openAccount(String)}, with a given deposit (market makers carry the flow's net position). */
    void openAccount(String name, long depositE8) {
        final Command c = new Command();
        c.type = CommandType.DEPOSIT;
        c.account.set(name);
        c.amountE8 = depositE8;
        applyChecked(c);
        final Command leverage = new Command();
        leverage.type = CommandType.LEVERAGE;
        leverage.account.set(name);
        leverage.symbol.set(SYMBOL);
        leverage.leverage = 125;
        applyChecked(leverage);
    }

    /** Applies a setup command and fails when the engine rejected it. */
    void applyChecked(Command c) {
        c.seq = nextSeq++;
        c.timestampMs = START_MS;
        engine.apply(c);
        if (rejects(c) > 0) {
            throw new IllegalStateException("setup command rejected: " + c.type + " " + c.account + " " + c.clientId);
        }
    }

    static Command limit(String account, String clientId, Side side, long priceTicks, long lots, TimeInForce tif) {
        final Command c = order(account, clientId, side, OrderType.LIMIT, lots);
        c.timeInForce = tif;
        c.priceE8 = priceTicks * TICK_E8;
        return c;
    }

    static Command market(String account, String clientId, Side side, long lots) {
        return order(account, clientId, side, OrderType.MARKET, lots);
    }

    static Command cancel(String account, String clientId) {
        final Command c = new Command();
        c.type = CommandType.CANCEL_ORDER;
        c.account.set(account);
        c.symbol.set(SYMBOL);
        c.clientId.set(clientId);
        return c;
    }

    private static Command order(String account, String clientId, Side side, OrderType type, long lots) {
        final Command c = new Command();
        c.type = CommandType.PLACE_ORDER;
        c.account.set(account);
        c.symbol.set(SYMBOL);
        c.clientId.set(clientId);
        c.side = side;
        c.orderType = type;
        c.qtyE8 = lots * STEP_E8;
        return c;
    }

    /** Stamps a benchmark stream with sequence numbers and a slowly advancing time, as ingress would. */
    static void stamp(Command[] stream) {
        for (int i = 0; i < stream.length; i++) {
            stream[i].seq = i + 1;
            stream[i].timestampMs = START_MS + i / 1_000;
        }
    }

    /** Number of REJECT events in the command's output. */
    static int rejects(Command c) {
        return count(c, EventType.REJECT);
    }

    /** Number of events of this type in the command's output. Walks the event headers only. */
    static int count(Command c, EventType type) {
        final EventBuffer events = c.events();
        final DirectBuffer buffer = events.buffer();
        int n = 0;
        int offset = 0;
        for (int i = 0; i < events.count(); i++) {
            if (buffer.getByte(offset + 4) == type.code()) {
                n++;
            }
            offset += buffer.getInt(offset);
        }
        return n;
    }

    /**
     * Fails when any command of the stream holds a REJECT event from its latest application: the check that the
     * state stayed steady (every cancel found its order, no place collided with a live client id).
     */
    static void checkNoRejects(Command[] stream, String benchmark) {
        for (Command c : stream) {
            if (rejects(c) > 0) {
                throw new IllegalStateException(benchmark + ": command seq " + c.seq + " (" + c.type + " "
                    + c.account + " " + c.clientId + ") was rejected: the state is not steady");
            }
        }
    }
}
