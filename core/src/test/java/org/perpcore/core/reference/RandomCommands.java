package org.perpcore.core.reference;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.StpMode;
import org.perpcore.core.model.TimeInForce;

/**
 * A seeded generator of realistic order-entry command streams, for differential and property tests of the
 * engine. It first defines its markets and funds its accounts, then mixes passive limit orders clustered around
 * a drifting mid price, aggressive limits (GTC, IOC, FOK, GTX), market orders, cancels by client order id and by
 * order id (of live, dead and unknown orders), cancel-alls, amends (quantity down and up, price moves, crossing
 * prices, quantities at or below the executed quantity), explicit self-trade prevention modes, reduce-only flags,
 * deposits, withdrawals, queries, time ticks, market updates, and a small share of invalid input of every kind
 * the engine checks (bad tick or step, out-of-range and overflowing quantities, unknown names, duplicated or
 * malformed client ids, missing fields, out-of-band prices...).
 *
 * <p>Like a real client it learns from the engine's answers: feed each command's events back through
 * {@link #observe} so it knows order ids, which orders are still open and the last trade prices. The stream is a
 * pure function of the seed, the configuration and the events fed back, so one seed always gives one stream.
 *
 * <p>Markets (the first {@code marketCount} of these):
 * <ol>
 *   <li>{@code BTCUSDT}: tick 0.1, step 0.001, default fees (0.02 % / 0.05 %), 1 % market protection band,
 *       25 open orders per account, default STP EXPIRE_MAKER; mid 100,000.</li>
 *   <li>{@code ETHUSDT}: tick 0.05, step 0.01, min quantity 0.02, max quantity 100,000,000 (so near-maximum
 *       orders overflow the money range), min notional 100, maker rebate -0.01 %, taker 0.04 %, 3 % price band,
 *       0.5 % market band, 12 open orders, default STP EXPIRE_TAKER; mid 3,000.</li>
 *   <li>{@code QUIETUSDT}: tick 0.0001, step 1, no price band, 8 open orders, lightly traded (so its book is
 *       often thin or empty on one side); mid 0.25.</li>
 * </ol>
 */
public final class RandomCommands {
    private static final long E8 = 100_000_000L;
    private static final long START_MS = 1_760_000_000_000L;
    private static final int DEAD_ORDERS_KEPT = 2048;

    private final Random random;
    private final List<MarketModel> models = new ArrayList<>();
    private final int accountCount;
    private final int activeTraders;
    private final long[] nextClientIdNumber;

    private long seq;
    private long clockMs = START_MS;
    private int setupIssued;
    private int lateAccounts;
    private int whaleDeposits;

    private final EventView view = new EventView();
    private final List<String> accountNames = new ArrayList<>();
    private final Map<Integer, MarketModel> modelsById = new HashMap<>();
    private final List<LiveOrder> live = new ArrayList<>();
    private final Map<Long, LiveOrder> liveById = new HashMap<>();
    private final LiveOrder[] dead = new LiveOrder[DEAD_ORDERS_KEPT];
    private long deadCount;

    /**
     * @param seed         the stream's seed
     * @param marketCount  1 to 3 markets (see the class comment)
     * @param accountCount funded accounts that trade
     */
    public RandomCommands(long seed, int marketCount, int accountCount) {
        if (marketCount < 1 || marketCount > 3 || accountCount < 2) {
            throw new IllegalArgumentException("1..3 markets and at least 2 accounts");
        }
        this.random = new Random(seed);
        this.accountCount = accountCount;
        this.activeTraders = Math.max(3, accountCount / 10);
        this.nextClientIdNumber = new long[accountCount];
        models.add(new MarketModel("BTCUSDT", 10_000_000L, 100_000L, 1, 1_000_000L, 3, 100)
            .param(MarketParam.MARKET_BAND, 1_000_000L)
            .param(MarketParam.MAX_OPEN_ORDERS, 25));
        if (marketCount >= 2) {
            models.add(new MarketModel("ETHUSDT", 5_000_000L, 1_000_000L, 2, 60_000L, 2, 100)
                .param(MarketParam.MIN_QTY, 2_000_000L)
                .param(MarketParam.MAX_QTY, 100_000_000 * E8)
                .param(MarketParam.MIN_NOTIONAL, 100 * E8)
                .param(MarketParam.MAKER_FEE, -10_000L)
                .param(MarketParam.TAKER_FEE, 40_000L)
                .param(MarketParam.PRICE_BAND, 3_000_000L)
                .param(MarketParam.MARKET_BAND, 500_000L)
                .param(MarketParam.MAX_OPEN_ORDERS, 12)
                .param(MarketParam.STP, StpMode.EXPIRE_TAKER.code()));
        }
        if (marketCount >= 3) {
            models.add(new MarketModel("QUIETUSDT", 10_000L, E8, 1, 2_500L, 1, 2_000)
                .param(MarketParam.PRICE_BAND, 0L)
                .param(MarketParam.MAX_OPEN_ORDERS, 8));
        }
    }

