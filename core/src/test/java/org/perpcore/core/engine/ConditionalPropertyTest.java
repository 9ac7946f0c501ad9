package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.perpcore.core.book.OrderStore;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventBuffer;
import org.perpcore.core.event.EventType;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.ExpireReason;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderStatus;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.model.WorkingType;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.scenario.EventJson;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;
import org.perpcore.core.trigger.PriceQueue;
import org.perpcore.core.trigger.PriceTriggers;
import org.perpcore.core.trigger.TrailingBook;

/**
 * Conditional orders in long random runs built to liquidate ({@link LiquidationPropertyTest}'s population: thin
 * books, high leverage, crashes), with a fifth of the commands placing or cancelling stops, take-profits and trailing
 * stops of every kind near the index, on both working prices, reduce-only, closePosition and price-protected. After
 * every command:
 * <ul>
 *   <li>the risk and liquidation invariants hold (money conserved, open interest balanced, nobody left below
 *       maintenance, no unrecorded negative equity, a rejected command changes nothing);</li>
 *   <li>the trigger index agrees with a brute-force scan of the order store: every waiting order is in exactly the
 *       structure its record says, with its own price, and the markets' and positions' counts match;</li>
 *   <li>no waiting order's trigger condition holds at the current prices (a held price-protected one only while
 *       mark and last price are further apart than the market's triggerProtect);</li>
 *   <li>every active trailing stop's extreme is the best price since its placement, recomputed from the command's
 *       own TRADE and MARK events, and inactive ones have not reached their activation price;</li>
 *   <li>every stop that fired had a price at or beyond its stop in that command (none fires early).</li>
 * </ul>
 * The same lines replayed into a fresh engine end in the same state hash. 25,000 commands per seed by default;
 * {@code -Dperpcore.conditional.commands=N} for more.
 */
