package org.perpcore.perf.bench;

import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.TimeInForce;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.sim.SplitMix64;
import org.perpcore.perf.BenchCommands;

/**
 * What {@code bin/perpcore bench} sends: a seeded population set up through the pipeline, then a steady background
 * order flow with mark-price (index) ticks among it.
 *
 * <p>One BTCUSDT-like market (tick 0.1, step 0.001, Binance's ten margin tiers, default fees), index 100,000, price
 * band off (the mark walks 10 % while the flow keeps trading at its own prices), an insurance fund of 1,000,000
 * USDT that takes over at most 20,000 USDT of net position. The population:
 * <ul>
 *   <li><b>holders</b>: pairs that traded with each other at 100,000, leverage 2 to 4 (liquidation prices 25 % away
 *       or more): they sit in the trigger structures and are the ranked opposite side of auto-deleveraging;</li>
 *   <li><b>victims</b> ({@code --liquidate-share} of the accounts): 100x cross longs of 0.01 BTC bought at 100,000
 *       from {@code mm}, each holding the wallet that puts its liquidation price at a seeded uniform draw in
 *       [90,300, 99,350];</li>
 *   <li>{@code lp}: a ladder of bids every 100 USDT from 99,900 to 90,000 holding 30 % of what the victims hold: the
 *       first liquidations close in the book (the surplus over the bankruptcy price goes to the fund), later ones
 *       find no bid above their bankruptcy price, the fund takes them over up to its cap, then the rest is
 *       auto-deleveraged against the shorts;</li>
 *   <li><b>flow</b>: {@value #FLOW_PAIRS} pairs of well-funded accounts that send the background orders;</li>
 *   <li><b>depth</b> ({@code --resting N}): N resting orders of accounts {@code d0, d1...} (1,000 each), asks from
 *       110,000 up and bids from 80,000 down, which nothing reaches: they only make the book deep.</li>
 * </ul>
 *
 * <p>The background flow is a cycle of 8 commands per flow pair: a GTC sell at 100,200 (it rests), an IOC buy
 * that takes it (a trade), a passive GTC sell far from the touch with a client id, its cancel; then the same with
 * the roles swapped, so every flow position is flat again after each cycle and the book does not grow. Mark ticks:
 * during the warm-up the index alternates 100,000 and 99,600 (nobody's trigger is crossed); during the measurement
 * it walks down from 99,400 to 90,000 in equal steps, one per tick, crossing the victims' liquidation prices as it
 * goes. Command time stands still (every command carries the same timestamp), so nothing time-driven (funding, the
 * mark's moving average, ADL quantile refreshes, liquidation slices) runs: the figures are those of the commands.
 */
final class BenchWorkload {
    static final String SYMBOL = "BTCUSDT";
    static final long START_MS = 1_760_104_800_000L;
    static final long STEP_E8 = 100_000L;
    static final long TICK_E8 = 10_000_000L;
    static final int FLOW_PAIRS = 32;
    static final int FLOW_CYCLE = 8;
    static final long VICTIM_LOTS = 10;
    static final int DEPTH_PER_ACCOUNT = 1_000;
    static final long INDEX_E8 = 100_000 * Fixed.E8;
    static final long WARM_LOW_E8 = 99_600 * Fixed.E8;
    static final long WALK_FROM_E8 = 99_400 * Fixed.E8;
    static final long WALK_TO_E8 = 90_000 * Fixed.E8;
    static final long LIQ_LOW_E8 = 90_300 * Fixed.E8;
    static final long LIQ_HIGH_E8 = 99_350 * Fixed.E8;
    static final long INSURANCE_E8 = 1_000_000 * Fixed.E8;
    static final long INSURANCE_CAP_E8 = 20_000 * Fixed.E8;
    static final int LADDER_LEVELS = 100;

    private static final long[] FLOORS = {0, 50_000, 250_000, 1_000_000, 10_000_000, 20_000_000, 50_000_000,
        100_000_000, 200_000_000, 300_000_000};
    private static final long[] MMR = {400_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 12_500_000,
        15_000_000, 25_000_000, 50_000_000};
    private static final int[] MAX_LEVERAGE = {125, 100, 50, 20, 10, 5, 4, 3, 2, 1};

    final int accounts;
    final int victims;
    final int holderPairs;
    final int resting;
    final int depthAccounts;
    private final long[] victimDepositE8;
    private final long ladderLots;
    private final Command[] flow = new Command[FLOW_PAIRS * FLOW_CYCLE];

    // setup cursor: phase and position within it
    private int phase;
    private long index;