    /** Name of a funded account ({@code 0 <= index < accountCount}). */
    public static String accountName(int index) {
        return (index < 10 ? "u00" : index < 100 ? "u0" : "u") + index;
    }

    /** Fills {@code c} (cleared first) with the next command, with the next sequence number and a timestamp. */
    public void next(Command c) {
        c.clear();
        c.seq = ++seq;
        clockMs += random.nextInt(4);
        c.timestampMs = random.nextInt(400) == 0 ? clockMs - 1 - random.nextInt(2000) : clockMs;
        if (setupIssued < models.size() + accountCount) {
            setup(c, setupIssued++);
            return;
        }
        final MarketModel m = pickMarket();
        drift(m);
        final int r = random.nextInt(1000);
        final boolean crowded = live.size() > accountCount * 5;
        if (r < 330) {
            if (crowded && random.nextBoolean()) {
                cancelByClientId(c);
            } else {
                passiveLimit(c, m);
            }
        } else if (r < 450) {
            aggressiveLimit(c, m);
        } else if (r < 500) {
            marketOrder(c, m);
        } else if (r < 590) {
            cancelByClientId(c);
        } else if (r < 650) {
            cancelByOrderId(c);
        } else if (r < 665) {
            cancelAll(c, m);
        } else if (r < 800) {
            amend(c);
        } else if (r < 830) {
            invalidOrder(c, m);
        } else if (r < 836) {
            invalidOther(c, m);
        } else if (r < 845) {
            moneyOrQuery(c);
        } else if (r < 847) {
            c.type = CommandType.TICK;
        } else if (r < 848) {
            updateMarket(c, m);
        } else {
            passiveLimit(c, m);
        }
    }

    /** Learns from the events the engine produced for the last command: names, ids, open orders, trade prices. */
    public void observe(EventBuffer events) {
        int p = 0;
        while (p < events.length()) {
            final int n = view.decode(events.buffer(), p);
            if (n <= 0) {
                throw new IllegalStateException("undecodable event at byte " + p);
            }
            p += n;
            switch (view.type) {
                case ACCOUNT_CREATED -> {
                    while (accountNames.size() <= view.account) {
                        accountNames.add(null);
                    }
                    accountNames.set(view.account, view.name.toString());
                }
                case MARKET -> {
                    for (MarketModel m : models) {
                        if (m.symbol.equals(view.symbol.toString())) {
                            m.id = view.market;
                            m.tickE8 = view.marketParams[MarketParam.TICK.ordinal()];
                            m.stepE8 = view.marketParams[MarketParam.STEP.ordinal()];
                            modelsById.put(view.market, m);
                        }
                    }
                }
                case TRADE -> {
                    final MarketModel m = modelsById.get(view.market);
                    if (m != null) {
                        m.lastTradeTicks = view.priceE8 / m.tickE8;
                    }
                }
                case ORDER -> observeOrder();
                default -> {
                }
            }
        }
    }

    private void observeOrder() {
        final MarketModel m = modelsById.get(view.market);
        if (view.orderId == 0 || m == null) {
            return;
        }
        final boolean open = view.status == OrderStatus.NEW || view.status == OrderStatus.PARTIALLY_FILLED;
        LiveOrder o = liveById.get(view.orderId);
        if (open) {
            if (o == null) {
                o = new LiveOrder();
                o.orderId = view.orderId;
                o.accountId = view.account;
                o.model = m;
                o.clientId = view.clientId.toString();
                o.side = view.side;
                o.tif = view.timeInForce;
                o.index = live.size();
                live.add(o);
                liveById.put(o.orderId, o);
                m.liveCount++;
            }
            o.priceTicks = view.priceE8 / m.tickE8;
            o.origLots = view.origQtyE8 / m.stepE8;
            o.executedLots = view.executedQtyE8 / m.stepE8;
        } else if (o != null) {
            final LiveOrder last = live.remove(live.size() - 1);
            if (last != o) {
                live.set(o.index, last);
                last.index = o.index;
            }
            liveById.remove(o.orderId);
            m.liveCount--;
            dead[(int) (deadCount++ % DEAD_ORDERS_KEPT)] = o;
        }
    }