class ConditionalPropertyTest {
    private static final int COMMANDS = Integer.getInteger("perpcore.conditional.commands", 25_000);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 20251010})
    void noWaitingOrderIsLeftCrossedAndTheIndexMatchesAScan(long seed) throws ScenarioException {
        final Engine engine = new Engine();
        final ScenarioParser parser = new ScenarioParser();
        final Command command = new Command();
        final LiquidationPropertyTest.Population population = new LiquidationPropertyTest.Population(seed);
        final Orders orders = new Orders(seed + 1, population);
        final List<String> script = new ArrayList<>();
        final LiquidationPropertyTest.Tally liquidations = new LiquidationPropertyTest.Tally();
        final Model model = new Model();
        final EventJson json = Boolean.getBoolean("perpcore.debug") ? new EventJson() : null;
        final StringBuilder rendered = new StringBuilder();
        long seq = 0;
        for (String line : population.setup()) {
            script.add(line);
            if (parser.parse(line, 0, command)) {
                command.seq = ++seq;
                engine.apply(command);
                model.observe(command.events(), engine);
            }
        }
        final long[] fundWallets = new long[1024];
        for (int i = 0; i < COMMANDS; i++) {
            final String line = orders.next(engine);
            if (!parser.parse(line, i, command)) {
                continue;
            }
            script.add(line);
            command.seq = ++seq;
            LiquidationPropertyTest.snapshotFundWallets(engine, fundWallets);
            final long before = engine.stateHash();
            engine.apply(command);
            final LiquidationPropertyTest.Events events = LiquidationPropertyTest.Events.of(command);
            liquidations.add(events);
            try {
                if (events.has(EventType.REJECT) && engine.stateHash() != before) {
                    fail("rejected but the state changed");
                }
                model.observe(command.events(), engine);
                RiskPropertyTest.checkInvariants(engine);
                LiquidationPropertyTest.checkLiquidationInvariants(engine, fundWallets, events, liquidations);
                checkIndex(engine, model);
            } catch (AssertionError e) {
                if (json != null) {
                    rendered.setLength(0);
                    json.render(command.seq, command.timestampMs, command.events(), rendered);
                    System.out.println(rendered);
                }
                throw new AssertionError("seed " + seed + " after #" + i + " '" + line + "': " + e.getMessage(), e);
            }
        }
        final Tally t = model.tally;
        System.out.println("ConditionalPropertyTest seed " + seed + ": " + t + ", liquidations " + liquidations);
        // the run reached what it is for
        assertTrue(t.fired[0] > 100 && t.fired[1] > 100, "stops fired on each working price: " + t);
        assertTrue(t.trailingFired > 50, "trailing stops fired: " + t);
        assertTrue(t.limitRested > 5, "triggered STOP / TAKE_PROFIT limit orders resting: " + t);
        assertTrue(t.rejectedAtTrigger > 5 && t.expiredAtTrigger > 5, "refused and expired at trigger: " + t);
        assertTrue(t.wouldTrigger > 20, "-2021 refusals: " + t);
        assertTrue(t.cancelled > 50 && t.expiredWaiting > 20, "cancelled and expired while waiting: " + t);
        assertTrue(t.afterLiquidation > 5, "stops fired by a liquidation's fills: " + t);
        assertTrue(t.maxBatch >= 5, "several orders fired by one command: " + t);
        assertTrue(t.closePositions > 10, "closePosition orders fired: " + t);
        assertTrue(t.protectedHeld > 0, "price-protected orders held: " + t);

        final Engine replay = new Engine();
        final ScenarioParser replayParser = new ScenarioParser();
        long replaySeq = 0;
        for (int i = 0; i < script.size(); i++) {
            if (replayParser.parse(script.get(i), i, command)) {
                command.seq = ++replaySeq;
                replay.apply(command);
            }
        }
        assertEquals(engine.stateHash(), replay.stateHash(), "replay of the same commands");
    }

    // ------------------------------------------------------------------------------------------ the checks

    private static final byte[] CODES = {ConditionalOrders.FALLING, ConditionalOrders.RISING,
        ConditionalOrders.SELL_ACTIVATION, ConditionalOrders.BUY_ACTIVATION, ConditionalOrders.SELL_TRAILING,
        ConditionalOrders.BUY_TRAILING, ConditionalOrders.HELD};

    /** The trigger structures against a scan of every order in the store, and the trigger conditions at prices now. */
    static void checkIndex(Engine engine, Model model) {
        final ConditionalOrders co = engine.conditionals();
        final OrderStore orders = co.orders();
        final Map<Integer, Byte> scanned = new HashMap<>();
        for (int h = 0; h < orders.highWater(); h++) {
            if (orders.orderId(h) != 0 && (orders.flags(h) & OrderStore.FLAG_CONDITIONAL) != 0) {
                scanned.put(h, co.where(h));
            }
        }
        assertEquals(scanned.size(), co.waiting(), "waiting orders counted");
        final Map<Integer, Byte> indexed = new HashMap<>();
        for (int i = 0; i < engine.marketCount(); i++) {
            final Market m = engine.market(i);
            int inMarket = 0;
            for (int w = 0; w < 2; w++) {
                final boolean mark = w == 1;
                final PriceTriggers t = ConditionalOrders.triggers(m, mark);
                if (t == null) {
                    continue;
                }
                final long working = ConditionalOrders.workingPriceE8(m, mark);
                final boolean blocked = blocked(m);
                inMarket += t.size();
                heap(co, t.falling, ConditionalOrders.FALLING, m, mark, indexed, working, blocked);
                heap(co, t.rising, ConditionalOrders.RISING, m, mark, indexed, working, blocked);
                heap(co, t.sellActivation, ConditionalOrders.SELL_ACTIVATION, m, mark, indexed, working, blocked);
                heap(co, t.buyActivation, ConditionalOrders.BUY_ACTIVATION, m, mark, indexed, working, blocked);
                trailing(co, t.sellTrailing, ConditionalOrders.SELL_TRAILING, m, mark, indexed, working, model);
                trailing(co, t.buyTrailing, ConditionalOrders.BUY_TRAILING, m, mark, indexed, working, model);
                for (int k = 0; k < t.held.size(); k++) {
                    final int h = t.held.get(k);
                    place(co, h, ConditionalOrders.HELD, m, mark, indexed);
                    assertTrue(blocked, "a price-protected order held while mark and last price are close");
                    assertTrue((co.kind[h] & ConditionalOrders.KIND_PRICE_PROTECT) != 0, "held without priceProtect");
                }
            }
            assertEquals(inMarket, m.conditionals.waiting, "waiting orders of " + m.symbolString());
        }
        assertEquals(scanned, indexed, "the index holds exactly the waiting orders, each where its record says");
        // per position counts
        final Map<Position, int[]> counts = new HashMap<>();
        for (int h : scanned.keySet()) {
            final Position p = engine.account(orders.account(h)).position(orders.market(h));
            final int[] c = counts.computeIfAbsent(p, k -> new int[2]);
            c[0]++;
            if ((orders.flags(h) & OrderStore.FLAG_REDUCE_ONLY) != 0) {
                c[1]++;
                assertTrue(p.sizeLots != 0 && (p.sizeLots > 0) != (orders.side(h) == Side.BUY.code()),
                    "a waiting reduce-only order has a position to reduce");
            }
        }
        for (int a = 0; a < engine.accountCount(); a++) {
            final Account account = engine.account(a);
            for (int k = 0; k < account.positionCapacity(); k++) {
                final Position p = account.positions()[k];
                if (p != null) {
                    final int[] c = counts.getOrDefault(p, new int[2]);
                    assertEquals(c[0], p.conditionalOrders, "conditional orders of a position");
                    assertEquals(c[1], p.conditionalReduceOnly, "reduce-only conditional orders of a position");
                }
            }
        }
        model.checkExtremes(engine);
    }

    private static void place(ConditionalOrders co, int h, byte code, Market m, boolean mark,
                              Map<Integer, Byte> indexed) {
        assertTrue(indexed.put(h, code) == null, "an order in two structures");
        assertEquals(m.id(), co.orders().market(h), "in its own market's structures");
        assertEquals(mark, (co.kind[h] & ConditionalOrders.KIND_MARK) != 0, "under its own working price");
    }

    private static void heap(ConditionalOrders co, PriceQueue queue, byte code, Market m, boolean mark,
                             Map<Integer, Byte> indexed, long working, boolean blocked) {
        final int[] handles = new int[queue.size()];
        final long[] prices = new long[queue.size()];
        queue.copy(handles, prices);
        for (int i = 0; i < handles.length; i++) {
            final int h = handles[i];
            place(co, h, code, m, mark, indexed);
            final long price = prices[i];
            if (working <= 0) {
                continue;
            }
            switch (code) {
                case ConditionalOrders.FALLING -> {
                    assertEquals(co.stopE8[h], price);
                    assertTrue(working > price, () -> "a stop at " + price + " left waiting at " + working);
                }
                case ConditionalOrders.RISING -> {
                    assertEquals(co.stopE8[h], price);
                    assertTrue(working < price, () -> "a stop at " + price + " left waiting at " + working);
                }
                case ConditionalOrders.SELL_ACTIVATION ->
                    assertTrue(working < price, "a sell trailing stop not activated at its price");
                default -> assertTrue(working > price, "a buy trailing stop not activated at its price");
            }
        }
    }

    private static void trailing(ConditionalOrders co, TrailingBook book, byte code, Market m, boolean mark,
                                 Map<Integer, Byte> indexed, long working, Model model) {
        final int[] handles = book.handles(new int[0]);
        for (int i = 0; i < book.size(); i++) {
            final int h = handles[i];
            place(co, h, code, m, mark, indexed);
            final long extreme = book.extreme(h);
            final long trigger = book.trigger(h);
            assertEquals(TrailingBook.trigger(book.sell(), extreme, co.rateE8[h]), trigger);
            if (book.sell()) {
                assertTrue(extreme >= working && working > trigger, () -> "sell trailing: high " + extreme
                    + ", trigger " + trigger + ", price " + working);
                assertTrue(co.activationE8[h] == 0 || extreme >= co.activationE8[h], "active before activation");
            } else {
                assertTrue(extreme <= working && working < trigger, () -> "buy trailing: low " + extreme
                    + ", trigger " + trigger + ", price " + working);
                assertTrue(co.activationE8[h] == 0 || extreme <= co.activationE8[h], "active before activation");
            }
            model.engineExtreme(co.orders().orderId(h), extreme);
        }
    }

    /** The engine's trigger protection, recomputed: mark and last price further apart than triggerProtect. */
    private static boolean blocked(Market m) {
        final long last = m.lastPriceTicks * m.tickE8;
        if (m.markE8 <= 0 || last <= 0) {
            return false;
        }
        return Fixed.mulDivFloor(Math.abs(m.markE8 - last), Fixed.E8, m.markE8) > m.param(MarketParam.TRIGGER_PROTECT);
    }

    // ------------------------------------------------------------------------------------------ event model

    /** What the run reached. */
    static final class Tally {
        final long[] fired = new long[2];
        long trailingFired;
        long limitRested;
        long rejectedAtTrigger;
        long expiredAtTrigger;
        long wouldTrigger;
        long cancelled;
        long expiredWaiting;
        long afterLiquidation;
        long maxBatch;
        long closePositions;
        long protectedHeld;
        final Map<String, Integer> refusals = new java.util.TreeMap<>();

        @Override
        public String toString() {
            return "fired contract/mark " + fired[0] + "/" + fired[1] + ", trailing " + trailingFired
                + ", limit rested " + limitRested + ", refused/expired at trigger " + rejectedAtTrigger + "/"
                + expiredAtTrigger + ", -2021 " + wouldTrigger + ", cancelled " + cancelled + ", expired waiting "
                + expiredWaiting + ", after a liquidation " + afterLiquidation + ", most in one command " + maxBatch
                + ", closePosition " + closePositions + ", protected held " + protectedHeld + ", refused at trigger by "
                + refusals;
        }
    }

    /**
     * Replays each command's events: prices as they were traded and marked, and per waiting trailing stop the best
     * price since it was placed (the extreme the engine must hold); checks that every fired stop had a price at or
     * beyond it in its command.
     */
    static final class Model {
        final Tally tally = new Tally();
        private final EventView view = new EventView();
        private final Map<Integer, long[]> prices = new HashMap<>(); // market -> {last E8, mark E8}
        /** Trailing stops by order id: {market, mark?, sell?, activation, extreme (MIN/MAX: none yet)}. */
        private final Map<Long, long[]> trailing = new HashMap<>();
        private final Map<Long, Long> engineExtremes = new HashMap<>();
        private final Set<Long> heldBefore = new HashSet<>();
        private final Set<Long> triggeredHere = new HashSet<>();
        private final Set<Long> rested = new HashSet<>();

        void observe(EventBuffer events, Engine engine) {
            final DirectBuffer buffer = events.buffer();
            // the lowest and highest price of each market and working price seen in this command, the price before
            // it included
            final Map<Integer, long[]> range = new HashMap<>();
            for (Map.Entry<Integer, long[]> e : prices.entrySet()) {
                range.put(e.getKey(), new long[] {e.getValue()[0], e.getValue()[0], e.getValue()[1], e.getValue()[1]});
            }
            boolean liquidated = false;
            int firedHere = 0;
            triggeredHere.clear();
            for (int p = 0; p < events.length(); ) {
                final int length = view.decode(buffer, p);
                p += length;
                final long[] now = prices.computeIfAbsent(view.market, k -> new long[2]);
                switch (view.type) {
                    case TRADE -> {
                        now[0] = view.priceE8;
                        widen(range, view.market, 0, view.priceE8);
                        for (long[] o : trailing.values()) {
                            if (o[0] == view.market && (o[1] == 0 || now[1] == 0)) {
                                advance(o, view.priceE8);
                            }
                        }
                    }
                    case MARK -> {
                        now[1] = view.markE8;
                        widen(range, view.market, 2, view.markE8);
                        for (long[] o : trailing.values()) {
                            if (o[0] == view.market && o[1] == 1) {
                                advance(o, view.markE8);
                            }
                        }
                    }
                    case LIQUIDATION -> liquidated = true;
                    case REJECT -> {
                        if (view.reject == org.perpcore.core.model.RejectCode.ORDER_WOULD_IMMEDIATELY_TRIGGER) {
                            tally.wouldTrigger++;
                        }
                    }
                    case ORDER -> {
                        if (view.conditional) {
                            order(now, range, liquidated);
                            if (view.status == OrderStatus.TRIGGERED) {
                                firedHere++;
                            }
                        }
                    }
                    default -> { }
                }
            }
            tally.maxBatch = Math.max(tally.maxBatch, firedHere);
            // price-protected orders held now that were not before
            final ConditionalOrders co = engine.conditionals();
            final Set<Long> heldNow = new HashSet<>();
            for (int i = 0; i < engine.marketCount(); i++) {
                for (int w = 0; w < 2; w++) {
                    final PriceTriggers t = ConditionalOrders.triggers(engine.market(i), w == 1);
                    for (int k = 0; t != null && k < t.held.size(); k++) {
                        heldNow.add(co.orders().orderId(t.held.get(k)));
                    }
                }
            }
            for (long id : heldNow) {
                if (!heldBefore.contains(id)) {
                    tally.protectedHeld++;
                }
            }
            heldBefore.clear();
            heldBefore.addAll(heldNow);
            // triggered STOP / TAKE_PROFIT orders resting in a book as limit orders
            final OrderStore orders = co.orders();
            for (int h = 0; h < orders.highWater(); h++) {
                final byte type = orders.type(h);
                if (orders.orderId(h) != 0 && (orders.flags(h) & OrderStore.FLAG_CONDITIONAL) == 0
                    && (type == OrderType.STOP.code() || type == OrderType.TAKE_PROFIT.code())) {
                    rested.add(orders.orderId(h));
                }
            }
            tally.limitRested = rested.size();
        }

        private static void widen(Map<Integer, long[]> range, int market, int at, long price) {
            final long[] r = range.computeIfAbsent(market, k -> new long[] {price, price, price, price});
            if (r[at] == 0 || price < r[at]) {
                r[at] = price;
            }
            if (price > r[at + 1]) {
                r[at + 1] = price;
            }
        }

        private static void advance(long[] o, long price) {
            if (o[2] == 1) {
                o[4] = o[4] == Long.MIN_VALUE ? price : Math.max(o[4], price);
            } else {
                o[4] = o[4] == Long.MAX_VALUE ? price : Math.min(o[4], price);
            }
        }

        private void order(long[] now, Map<Integer, long[]> range, boolean liquidated) {
            final boolean trailingType = view.orderType == OrderType.TRAILING_STOP_MARKET;
            final boolean mark = view.workingType == WorkingType.MARK_PRICE;
            final boolean sell = view.side == Side.SELL;
            if (view.status == OrderStatus.NEW && view.execType == ExecType.NEW) {
                if (trailingType) {
                    final long working = mark && now[1] > 0 ? now[1] : now[0];
                    final long none = sell ? Long.MIN_VALUE : Long.MAX_VALUE;
                    trailing.put(view.orderId, new long[] {view.market, mark ? 1 : 0, sell ? 1 : 0,
                        view.activationPriceE8, working > 0 ? working : none});
                }
                return;
            }
            if (view.status == OrderStatus.CANCELED) {
                trailing.remove(view.orderId);
                tally.cancelled++;
                return;
            }
            if (view.status == OrderStatus.TRIGGERED) {
                trailing.remove(view.orderId);
                triggeredHere.add(view.orderId);
                tally.fired[mark ? 1 : 0]++;
                if (trailingType) {
                    tally.trailingFired++;
                }
                if (view.closePosition) {
                    tally.closePositions++;
                }
                if (liquidated) {
                    tally.afterLiquidation++;
                }
                // a price of this command (or the one before it) at or beyond the trigger
                final long[] r = range.get(view.market);
                final int at = mark && r[2] > 0 ? 2 : 0;
                final boolean falling = trailingType ? sell
                    : (view.orderType == OrderType.STOP || view.orderType == OrderType.STOP_MARKET) != !sell;
                final long trigger = view.triggerPriceE8;
                if (!trailingType) {
                    assertEquals(view.stopPriceE8, trigger, "a stop fires at its stop price");
                }
                assertTrue(falling ? r[at] <= trigger : r[at + 1] >= trigger, () -> "order " + view.orderId
                    + " fired at " + trigger + " with prices " + r[at] + ".." + r[at + 1] + " in its command");
                return;
            }
            if (view.status == OrderStatus.EXPIRED && view.expireReason == ExpireReason.REDUCE_ONLY) {
                trailing.remove(view.orderId);
                if (triggeredHere.contains(view.orderId)) {
                    tally.expiredAtTrigger++;
                } else {
                    tally.expiredWaiting++;
                }
            }
            if (view.status == OrderStatus.REJECTED && view.orderId != 0) {
                tally.rejectedAtTrigger++;
                tally.refusals.merge(view.reject == null ? "?" : view.reject.name(), 1, Integer::sum);
            }
        }

        void engineExtreme(long orderId, long extreme) {
            engineExtremes.put(orderId, extreme);
        }

        /** The engine's extremes (gathered by the structure walk just before) against the model's. */
        void checkExtremes(Engine engine) {
            final ConditionalOrders co = engine.conditionals();
            for (Map.Entry<Long, long[]> e : trailing.entrySet()) {
                final long[] o = e.getValue();
                final boolean sell = o[2] == 1;
                final long extreme = o[4];
                final boolean known = extreme != (sell ? Long.MIN_VALUE : Long.MAX_VALUE);
                final boolean active = known && (o[3] == 0 || (sell ? extreme >= o[3] : extreme <= o[3]));
                final Long engineExtreme = engineExtremes.get(e.getKey());
                if (active) {
                    assertEquals(Long.valueOf(extreme), engineExtreme, "extreme of trailing stop " + e.getKey());
                } else {
                    assertTrue(engineExtreme == null, "trailing stop " + e.getKey() + " active before it should be");
                }
            }
            assertTrue(engineExtremes.keySet().stream().allMatch(trailing::containsKey),
                "every active trailing stop of the engine is waiting in the model");
            engineExtremes.clear();
            assertTrue(co.waiting() >= 0);
        }
    }

    // ------------------------------------------------------------------------------------------ the commands

    /** Conditional orders and their cancels mixed into the liquidation population's commands. */
    static final class Orders {
        private final SplittableRandom random;
        private final LiquidationPropertyTest.Population population;
        private final String[] symbols = {"BTCUSDT", "ETHUSDT"};
        private final List<String> issued = new ArrayList<>();
        private long id;

        Orders(long seed, LiquidationPropertyTest.Population population) {
            this.random = new SplittableRandom(seed);
            this.population = population;
        }

        String next(Engine engine) {
            if (random.nextInt(100) >= 20) {
                return population.next(engine);
            }
            final int s = random.nextInt(2);
            final String symbol = symbols[s];
            final double index = population.index[s];
            final int kind = random.nextInt(100);
            if (kind < 10 && !issued.isEmpty()) {
                return "cancel " + issued.get(random.nextInt(issued.size()));
            }
            final String trader = "t" + random.nextInt(60);
            if (kind < 12) {
                return "cancel-all " + trader + " " + symbol;
            }
            final Account a = engine.account(trader);
            final Position p = a == null ? null : a.position(s);
            final long size = p == null ? 0 : p.sizeLots;
            // mostly the side that closes the position, as stop-losses and take-profits do
            final boolean buy = size != 0 && random.nextInt(4) != 0 ? size < 0 : random.nextBoolean();
            final String side = buy ? "buy" : "sell";
            final String working = random.nextBoolean() ? " workingType=MARK_PRICE" : "";
            final String cid = "c" + (id++);
            issued.add(trader + " " + symbol + " " + cid);
            if (issued.size() > 200) {
                issued.remove(0);
            }
            final boolean reduces = size != 0 && (size < 0) == buy;
            final String reduceOnly = reduces && random.nextInt(10) < 4 ? " reduceOnly" : "";
            final int type = random.nextInt(100);
            if (type < 25) {
                final double rate = 0.1 + random.nextInt(300) * 0.01;
                final String activation = random.nextBoolean() ? ""
                    : " activationPrice=" + price(s, index * (buy ? 1 - 0.01 * random.nextDouble()
                        : 1 + 0.01 * random.nextDouble()));
                return "order " + trader + " " + symbol + " " + side + " trailing_stop_market " + qty(s)
                    + " callbackRate=" + String.format("%.2f", rate) + activation + working + reduceOnly
                    + " id=" + cid;
            }
            final boolean stop = type < 70;
            // stops fire on a move against the side (a sell stop below), take-profits on a move for it
            final boolean falling = stop != buy;
            double distance = 0.03 * random.nextDouble() * random.nextDouble();
            if (random.nextInt(20) == 0) {
                distance = -0.005; // the wrong side: would trigger at once
            }
            // a share of the orders at one round price, many at once
            final double at = random.nextInt(8) == 0 ? Math.round(index * (falling ? 0.99 : 1.01) / 100) * 100
                : index * (falling ? 1 - distance : 1 + distance);
            final String stopPrice = " stopPrice=" + price(s, at);
            final String protect = random.nextInt(5) == 0 ? " priceProtect" : "";
            if (random.nextInt(4) == 0) {
                final double limit = at * (buy ? 1.004 : 0.996);
                return "order " + trader + " " + symbol + " " + side + (stop ? " stop " : " take_profit ") + qty(s)
                    + " " + price(s, limit) + stopPrice + working + protect + reduceOnly + " id=" + cid;
            }
            final String what = stop ? " stop_market" : " take_profit_market";
            if (reduces && random.nextInt(4) == 0) {
                return "order " + trader + " " + symbol + " " + side + what + stopPrice + " closePosition" + working
                    + protect + " id=" + cid;
            }
            return "order " + trader + " " + symbol + " " + side + what + " " + qty(s) + stopPrice + working
                + protect + reduceOnly + " id=" + cid;
        }

        private static String price(int s, double p) {
            return s == 0 ? String.format("%.1f", p) : String.format("%.2f", p);
        }

        private String qty(int s) {
            return s == 0 ? String.format("%.3f", (1 + random.nextInt(1500)) / 1000.0)
                : String.format("%.2f", (1 + random.nextInt(300)) / 10.0);
        }
    }
}
