package org.perpcore.perf.liquidation;

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
import org.perpcore.perf.BenchCommands;

/**
 * A market where one index tick liquidates {@code victims} accounts at once, among {@code holders} accounts that
 * hold positions far from liquidation, and the unmeasured commands that put it back as it was. Setup code: the
 * constructor allocates; {@link #restore} and {@link #down} reuse preallocated commands.
 *
 * <p>BTCUSDT-like (tick 0.1, step 0.001, Binance's margin tiers and default fees), index 100,000.
 * <ul>
 *   <li>holders: pairs that traded with each other at the index, leverage 2 to 10 (liquidation prices at least
 *       9 % away), so the tick crosses none of them, but each sits in the market's trigger heaps and ADL ranks;</li>
 *   <li>victims: 100x cross longs of 0.01 BTC opened at 100,000 with 10.50 USDT (10.00 after the taker fee):
 *       liquidation price about 99,397.6, bankruptcy price 99,000;</li>
 *   <li>a maker {@code mm} whose one bid at 99,200.0 holds exactly what the victims hold, and an insurance fund.</li>
 * </ul>
 * The measured command is {@link #down}: the index to 99,300.0. The mark follows the index (command time never
 * moves, so the mark's moving average never samples and funding never falls due), crosses every victim's trigger,
 * and the liquidation stage closes each one in the book at 99,200 (above its bankruptcy price: the surplus goes to
 * the fund). {@link #restore} then moves the index back, re-funds the victims, re-opens their positions against the
 * maker and re-places the maker's bid: the same state again, but for the fund's balance, the fees collected and the
 * id counters.
 */
public final class LiquidationFixture {
    static final String SYMBOL = "BTCUSDT";
    static final long TICK_E8 = 10_000_000L;
    static final long STEP_E8 = 100_000L;
    static final long START_MS = 1_760_104_800_000L;
    static final long INDEX_E8 = 100_000 * Fixed.E8;
    static final long DOWN_E8 = 99_300 * Fixed.E8;
    static final long BID_E8 = 99_200 * Fixed.E8;
    static final long VICTIM_LOTS = 10;
    static final long VICTIM_DEPOSIT_E8 = 1_050_000_000L; // 10.50

    private final Engine engine;
    private final int victims;
    private final Command down = new Command();
    private final Command[] restore;
    private final Command scratch = new Command();
    private long seq;
    private long nowMs = START_MS;

    public LiquidationFixture(int holders, int victims) {
        this(holders, victims, 0);
    }

