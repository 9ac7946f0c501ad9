package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventType;
import org.perpcore.core.liquidation.Liquidator;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;

/**
 * The ADL ranking kept across commands (the liquidation stage's AdlIndex: positions grouped by size, cost, margin
 * mode and wallet or isolated margin) hands out, at every auto-deleverage, exactly the order of the full sort of
 * AdlRanking computed afresh: checked position by position by {@link Liquidator#verifyRankingCache}, which throws
 * on the first difference (the fills, and so every event, follow from that order).
 *
 * <p>The populations are built to exercise the index: cohorts of traders opening identical positions (one group
 * each, hundreds of members), in cross and isolated mode, some cohorts in both markets (cross positions that rank
 * one by one), then a random stream that pulls members out of their groups one at a time (orders, deposits,
 * withdrawals, isolated-margin transfers, mode changes), funding that moves whole cohorts at once, margin-tier
 * changes that note every holder of a market at once, and shocks with thin books and a small fund so that many
 * commands auto-deleverage.
 */
class AdlIndexPropertyTest {
    private static final String[] SYMBOLS = {"BTCUSDT", "ETHUSDT"};
    private static final double[] START = {100_000, 3_000};

    @BeforeEach
    void verify() {
        Liquidator.verifyRankingCache(true);
    }

