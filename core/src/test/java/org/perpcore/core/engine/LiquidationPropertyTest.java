package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventType;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.InsuranceCause;
import org.perpcore.core.scenario.EventJson;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;

/**
 * Invariants of the liquidation stage after every command of long random runs built to liquidate: thin books,
 * high leverage, crashes and squeezes of the index, small insurance funds (one market's fund shared, one with a
 * takeover cap), slices on large positions and a circuit breaker. After every command:
 * <ul>
 *   <li>money is conserved exactly (every wallet, isolated margin, position cost, fee and funding residue,
 *       insurance funds included), open interest balances and the book is never crossed
 *       ({@link RiskPropertyTest#checkInvariants});</li>
 *   <li>nobody is left at or below maintenance margin, except a scope waiting for its next slice;</li>
 *   <li>no negative equity is left unrecorded: every trader's equity is at least zero, and a fund below zero has
 *       recorded at least that much bad debt;</li>
 *   <li>a fund's wallet moves only in a command that says why (INSURANCE or FUNDING events), and the BAD_DEBT
 *       events add up to the markets' recorded bad debt;</li>
 *   <li>a rejected command changes nothing.</li>
 * </ul>
 * The same command lines replayed into a fresh engine end in the same state hash.
 *
 * <p>Runs 50,000 commands per seed (100,000 in all) by default; {@code -Dperpcore.liquidation.commands=N} runs N
 * per seed.
 */