    /**
     * As above; the maker also holds a long of {@code makerInventoryLots} (bought from an account {@code inv}), so
     * the tick's POSITION event for the maker is for an open position, whose ADL quantile the engine looks up (and
     * recomputes for the whole side when {@code adlRefresh} has passed).
     */
    public LiquidationFixture(int holders, int victims, long makerInventoryLots) {
        this.victims = victims;
        engine = new Engine(1 << 12, holders + victims + 64);
        final Command c = scratch;
        c.clear();
        c.type = CommandType.MARKET;
        c.symbol.set(SYMBOL);
        c.param(MarketParam.TICK, TICK_E8).param(MarketParam.STEP, STEP_E8);
        apply(c);
        final long[] floors = {0, 50_000, 250_000, 1_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000,
            200_000_000, 300_000_000};
        final long[] mmr = {400_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 12_500_000, 15_000_000,
            25_000_000, 50_000_000};
        final int[] maxLeverage = {125, 100, 50, 20, 10, 5, 4, 3, 2, 1};
        for (int t = 0; t < floors.length; t++) {
            c.clear();
            c.type = CommandType.BRACKET;
            c.symbol.set(SYMBOL);
            c.floorE8 = floors[t] * Fixed.E8;
            c.mmrE8 = mmr[t];
            c.leverage = maxLeverage[t];
            apply(c);
        }
        c.clear();
        c.type = CommandType.INSURANCE;
        c.symbol.set(SYMBOL);
        c.amountE8 = 1_000_000 * Fixed.E8;
        apply(c);
        index(c, INDEX_E8);
        apply(c);
        for (int i = 0; i + 1 < holders; i += 2) {
            final String longName = "h" + i;
            final String shortName = "h" + (i + 1);
            final int leverage = 2 + (i / 2) % 9;
            deposit(c, longName, 10_000 * Fixed.E8);
            apply(c);
            deposit(c, shortName, 10_000 * Fixed.E8);
            apply(c);
            leverage(c, longName, leverage);
            apply(c);
            leverage(c, shortName, leverage);
            apply(c);
            limit(c, shortName, Side.SELL, INDEX_E8, 10 + i % 50, TimeInForce.GTC);
            apply(c);
            limit(c, longName, Side.BUY, INDEX_E8, 10 + i % 50, TimeInForce.GTC);
            apply(c);
        }
        deposit(c, "mm", 1_000_000_000 * Fixed.E8);
        apply(c);
        leverage(c, "mm", 10);
        apply(c);
        if (makerInventoryLots > 0) {
            deposit(c, "inv", 1_000_000 * Fixed.E8);
            apply(c);
            limit(c, "inv", Side.SELL, INDEX_E8, makerInventoryLots, TimeInForce.GTC);
            apply(c);
            limit(c, "mm", Side.BUY, INDEX_E8, makerInventoryLots, TimeInForce.IOC);
            apply(c);
        }
        for (int v = 0; v < victims; v++) {
            deposit(c, victim(v), VICTIM_DEPOSIT_E8);
            apply(c);
            leverage(c, victim(v), 100);
            apply(c);
        }

        // the restore sequence, also the first opening of the victims' positions
        restore = new Command[2 * victims + 3];
        int k = 0;
        index(restore[k++] = new Command(), INDEX_E8);
        limit(restore[k++] = new Command(), "mm", Side.SELL, INDEX_E8, victims * VICTIM_LOTS, TimeInForce.GTC);
        for (int v = 0; v < victims; v++) {
            deposit(restore[k++] = new Command(), victim(v), VICTIM_DEPOSIT_E8);
            limit(restore[k++] = new Command(), victim(v), Side.BUY, INDEX_E8, VICTIM_LOTS, TimeInForce.IOC);
        }
        limit(restore[k++] = new Command(), "mm", Side.BUY, BID_E8, victims * VICTIM_LOTS, TimeInForce.GTC);
        index(down, DOWN_E8);
        for (Command r : restore) {
            if (r.type != CommandType.DEPOSIT) { // the victims are funded already
                apply(r);
            }
        }
        System.out.printf("%n[liquidation fixture] %,d accounts (%,d holders in pairs, %,d victims, mm), %,d resting"
            + " orders%n", engine.accountCount(), holders, victims, engine.openOrderCount());
    }

    public Engine engine() {
        return engine;
    }

    public int victims() {
        return victims;
    }

    /** The measured command: stamp it with {@link #stamp} and apply it. */
    public Command down() {
        return down;
    }

    /** Gives the command the next sequence number and the fixture's time (fixed unless {@link #advance}d). */
    public Command stamp(Command c) {
        c.seq = ++seq;
        c.timestampMs = nowMs;
        return c;
    }

    /**
     * Moves the fixture's time forward: time-driven work (the mark's moving-average samples, funding samples, the
     * ADL quantiles' refresh every {@code adlRefresh}) then falls due in the next command.
     */
    public void advance(long ms) {
        nowMs += ms;
    }

    /**
     * Checks that the last {@link #down} liquidated every victim (and nothing was rejected), then puts the market
     * back: index up, victims re-funded and re-opened, the maker's bid re-placed. Allocation-free.
     */
    public void restore() {
        final int liquidations = count(down, EventType.LIQUIDATION);
        if (liquidations != victims || count(down, EventType.REJECT) != 0) {
            throw new IllegalStateException("the tick liquidated " + liquidations + " of " + victims + " victims");
        }
        for (Command r : restore) {
            apply(r);
        }
    }

    private void apply(Command c) {
        stamp(c);
        engine.apply(c);
        if (count(c, EventType.REJECT) != 0) {
            throw new IllegalStateException("setup command rejected: " + c.type + " " + c.account);
        }
    }

    private static String victim(int v) {
        return "v" + v;
    }

    private static void index(Command c, long priceE8) {
        BenchCommands.index(c, SYMBOL, priceE8);
    }

    private static void deposit(Command c, String account, long amountE8) {
        BenchCommands.deposit(c, account, amountE8);
    }

    private static void leverage(Command c, String account, int leverage) {
        BenchCommands.leverage(c, account, SYMBOL, leverage);
    }

    private static void limit(Command c, String account, Side side, long priceE8, long lots, TimeInForce tif) {
        c.clear();
        c.type = CommandType.PLACE_ORDER;
        c.account.set(account);
        c.symbol.set(SYMBOL);
        c.side = side;
        c.orderType = OrderType.LIMIT;
        c.timeInForce = tif;
        c.priceE8 = priceE8;
        c.qtyE8 = lots * STEP_E8;
    }

    /** Events of this type in the command's output (walks the headers only; no allocation). */
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
}