    @AfterEach
    void stopVerifying() {
        Liquidator.verifyRankingCache(false);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 77, 2026})
    void rankingsKeptAcrossCommandsEqualTheFullSort(long seed) throws ScenarioException {
        final Stream stream = new Stream(seed);
        final Engine engine = new Engine();
        final ScenarioParser parser = new ScenarioParser();
        final Command command = new Command();
        long seq = 0;
        for (String line : stream.setup()) {
            if (parser.parse(line, 0, command)) {
                command.seq = ++seq;
                engine.apply(command);
            }
        }
        int adl = 0;
        int commandsWithSeveral = 0;
        for (int i = 0; i < 12_000; i++) {
            if (!parser.parse(stream.next(), i, command)) {
                continue;
            }
            command.seq = ++seq;
            engine.apply(command); // throws on any difference from the full sort
            final int n = AdlRankingCacheTest.count(command, EventType.ADL);
            adl += n;
            commandsWithSeveral += n > 1 ? 1 : 0;
        }
        assertTrue(adl > 200, "auto-deleverage happened often: " + adl);
        assertTrue(commandsWithSeveral > 20, "several ADL fills in one command: " + commandsWithSeveral);
        assertTrue(stream.bracketChanges > 0, "margin tiers changed: every holder noted at once");
    }

    /** Cohorts of identical positions, then a random stream of what changes them. */
    private static final class Stream {
        private final SplittableRandom random;
        private final List<String> traders = new ArrayList<>();
        private final double[] index = START.clone();
        private long clientId;
        int bracketChanges;

        Stream(long seed) {
            random = new SplittableRandom(seed);
        }

        List<String> setup() {
            final List<String> lines = new ArrayList<>();
            lines.add("time 2025-10-10T14:00:00Z");
            lines.add("market BTCUSDT tick=0.1 step=0.001 priceBand=0.3 marketBand=0.1 insuranceCap=20000");
            lines.add("bracket BTCUSDT 0 0.005 125");
            lines.add("bracket BTCUSDT 50000 0.01 50");
            lines.add("market ETHUSDT tick=0.01 step=0.01 priceBand=0.3 marketBand=0.1 insuranceCap=5000 makerFee=0"
                + " takerFee=0");
            lines.add("bracket ETHUSDT 0 0.005 100");
            lines.add("bracket ETHUSDT 20000 0.01 50");
            lines.add("insurance BTCUSDT 200");
            lines.add("insurance ETHUSDT 100");
            lines.add("index BTCUSDT 100000");
            lines.add("index ETHUSDT 3000");
            for (int m = 0; m < 2; m++) {
                lines.add("deposit mm" + m + " 500000000");
                lines.add("leverage mm" + m + " BTCUSDT 20");
                lines.add("leverage mm" + m + " ETHUSDT 20");
            }
            // mm0 sells to the long cohorts and mm1 buys from the short ones, at the index: identical fills
            lines.add("order mm0 BTCUSDT sell limit 2000 100000 id=open0");
            lines.add("order mm1 BTCUSDT buy limit 2000 100000 id=open1");
            lines.add("order mm0 ETHUSDT sell limit 60000 3000 id=open2");
            lines.add("order mm1 ETHUSDT buy limit 60000 3000 id=open3");
            int t = 0;
            boolean isolated = false;
            int market = 0;
            boolean buy = false;
            int deposit = 0;
            int leverage = 0;
            String qtyBtc = "";
            String qtyEth = "";
            for (int cohort = 0; cohort < 24; cohort++) {
                final int members = cohort < 4 ? 150 + random.nextInt(100) : 10 + random.nextInt(40);
                // every sixth cohort holds what the one before holds, and the same in the other market (where
                // trading is free, so their wallets are alike): cross positions in two markets, each with the key
                // of a single-market one, yet ranked by both markets' prices
                final boolean both = cohort % 6 == 5;
                if (!both) {
                    isolated = cohort % 5 == 3;
                    market = cohort % 2;
                    buy = cohort % 4 < 2;
                    deposit = 300 + random.nextInt(4_000);
                    leverage = 10 + random.nextInt(90);
                    qtyBtc = String.format("%.3f", (5 + random.nextInt(60)) / 1000.0);
                    qtyEth = String.format("%.2f", (10 + random.nextInt(200)) / 100.0);
                }
                for (int k = 0; k < members; k++, t++) {
                    final String name = "t" + t;
                    traders.add(name);
                    lines.add("deposit " + name + " " + deposit);
                    for (int s = 0; s < 2; s++) {
                        if (isolated) {
                            lines.add("margin " + name + " " + SYMBOLS[s] + " isolated");
                        }
                        lines.add("leverage " + name + " " + SYMBOLS[s] + " " + leverage);
                    }
                    for (int s = 0; s < 2; s++) {
                        if (s == market || both) {
                            lines.add("order " + name + " " + SYMBOLS[s] + " " + (buy ? "buy" : "sell") + " limit "
                                + (s == 0 ? qtyBtc : qtyEth) + " " + (s == 0 ? "100000" : "3000"));
                        }
                    }
                }
            }
            lines.add("cancel-all mm0 BTCUSDT");
            lines.add("cancel-all mm1 BTCUSDT");
            lines.add("cancel-all mm0 ETHUSDT");
            lines.add("cancel-all mm1 ETHUSDT");
            return lines;
        }

        String next() {
            final int s = random.nextInt(2);
            final String symbol = SYMBOLS[s];
            final int kind = random.nextInt(1000);
            if (kind < 150) {
                final int shock = random.nextInt(100);
                final double move = shock < 6 ? 0.02 + 0.04 * random.nextDouble() : 0.004 * random.nextDouble();
                final double pull = (START[s] - index[s]) / START[s] * 0.15;
                index[s] *= 1 + move * (random.nextBoolean() ? 1 : -1) + pull;
                return "index " + symbol + " " + price(s, index[s]);
            }
            if (kind < 400) {
                final String mm = "mm" + random.nextInt(2);
                final boolean buy = random.nextBoolean();
                final double offset = (1 + random.nextInt(80)) * 0.001;
                return "order " + mm + " " + symbol + " " + (buy ? "buy" : "sell") + " limit " + qty(s, 1)
                    + " " + price(s, index[s] * (buy ? 1 - offset : 1 + offset)) + " id=q" + (clientId++);
            }
            if (kind < 470) {
                return "cancel-all mm" + random.nextInt(2) + " " + symbol;
            }
            final String trader = traders.get(random.nextInt(traders.size()));
            if (kind < 640) {
                return "order " + trader + " " + symbol + " " + (random.nextBoolean() ? "buy" : "sell")
                    + " market " + qty(s, 1) + (random.nextInt(4) == 0 ? " reduceOnly" : "");
            }
            if (kind < 720) {
                return "isolated-margin " + trader + " " + symbol + " " + (random.nextBoolean() ? "" : "-")
                    + (1 + random.nextInt(50));
            }
            if (kind < 860) {
                return "deposit " + trader + " " + (1 + random.nextInt(300));
            }
            if (kind < 900) {
                return "withdraw " + trader + " " + (1 + random.nextInt(100));
            }
            if (kind < 930) {
                return "leverage " + trader + " " + symbol + " " + (10 + random.nextInt(90));
            }
            if (kind < 975) {
                return "advance " + (1 + random.nextInt(3)) + "h"; // funding: whole cohorts change together
            }
            if (kind < 985) {
                bracketChanges++;
                return "bracket " + symbol + " " + (s == 0 ? "50000" : "20000") + " "
                    + (random.nextBoolean() ? "0.01" : "0.0125") + " 50";
            }
            if (kind < 990) {
                return "insurance " + symbol + " " + (1 + random.nextInt(100));
            }
            return "margin " + trader + " " + symbol + " " + (random.nextBoolean() ? "isolated" : "cross");
        }

        private String price(int s, double p) {
            return s == 0 ? String.format("%.1f", p) : String.format("%.2f", p);
        }

        private String qty(int s, int max) {
            return s == 0 ? String.format("%.3f", (1 + random.nextInt(max * 100)) / 1000.0)
                : String.format("%.2f", (1 + random.nextInt(max * 300)) / 100.0);
        }
    }
}