    // ------------------------------------------------------------------------------------------ setup

    private void setup(Command c, int step) {
        if (step < models.size()) {
            final MarketModel m = models.get(step);
            c.type = CommandType.MARKET;
            c.symbol.set(m.symbol);
            c.param(MarketParam.TICK, m.tickE8).param(MarketParam.STEP, m.stepE8);
            for (Map.Entry<MarketParam, Long> p : m.params.entrySet()) {
                c.param(p.getKey(), p.getValue());
            }
            return;
        }
        c.type = CommandType.DEPOSIT;
        c.account.set(accountName(step - models.size()));
        // 100 M USDT each (200 accounts stay under the engine's money cap): margin never limits this stream, whose
        // subject is matching
        c.amountE8 = (100_000_000L + random.nextInt(1_000_000)) * E8;
    }

    // ------------------------------------------------------------------------------------------ orders

    private void passiveLimit(Command c, MarketModel m) {
        final Side side = randomSide();
        final long offset = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(25);
        final long ticks = side == Side.BUY ? m.midTicks - offset : m.midTicks + offset;
        final TimeInForce tif = random.nextInt(100) < 15 ? TimeInForce.GTX
            : random.nextInt(3) == 0 ? null : TimeInForce.GTC;
        order(c, m, pickAccount(), side, OrderType.LIMIT, tif, ticks, lots(m));
    }

    private void aggressiveLimit(Command c, MarketModel m) {
        final Side side = randomSide();
        final long cross = random.nextInt(random.nextInt(6) == 0 ? 400 : 40);
        final long ticks = side == Side.BUY ? m.midTicks + cross : m.midTicks - cross;
        final int t = random.nextInt(100);
        final TimeInForce tif = t < 35 ? TimeInForce.GTC : t < 60 ? TimeInForce.IOC : t < 85 ? TimeInForce.FOK
            : TimeInForce.GTX;
        final long lots = random.nextInt(8) == 0 ? lots(m) * 5 : lots(m);
        order(c, m, pickAccount(), side, OrderType.LIMIT, tif, ticks, lots);
    }

    private void marketOrder(Command c, MarketModel m) {
        final long lots = random.nextInt(6) == 0 ? lots(m) * (5 + random.nextInt(20)) : lots(m);
        order(c, m, pickAccount(), randomSide(), OrderType.MARKET, null, 0, lots);
        if (random.nextInt(20) == 0) {
            c.timeInForce = TimeInForce.IOC;
        }
    }

    /** A well-formed order with the usual sprinkling of explicit STP modes, reduce-only flags and client ids. */
    private void order(Command c, MarketModel m, String account, Side side, OrderType type, TimeInForce tif,
                       long priceTicks, long lots) {
        c.type = CommandType.PLACE_ORDER;
        c.account.set(account);
        c.symbol.set(m.symbol);
        c.side = side;
        c.orderType = type;
        c.timeInForce = tif;
        if (type == OrderType.LIMIT) {
            c.priceE8 = Math.max(1, priceTicks) * m.tickE8;
        }
        c.qtyE8 = lots * m.stepE8;
        if (random.nextInt(100) < 15) {
            c.stpMode = StpMode.values()[random.nextInt(StpMode.values().length)];
        }
        c.reduceOnly = random.nextInt(100) < 5;
        final int id = random.nextInt(100);
        if (id < 3) {
            final LiveOrder other = randomLive();
            if (other != null && !other.clientId.isEmpty()) {
                c.account.set(accountNames.get(other.accountId));
                c.symbol.set(other.model.symbol);
                c.clientId.set(other.clientId);
                return;
            }
        } else if (id < 5) {
            final LiveOrder other = randomDead();
            if (other != null && !other.clientId.isEmpty()) {
                c.account.set(accountNames.get(other.accountId));
                c.symbol.set(other.model.symbol);
                c.clientId.set(other.clientId);
                return;
            }
        } else if (id < 7) {
            // an open order's client id in this order's market: unique per market, so legal when they differ
            final LiveOrder other = randomLive();
            if (other != null && !other.clientId.isEmpty()) {
                c.account.set(accountNames.get(other.accountId));
                c.clientId.set(other.clientId);
                return;
            }
        }
        if (id < 80) {
            c.clientId.set(newClientId(account));
        }
    }