    BenchWorkload(int accounts, double liquidateShare, int resting, long seed) {
        this.resting = resting;
        this.depthAccounts = (resting + DEPTH_PER_ACCOUNT - 1) / DEPTH_PER_ACCOUNT;
        final int fixed = 2 + 2 * FLOW_PAIRS;
        if (accounts < fixed + 4) {
            throw new IllegalArgumentException("--accounts: at least " + (fixed + 4) + " (the flow accounts, mm, lp and"
                + " a few victims and holders)");
        }
        this.accounts = accounts;
        this.victims = Math.max(1, (int) Math.round(accounts * liquidateShare));
        this.holderPairs = Math.max(0, (accounts - fixed - victims - depthAccounts) / 2);
        final SplitMix64 random = new SplitMix64(seed);
        victimDepositE8 = new long[victims];
        for (int v = 0; v < victims; v++) {
            // a 0.01 BTC long from 100,000 (notional 1,000) with wallet W is liquidated at the mark P where
            // W + 0.01 (P - 100,000) = 0.4 % x 0.01 P, i.e. W = 1,000 - 0.00996 P; plus the 0.5 USDT taker fee
            final long liqE8 = LIQ_LOW_E8 + random.nextLong(LIQ_HIGH_E8 - LIQ_LOW_E8);
            final long walletE8 = 1_000 * Fixed.E8 - liqE8 / 100_000 * 996;
            victimDepositE8[v] = (walletE8 + Fixed.E8 / 2) / 1_000_000 * 1_000_000;
        }
        ladderLots = Math.max(1, victims * VICTIM_LOTS * 3 / 10 / LADDER_LEVELS);
        for (int j = 0; j < FLOW_PAIRS; j++) {
            final long tradeE8 = (100_200 * Fixed.E8) + (j % 8) * TICK_E8;
            final long passiveE8 = (101_000 * Fixed.E8) + j * TICK_E8;
            for (int half = 0; half < 2; half++) {
                final String seller = (half == 0 ? "fa" : "fb") + j;
                final String buyer = (half == 0 ? "fb" : "fa") + j;
                final String id = "p" + j + (half == 0 ? "a" : "b");
                final int k = j * FLOW_CYCLE + half * 4;
                limit(flow[k] = new Command(), seller, Side.SELL, tradeE8, 1, TimeInForce.GTC, null);
                limit(flow[k + 1] = new Command(), buyer, Side.BUY, tradeE8, 1, TimeInForce.IOC, null);
                limit(flow[k + 2] = new Command(), seller, Side.SELL, passiveE8, 1, TimeInForce.GTC, id);
                cancel(flow[k + 3] = new Command(), seller, id);
            }
        }
    }

    /** Background command {@code n} (0, 1, ...): a template the caller stamps and publishes, never changes. */
    Command flow(long n) {
        return flow[(int) (n % flow.length)];
    }

    /** Index of warm-up tick {@code k}: alternating, crossing nobody. */
    static long warmTickE8(long k) {
        return (k & 1) == 0 ? WARM_LOW_E8 : INDEX_E8;
    }

    /** Index of measured tick {@code k} of {@code ticks}: a walk down from 99,400 to 90,000, on the tick. */
    static long walkTickE8(long k, long ticks) {
        final long span = WALK_FROM_E8 - WALK_TO_E8;
        final long e8 = WALK_FROM_E8 - span * (k + 1) / Math.max(1, ticks);
        return e8 / TICK_E8 * TICK_E8;
    }

    static void index(Command c, long priceE8) {
        BenchCommands.index(c, SYMBOL, priceE8);
    }