class LiquidationPropertyTest {
    private static final int COMMANDS = Integer.getInteger("perpcore.liquidation.commands", 50_000);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1010, 20251010})
    void invariantsHoldThroughCascades(long seed) throws ScenarioException {
        final Engine engine = new Engine();
        final ScenarioParser parser = new ScenarioParser();
        final Command command = new Command();
        final Population population = new Population(seed);
        final List<String> script = new ArrayList<>();
        final Tally tally = new Tally();
        // -Dperpcore.debug=true prints the failing command's events
        final EventJson json = Boolean.getBoolean("perpcore.debug") ? new EventJson() : null;
        final StringBuilder rendered = new StringBuilder();
        long seq = 0;
        for (String line : population.setup()) {
            script.add(line);
            if (parser.parse(line, 0, command)) {
                command.seq = ++seq;
                engine.apply(command);
                if (json != null) {
                    json.render(command.seq, command.timestampMs, command.events(), rendered);
                }
            }
        }
        final long[] fundWallets = new long[1024];
        for (int i = 0; i < COMMANDS; i++) {
            final String line = population.next(engine);
            if (!parser.parse(line, i, command)) {
                continue;
            }
            script.add(line);
            command.seq = ++seq;
            snapshotFundWallets(engine, fundWallets);
            final long before = engine.stateHash();
            engine.apply(command);
            final Events events = Events.of(command);
            if (json != null) {
                rendered.setLength(0);
                json.render(command.seq, command.timestampMs, command.events(), rendered);
            }
            tally.add(events);
            if (events.has(EventType.REJECT) && engine.stateHash() != before) {
                fail("seed " + seed + " #" + i + " '" + line + "': rejected but the state changed");
            }
            try {
                RiskPropertyTest.checkInvariants(engine);
                checkLiquidationInvariants(engine, fundWallets, events, tally);
            } catch (AssertionError e) {
                if (json != null) {
                    System.out.println(rendered);
                }
                throw new AssertionError("seed " + seed + " after #" + i + " '" + line + "': " + e.getMessage(), e);
            }
        }
        // the run did what it is for
        assertTrue(tally.liquidatedScopes > 200, "liquidations: " + tally);
        assertTrue(tally.stages[0] > 50 && tally.stages[1] > 5 && tally.stages[2] > 5,
            "fills in the book, by the fund and by ADL: " + tally);
        assertTrue(tally.causes[InsuranceCause.SHORTFALL.ordinal()] > 5, "shortfalls paid: " + tally);
        assertTrue(tally.causes[InsuranceCause.SURPLUS.ordinal()] > 5, "surpluses gained: " + tally);
        assertTrue(tally.partials > 5, "partial liquidations: " + tally);
        assertTrue(tally.halts > 0, "circuit breaker: " + tally);

        // the same lines into a fresh engine: the same state
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

    static void snapshotFundWallets(Engine engine, long[] wallets) {
        for (int i = 0; i < Math.min(wallets.length, engine.accountCount()); i++) {
            wallets[i] = engine.account(i).walletE8;
        }
        for (int i = engine.accountCount(); i < wallets.length; i++) {
            wallets[i] = 0;
        }
    }

    static void checkLiquidationInvariants(Engine engine, long[] fundWalletsBefore, Events events,
                                                   Tally tally) {
        final RiskEngine risk = engine.risk();
        final long now = engine.nowMs();
        long fundBadDebt = 0;
        for (int m = 0; m < engine.marketCount(); m++) {
            fundBadDebt += engine.market(m).badDebtE8;
        }
        assertEquals(tally.uncoveredE8, fundBadDebt, "BAD_DEBT events add up to the markets' bad debt");
        for (int i = 0; i < engine.accountCount(); i++) {
            final Account a = engine.account(i);
            if (a.fund) {
                if (i < fundWalletsBefore.length && a.walletE8 != fundWalletsBefore[i]) {
                    assertTrue(events.has(EventType.INSURANCE) || events.has(EventType.FUNDING),
                        () -> "fund " + a.nameString() + " moved without an INSURANCE event");
                }
                final long equity = risk.fundEquityE8(a);
                long recorded = 0;
                for (int m = 0; m < engine.marketCount(); m++) {
                    if (engine.market(m).fund == a) {
                        recorded += engine.market(m).badDebtE8;
                    }
                }
                final long deficitRecorded = recorded;
                assertTrue(-equity <= deficitRecorded, () -> "fund " + a.nameString() + " at " + equity
                    + " below zero beyond its recorded bad debt " + deficitRecorded);
                continue;
            }
            // cross scope: not below maintenance unless waiting for its next slice; never below zero
            final long crossEquity = a.walletE8 + crossUpnl(a);
            if (risk.crossBelowMaintenance(a)) {
                assertTrue(a.marginCalled && a.nextSliceMs > now,
                    () -> "cross " + a.nameString() + " left below maintenance (flag " + a.marginCalled
                        + ", next slice " + a.nextSliceMs + ", now " + now + ")");
            }
            assertTrue(crossEquity >= 0, () -> "cross " + a.nameString() + " left with negative equity "
                + crossEquity);
            for (int k = 0; k < a.positionCapacity(); k++) {
                final Position p = a.positions()[k];
                if (p == null || !p.isolated || p.sizeLots == 0) {
                    continue;
                }
                if (RiskEngine.isolatedBelowMaintenance(p)) {
                    assertTrue(p.marginCalled && p.nextSliceMs > now,
                        () -> "isolated " + a.nameString() + "/" + p.market.symbolString() + " below maintenance");
                }
                final long equity = p.isolatedMarginE8 + RiskEngine.unrealizedPnlE8(p);
                assertTrue(equity >= 0, () -> "isolated " + a.nameString() + " negative equity " + equity);
            }
        }
    }

    private static long crossUpnl(Account a) {
        long upnl = 0;
        for (int k = 0; k < a.positionCapacity(); k++) {
            final Position p = a.positions()[k];
            if (p != null && !p.isolated && p.sizeLots != 0) {
                upnl += RiskEngine.unrealizedPnlE8(p);
            }
        }
        return upnl;
    }

    /** The events of one command, decoded once. */
    record Events(List<EventView> views, boolean[] types) {
        static Events of(Command c) {
            final List<EventView> views = new ArrayList<>();
            final boolean[] types = new boolean[64];
            final DirectBuffer buffer = c.events().buffer();
            for (int p = 0; p < c.events().length(); ) {
                final EventView view = new EventView();
                final int length = view.decode(buffer, p);
                assertTrue(length > 0, "decodable event");
                types[view.type.ordinal()] = true;
                if (view.type == EventType.LIQUIDATION || view.type == EventType.INSURANCE
                    || view.type == EventType.BAD_DEBT || view.type == EventType.HALT) {
                    views.add(view);
                }
                p += length;
            }
            return new Events(views, types);
        }

        boolean has(EventType t) {
            return types[t.ordinal()];
        }
    }

    /** What the run reached, summed over its events. */
    static final class Tally {
        long liquidatedScopes;
        long partials;
        final long[] stages = new long[3];
        final long[] causes = new long[InsuranceCause.values().length];
        long badDebts;
        long uncoveredE8;
        long halts;
        private final java.util.Set<String> scopesThisCommand = new java.util.HashSet<>();

        void add(Events events) {
            scopesThisCommand.clear();
            for (EventView v : events.views()) {
                switch (v.type) {
                    case LIQUIDATION -> {
                        stages[v.stage.ordinal()]++;
                        if (!v.full) {
                            partials++;
                        }
                        if (scopesThisCommand.add(v.account + "/" + v.market)) {
                            liquidatedScopes++;
                        }
                    }
                    case INSURANCE -> causes[v.cause.ordinal()]++;
                    case BAD_DEBT -> {
                        badDebts++;
                        uncoveredE8 += v.uncoveredE8;
                    }
                    case HALT -> halts++;
                    default -> { }
                }
            }
        }

        @Override
        public String toString() {
            return "scopes=" + liquidatedScopes + " partials=" + partials + " book/insurance/adl="
                + java.util.Arrays.toString(stages) + " causes=" + java.util.Arrays.toString(causes)
                + " badDebts=" + badDebts + " halts=" + halts;
        }
    }

    /**
     * A seeded population built to liquidate: three market makers quoting thin ladders around an index that walks,
     * crashes and squeezes (pulled back toward its start), and sixty traders at 10x to 125x in both margin modes.
     */
    static final class Population {
        private final SplittableRandom random;
        private final List<String> traders = new ArrayList<>();
        private final String[] symbols = {"BTCUSDT", "ETHUSDT"};
        private final double[] start = {100_000, 3_000};
        final double[] index = {100_000, 3_000};
        private long clientId;

        Population(long seed) {
            random = new SplittableRandom(seed);
        }

        List<String> setup() {
            final List<String> lines = new ArrayList<>();
            lines.add("time 2025-10-10T14:00:00Z");
            lines.add("market BTCUSDT tick=0.1 step=0.001 priceBand=0.2 marketBand=0.1 liquidationFee=0.01"
                + " insuranceCap=300000 sliceNotional=150000 sliceFraction=0.3 sliceInterval=5s");
            // steep tiers, as on smaller markets: partial liquidation down a tier often restores margin
            lines.add("bracket BTCUSDT 0 0.005 100");
            lines.add("bracket BTCUSDT 30000 0.015 50");
            lines.add("bracket BTCUSDT 100000 0.03 25");
            lines.add("bracket BTCUSDT 300000 0.05 10");
            lines.add("market ETHUSDT tick=0.01 step=0.01 priceBand=0.2 marketBand=0.1 makerFee=-0.0001"
                + " insuranceShared=1 haltMove=0.06 haltWindow=1m haltFor=2m");
            lines.add("bracket ETHUSDT 0 0.005 100");
            lines.add("bracket ETHUSDT 10000 0.0065 75");
            lines.add("bracket ETHUSDT 100000 0.01 50");
            lines.add("insurance BTCUSDT 3000");
            lines.add("insurance ETHUSDT 1000");
            for (int m = 0; m < 3; m++) {
                lines.add("deposit mm" + m + " 20000000");
            }
            for (int t = 0; t < 60; t++) {
                final String name = "t" + t;
                traders.add(name);
                lines.add("deposit " + name + " " + (100 + random.nextInt(30_000)));
                for (String s : symbols) {
                    if (random.nextInt(10) < 3) {
                        lines.add("margin " + name + " " + s + " isolated");
                    }
                    lines.add("leverage " + name + " " + s + " " + (10 + random.nextInt(91)));
                }
            }
            lines.add("index BTCUSDT 100000");
            lines.add("index ETHUSDT 3000");
            return lines;
        }

        String next(Engine engine) {
            final int s = random.nextInt(2);
            final String symbol = symbols[s];
            final int kind = random.nextInt(100);
            if (kind < 14) {
                final int shock = random.nextInt(100);
                final double move = shock < 4 ? 0.03 + 0.05 * random.nextDouble() : 0.006 * random.nextDouble();
                final double pull = (start[s] - index[s]) / start[s] * 0.1; // back toward the start
                index[s] *= 1 + move * (random.nextBoolean() ? 1 : -1) + pull;
                return "index " + symbol + " " + price(s, index[s]);
            }
            if (kind < 42) {
                // thin ladders around the index
                final String mm = "mm" + random.nextInt(3);
                final boolean buy = random.nextBoolean();
                final double offset = (1 + random.nextInt(60)) * 0.001;
                return "order " + mm + " " + symbol + " " + (buy ? "buy" : "sell") + " limit " + qty(s, 1)
                    + " " + price(s, index[s] * (buy ? 1 - offset : 1 + offset)) + " id=q" + (clientId++);
            }
            if (kind < 49) {
                return "cancel-all mm" + random.nextInt(3) + " " + symbol;
            }
            final String trader = traders.get(random.nextInt(traders.size()));
            if (kind < 72) {
                return "order " + trader + " " + symbol + " " + (random.nextInt(10) < 6 ? "buy" : "sell")
                    + " market " + qty(s, 3) + (random.nextInt(6) == 0 ? " reduceOnly" : "");
            }
            if (kind < 82) {
                final boolean buy = random.nextBoolean();
                return "order " + trader + " " + symbol + " " + (buy ? "buy" : "sell") + " limit " + qty(s, 2) + " "
                    + price(s, index[s] * (buy ? 0.997 : 1.003)) + " id=r" + (clientId++)
                    + (random.nextInt(5) == 0 ? " reduceOnly" : "");
            }
            if (kind < 85) {
                return "cancel-all " + trader + " " + symbol;
            }
            if (kind < 88) {
                return "isolated-margin " + trader + " " + symbol + " " + (random.nextBoolean() ? "" : "-")
                    + (1 + random.nextInt(300));
            }
            if (kind < 91) {
                return "deposit " + trader + " " + (50 + random.nextInt(2000));
            }
            if (kind < 92) {
                return "withdraw " + trader + " " + (1 + random.nextInt(500));
            }
            if (kind < 94) {
                return "leverage " + trader + " " + symbol + " " + (10 + random.nextInt(91));
            }
            if (kind < 97) {
                return "advance " + (1 + random.nextInt(40)) + "s";
            }
            if (kind < 98) {
                return "insurance " + symbol + " " + (1 + random.nextInt(500));
            }
            return "margin " + trader + " " + symbol + " " + (random.nextBoolean() ? "isolated" : "cross");
        }

        private String price(int s, double p) {
            return s == 0 ? String.format("%.1f", p) : String.format("%.2f", p);
        }

        private String qty(int s, int max) {
            return s == 0 ? String.format("%.3f", (1 + random.nextInt(max * 1000)) / 1000.0)
                : String.format("%.2f", (1 + random.nextInt(max * 100)) / 10.0);
        }
    }
}