    // ------------------------------------------------------------------------------------------ cancels

    private void cancelByClientId(Command c) {
        c.type = CommandType.CANCEL_ORDER;
        final int r = random.nextInt(100);
        final LiveOrder o = r < 75 ? randomLive() : r < 90 ? randomDead() : null;
        if (o == null || o.clientId.isEmpty()) {
            final MarketModel m = pickMarket();
            c.account.set(pickAccount());
            c.symbol.set(m.symbol);
            c.clientId.set("nope-" + random.nextInt(1000));
            return;
        }
        c.account.set(accountNames.get(o.accountId));
        c.symbol.set(o.model.symbol);
        c.clientId.set(o.clientId);
        if (random.nextInt(20) == 0) {
            c.orderId = 1 + random.nextInt((int) Math.max(1, Math.min(Integer.MAX_VALUE, seq)));
        }
    }

    private void cancelByOrderId(Command c) {
        c.type = CommandType.CANCEL_ORDER;
        final int r = random.nextInt(100);
        final LiveOrder o = r < 85 ? randomLive() : randomDead();
        if (o == null) {
            c.account.set(pickAccount());
            c.symbol.set(pickMarket().symbol);
            c.orderId = 1 + random.nextInt(1_000_000);
            return;
        }
        c.account.set(accountNames.get(o.accountId));
        c.symbol.set(o.model.symbol);
        c.orderId = o.orderId;
        if (r >= 75 && r < 80) {
            c.account.set(pickAccount());
        } else if (r >= 80 && r < 85) {
            c.symbol.set(pickMarket().symbol);
        }
    }

    private void cancelAll(Command c, MarketModel m) {
        c.type = CommandType.CANCEL_ALL;
        final LiveOrder o = random.nextInt(5) > 0 ? randomLive() : null;
        if (o != null) {
            c.account.set(accountNames.get(o.accountId));
            c.symbol.set(o.model.symbol);
        } else {
            c.account.set(pickAccount());
            c.symbol.set(m.symbol);
        }
    }

    // ------------------------------------------------------------------------------------------ amends