    /** Setup commands, one at a time into {@code c}; false after the last. Restartable by a new workload only. */
    boolean nextSetup(Command c) {
        while (true) {
            final long i = index++;
            switch (phase) {
                case 0 -> {
                    c.clear();
                    c.type = CommandType.MARKET;
                    c.symbol.set(SYMBOL);
                    c.param(MarketParam.TICK, TICK_E8).param(MarketParam.STEP, STEP_E8)
                        .param(MarketParam.PRICE_BAND, 0)
                        .param(MarketParam.INSURANCE_CAP, INSURANCE_CAP_E8)
                        .param(MarketParam.MAX_OPEN_ORDERS, 2 * DEPTH_PER_ACCOUNT);
                    next();
                    return true;
                }
                case 1 -> {
                    if (i < FLOORS.length) {
                        c.clear();
                        c.type = CommandType.BRACKET;
                        c.symbol.set(SYMBOL);
                        c.floorE8 = FLOORS[(int) i] * Fixed.E8;
                        c.mmrE8 = MMR[(int) i];
                        c.leverage = MAX_LEVERAGE[(int) i];
                        return true;
                    }
                }
                case 2 -> {
                    if (i == 0) {
                        c.clear();
                        c.type = CommandType.INSURANCE;
                        c.symbol.set(SYMBOL);
                        c.amountE8 = INSURANCE_E8;
                        return true;
                    }
                    if (i == 1) {
                        index(c, INDEX_E8);
                        return true;
                    }
                }
                case 3 -> { // holders: pairs trading at the index, leverage 2-4
                    if (i < 6L * holderPairs) {
                        final long pair = i / 6;
                        final String lng = "h" + (2 * pair);
                        final String sht = "h" + (2 * pair + 1);
                        final int leverage = 2 + (int) (pair % 3);
                        final long lots = 10 + pair % 50;
                        switch ((int) (i % 6)) {
                            case 0 -> deposit(c, lng, 10_000 * Fixed.E8);
                            case 1 -> deposit(c, sht, 10_000 * Fixed.E8);
                            case 2 -> leverage(c, lng, leverage);
                            case 3 -> leverage(c, sht, leverage);
                            case 4 -> limit(c, sht, Side.SELL, INDEX_E8, lots, TimeInForce.GTC, null);
                            default -> limit(c, lng, Side.BUY, INDEX_E8, lots, TimeInForce.IOC, null);
                        }
                        return true;
                    }
                }
                case 4 -> { // the victims' counterparty
                    switch ((int) i) {
                        case 0 -> deposit(c, "mm", 1_000_000_000 * Fixed.E8);
                        case 1 -> leverage(c, "mm", 10);
                        case 2 -> limit(c, "mm", Side.SELL, INDEX_E8, victims * VICTIM_LOTS, TimeInForce.GTC, null);
                        default -> {
                            next();
                            continue;
                        }
                    }
                    return true;
                }
                case 5 -> { // victims
                    if (i < 3L * victims) {
                        final int v = (int) (i / 3);
                        final String name = "v" + v;
                        switch ((int) (i % 3)) {
                            case 0 -> deposit(c, name, victimDepositE8[v]);
                            case 1 -> leverage(c, name, 100);
                            default -> limit(c, name, Side.BUY, INDEX_E8, VICTIM_LOTS, TimeInForce.IOC, null);
                        }
                        return true;
                    }
                }
                case 6 -> { // the ladder of bids
                    if (i == 0) {
                        deposit(c, "lp", 1_000_000_000 * Fixed.E8);
                        return true;
                    }
                    if (i == 1) {
                        leverage(c, "lp", 10);
                        return true;
                    }
                    if (i < 2 + LADDER_LEVELS) {
                        final long priceE8 = (99_900 - 100 * (i - 2)) * Fixed.E8;
                        limit(c, "lp", Side.BUY, priceE8, ladderLots, TimeInForce.GTC, null);
                        return true;
                    }
                }
                case 7 -> { // flow accounts
                    if (i < 4L * FLOW_PAIRS) {
                        final int j = (int) (i / 4);
                        final String name = ((i & 1) == 0 ? "fa" : "fb") + j;
                        if (i % 4 < 2) {
                            deposit(c, name, 1_000_000 * Fixed.E8);
                        } else {
                            leverage(c, name, 10);
                        }
                        return true;
                    }
                }
                case 8 -> { // depth: per account a deposit, its leverage, then its orders
                    final long per = DEPTH_PER_ACCOUNT + 2;
                    if (i < per * depthAccounts) {
                        final long a = i / per;
                        final long k = i % per;
                        final String name = "d" + a;
                        final long n = a * DEPTH_PER_ACCOUNT + (k - 2);
                        if (k == 0) {
                            deposit(c, name, 1_000_000 * Fixed.E8);
                            return true;
                        }
                        if (k == 1) {
                            leverage(c, name, 10);
                            return true;
                        }
                        if (n < resting) {
                            final long level = (n / 2) % 20_000;
                            if ((n & 1) == 0) {
                                limit(c, name, Side.SELL, 110_000 * Fixed.E8 + level * TICK_E8, 1, TimeInForce.GTC,
                                    null);
                            } else {
                                limit(c, name, Side.BUY, 80_000 * Fixed.E8 - level * TICK_E8, 1, TimeInForce.GTC, null);
                            }
                            return true;
                        }
                        continue;
                    }
                }
                default -> {
                    return false;
                }
            }
            next();
        }
    }

    private void next() {
        phase++;
        index = 0;
    }

    private static void deposit(Command c, String account, long amountE8) {
        BenchCommands.deposit(c, account, amountE8);
    }

    private static void leverage(Command c, String account, int leverage) {
        BenchCommands.leverage(c, account, SYMBOL, leverage);
    }

    private static void limit(Command c, String account, Side side, long priceE8, long lots, TimeInForce tif,
                              String clientId) {
        c.clear();
        c.type = CommandType.PLACE_ORDER;
        c.account.set(account);
        c.symbol.set(SYMBOL);
        c.side = side;
        c.orderType = OrderType.LIMIT;
        c.timeInForce = tif;
        c.priceE8 = priceE8;
        c.qtyE8 = lots * STEP_E8;
        if (clientId != null) {
            c.clientId.set(clientId);
        }
    }

    private static void cancel(Command c, String account, String clientId) {
        c.clear();
        c.type = CommandType.CANCEL_ORDER;
        c.account.set(account);
        c.symbol.set(SYMBOL);
        c.clientId.set(clientId);
    }
}