    private void amend(Command c) {
        c.type = CommandType.AMEND_ORDER;
        final LiveOrder o = random.nextInt(10) > 0 ? randomLive() : randomDead();
        if (o == null) {
            c.account.set(pickAccount());
            c.symbol.set(pickMarket().symbol);
            c.orderId = 1 + random.nextInt(1000);
            c.qtyE8 = E8;
            return;
        }
        final MarketModel m = o.model;
        c.account.set(accountNames.get(o.accountId));
        c.symbol.set(m.symbol);
        if (!o.clientId.isEmpty() && random.nextInt(10) < 7) {
            c.clientId.set(o.clientId);
        } else {
            c.orderId = o.orderId;
        }
        final boolean buy = o.side == Side.BUY;
        final int r = random.nextInt(100);
        if (r < 30) {
            c.qtyE8 = (o.origLots > 1 ? 1 + nextLong(o.origLots - 1) : o.origLots + 1) * m.stepE8;
        } else if (r < 45) {
            c.qtyE8 = (o.origLots + 1 + nextLong(o.origLots)) * m.stepE8;
        } else if (r < 62) {
            final long delta = 1 + random.nextInt(50);
            final long ticks = random.nextBoolean() == buy ? o.priceTicks - delta : o.priceTicks + delta;
            c.priceE8 = Math.max(1, ticks) * m.tickE8;
        } else if (r < 77) {
            final long cross = random.nextInt(30);
            c.priceE8 = Math.max(1, buy ? m.midTicks + cross : m.midTicks - cross) * m.tickE8;
        } else if (r < 82) {
            c.qtyE8 = Math.max(1, o.executedLots - nextLong(Math.max(1, o.executedLots))) * m.stepE8;
        } else if (r < 86) {
            c.priceE8 = o.priceTicks * m.tickE8;
            if (random.nextBoolean()) {
                c.qtyE8 = o.origLots * m.stepE8;
            }
        } else if (r < 93) {
            c.priceE8 = Math.max(1, o.priceTicks + random.nextInt(21) - 10) * m.tickE8;
            c.qtyE8 = (1 + nextLong(2 * o.origLots)) * m.stepE8;
        } else {
            switch (random.nextInt(6)) {
                case 0 -> c.priceE8 = o.priceTicks * m.tickE8 + m.tickE8 / 2;
                case 1 -> c.qtyE8 = o.origLots * m.stepE8 + m.stepE8 / 2;
                case 2 -> c.priceE8 = 0;
                case 3 -> c.qtyE8 = m.maxQtyE8() + (random.nextBoolean() ? m.stepE8 : 0);
                case 4 -> c.priceE8 = (buy ? m.midTicks * 110 / 100 : m.midTicks * 90 / 100) * m.tickE8;
                default -> {
                    // neither price nor quantity: a malformed amend
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ invalid input

    private void invalidOrder(Command c, MarketModel m) {
        final Side side = randomSide();
        final long ticks = side == Side.BUY ? m.midTicks - random.nextInt(20) : m.midTicks + random.nextInt(20);
        order(c, m, pickAccount(), side, OrderType.LIMIT, null, ticks, lots(m));
        switch (random.nextInt(19)) {
            case 0 -> c.priceE8 += m.tickE8 / 2;
            case 1 -> c.qtyE8 += m.stepE8 / 2;
            case 2 -> c.qtyE8 = (m.minLots - 1) * m.stepE8;
            case 3 -> c.qtyE8 = -c.qtyE8;
            case 4 -> c.priceE8 = random.nextBoolean() ? 0 : -c.priceE8;
            case 5 -> c.priceE8 = m.maxPriceTicks() * m.tickE8 + m.tickE8;
            case 6 -> c.qtyE8 = m.maxQtyE8() + m.stepE8;
            case 7 -> {
                // near the maximum quantity (and price): the notional leaves the money range
                c.qtyE8 = m.maxQtyE8() - nextLong(1000) * m.stepE8;
                if (random.nextBoolean()) {
                    c.orderType = OrderType.MARKET;
                    c.priceE8 = Command.ABSENT;
                } else {
                    c.priceE8 = (m.maxPriceTicks() - nextLong(1000)) * m.tickE8;
                }
            }
            case 8 -> c.symbol.set("XRPUSDT");
            case 9 -> c.account.set("ghost-" + random.nextInt(100));
            case 10 -> c.side = null;
            case 11 -> c.orderType = null;
            case 12 -> c.orderType = OrderType.LIQUIDATION; // a type only the engine itself sends
            case 13 -> c.clientId.set("x".repeat(37));
            case 14 -> c.clientId.set(random.nextBoolean() ? "bad id" : "x#" + random.nextInt(10));
            case 15 -> c.qtyE8 = Command.ABSENT;
            case 16 -> c.priceE8 = Command.ABSENT;
            case 17 -> {
                // beyond the percent price band around the last trade
                final long far = side == Side.BUY ? m.midTicks * 108 / 100 : m.midTicks * 92 / 100;
                c.priceE8 = far * m.tickE8;
            }
            default -> {
                // the smallest order: below the minimum notional unless reduce-only
                c.qtyE8 = m.minLots * m.stepE8;
                c.priceE8 = m.midTicks * m.tickE8;
                c.reduceOnly = random.nextInt(4) == 0;
            }
        }
    }

    private void invalidOther(Command c, MarketModel m) {
        switch (random.nextInt(9)) {
            case 0 -> c.type = null;
            case 1 -> {
                c.type = CommandType.CANCEL_ORDER;
                c.account.set(pickAccount());
                c.symbol.set(m.symbol);
                c.orderId = random.nextBoolean() ? 0 : -5;
            }
            case 2 -> {
                c.type = random.nextBoolean() ? CommandType.CANCEL_ORDER : CommandType.AMEND_ORDER;
                c.account.set(random.nextBoolean() ? "ghost-" + random.nextInt(100) : pickAccount());
                c.symbol.set(random.nextBoolean() ? "XRPUSDT" : m.symbol);
                c.clientId.set("c1");
                c.qtyE8 = m.stepE8;
            }
            case 3 -> {
                c.type = random.nextBoolean() ? CommandType.CANCEL_ORDER : CommandType.AMEND_ORDER;
                c.account.set(pickAccount());
                c.symbol.set(m.symbol);
                c.clientId.set("y".repeat(40));
                c.priceE8 = m.midTicks * m.tickE8;
            }
            case 4 -> {
                c.type = CommandType.CANCEL_ALL;
                c.account.set(random.nextBoolean() ? "ghost-" + random.nextInt(100) : pickAccount());
                c.symbol.set(random.nextBoolean() ? "XRPUSDT" : m.symbol);
            }
            case 5 -> {
                c.type = CommandType.DEPOSIT;
                c.account.set(pickAccount());
                final int k = random.nextInt(4);
                c.amountE8 = k == 0 ? 0 : k == 1 ? -E8 : k == 2 ? Command.ABSENT : E8;
                if (k == 3) {
                    c.account.clear();
                }
            }
            case 6 -> {
                c.type = CommandType.DEPOSIT;
                c.account.set(random.nextBoolean() ? "bad name" : "bad*" + random.nextInt(10));
                c.amountE8 = E8;
            }
            case 7 -> {
                // the first whale deposit fits, every later one overflows the wallet
                c.type = CommandType.DEPOSIT;
                c.account.set("whale");
                c.amountE8 = Long.MAX_VALUE / 2 + 1 + whaleDeposits++;
            }
            default -> {
                c.type = random.nextBoolean() ? CommandType.WITHDRAW : CommandType.QUERY_ACCOUNT;
                c.account.set("ghost-" + random.nextInt(100));
                c.amountE8 = E8;
            }
        }
    }

    private void moneyOrQuery(Command c) {
        final int r = random.nextInt(10);
        if (r < 4) {
            c.type = CommandType.DEPOSIT;
            if (random.nextInt(10) == 0) {
                c.account.set("late-" + lateAccounts++);
            } else {
                c.account.set(pickAccount());
            }
            c.amountE8 = (1 + random.nextInt(10_000)) * E8 + random.nextInt(100);
        } else if (r < 7) {
            c.type = CommandType.WITHDRAW;
            c.account.set(pickAccount());
            c.amountE8 = random.nextInt(5) == 0 ? Long.MAX_VALUE / 4 : (1 + random.nextInt(100)) * E8;
            if (random.nextInt(20) == 0) {
                c.amountE8 = random.nextBoolean() ? 0 : Command.ABSENT;
            }
        } else {
            c.type = CommandType.QUERY_ACCOUNT;
            c.account.set(pickAccount());
        }
    }

    /**
     * A market update: fees, bands, STP default, open-order limit, minimum notional; a tick change while orders
     * rest (locked); an invalid specification; or a malformed symbol. A tick change is only tried while the
     * market has open orders, so it is always refused: what it should do to the last trade price (kept as a count
     * of ticks) is not settled, so the stream stays clear of it.
     */
    private void updateMarket(Command c, MarketModel m) {
        c.type = CommandType.MARKET;
        c.symbol.set(m.symbol);
        switch (random.nextInt(9)) {
            case 0 -> {
                final long taker = 20_000 + random.nextInt(60_000);
                c.param(MarketParam.TAKER_FEE, taker);
                c.param(MarketParam.MAKER_FEE, random.nextBoolean() ? -random.nextInt(20_000) : random.nextInt(30_000));
            }
            case 1 -> c.param(MarketParam.STP, 1 + random.nextInt(4));
            case 2 -> c.param(MarketParam.MAX_OPEN_ORDERS, 5 + random.nextInt(30));
            case 3 -> c.param(MarketParam.PRICE_BAND, random.nextInt(3) == 0 ? 0 : 1_000_000L + random.nextInt(9_000_000));
            case 4 -> c.param(MarketParam.MARKET_BAND, 200_000L + random.nextInt(3_000_000));
            case 5 -> c.param(MarketParam.MIN_NOTIONAL, random.nextInt(200) * E8);
            case 6 -> {
                if (m.liveCount > 0) {
                    c.param(MarketParam.TICK, m.tickE8 * 10);
                } else {
                    c.param(MarketParam.MAX_LEVERAGE, 50);
                }
            }
            case 7 -> {
                switch (random.nextInt(4)) {
                    case 0 -> c.param(MarketParam.TICK, 0);
                    case 1 -> c.param(MarketParam.MARKET_BAND, E8);
                    case 2 -> c.param(MarketParam.MAKER_FEE, -E8 / 5);
                    default -> c.param(MarketParam.MAX_OPEN_ORDERS, 0);
                }
            }
            default -> c.symbol.set(random.nextBoolean() ? "BAD SYMBOL" : "");
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private MarketModel pickMarket() {
        final int r = random.nextInt(100);
        if (models.size() == 1 || r < 60) {
            return models.get(0);
        }
        if (models.size() == 2 || r < 95) {
            return models.get(1);
        }
        return models.get(2);
    }

    /** The mid follows the last trade with noise, and now and then jumps a few percent. */
    private void drift(MarketModel m) {
        if (m.lastTradeTicks > 0) {
            m.midTicks += (m.lastTradeTicks - m.midTicks) / 16;
        }
        m.midTicks += random.nextInt(2 * m.driftTicks + 1) - m.driftTicks;
        if (random.nextInt(3000) == 0) {
            final long jump = m.midTicks * (2 + random.nextInt(5)) / 100;
            m.midTicks += random.nextBoolean() ? jump : -jump;
        }
        m.midTicks = Math.max(m.initialMidTicks / 2, Math.min(m.initialMidTicks * 2, m.midTicks));
    }

    /** A few active traders (both sides, so self-trade prevention has work) and a long tail. */
    private String pickAccount() {
        return accountName(random.nextInt(10) < 4 ? random.nextInt(activeTraders) : random.nextInt(accountCount));
    }

    private String newClientId(String account) {
        final int index = Integer.parseInt(account.substring(1));
        return "c" + nextClientIdNumber[index]++;
    }

    private Side randomSide() {
        return random.nextBoolean() ? Side.BUY : Side.SELL;
    }

    private long lots(MarketModel m) {
        final int bucket = random.nextInt(10);
        final int range = bucket < 6 ? m.smallLots : bucket < 9 ? m.smallLots * 10 : m.smallLots * 50;
        return m.minLots + random.nextInt(range);
    }

    private long nextLong(long bound) {
        return bound <= 0 ? 0 : (random.nextLong() & Long.MAX_VALUE) % bound;
    }

    private LiveOrder randomLive() {
        return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
    }

    private LiveOrder randomDead() {
        final int kept = (int) Math.min(deadCount, DEAD_ORDERS_KEPT);
        return kept == 0 ? null : dead[random.nextInt(kept)];
    }

    /** What the generator knows and assumes about one market. */
    private static final class MarketModel {
        final String symbol;
        long tickE8;
        long stepE8;
        final long minLots;
        final long initialMidTicks;
        final int driftTicks;
        final int smallLots;
        final Map<MarketParam, Long> params = new EnumMap<>(MarketParam.class);

        int id = -1;
        long midTicks;
        long lastTradeTicks;
        int liveCount;

        MarketModel(String symbol, long tickE8, long stepE8, long minLots, long midTicks, int driftTicks,
                    int smallLots) {
            this.symbol = symbol;
            this.tickE8 = tickE8;
            this.stepE8 = stepE8;
            this.minLots = minLots;
            this.initialMidTicks = midTicks;
            this.midTicks = midTicks;
            this.driftTicks = driftTicks;
            this.smallLots = smallLots;
        }

        MarketModel param(MarketParam p, long value) {
            params.put(p, value);
            return this;
        }

        long maxPriceTicks() {
            return params.getOrDefault(MarketParam.MAX_PRICE, 10_000_000 * E8) / tickE8;
        }

        long maxQtyE8() {
            return params.getOrDefault(MarketParam.MAX_QTY, 10_000_000 * E8);
        }
    }

    /** An order the generator has seen open (and, once it ended, remembers as dead). */
    private static final class LiveOrder {
        long orderId;
        int accountId;
        MarketModel model;
        String clientId;
        Side side;
        TimeInForce tif;
        long priceTicks;
        long origLots;
        long executedLots;
        int index;
    }
}
