package org.perpcore.core.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded scenario script built to liquidate, for replay, snapshot and crash tests: thin ladders of three market
 * makers around an index that walks, crashes and squeezes (pulled back toward its start), sixty traders at 10x to
 * 100x in both margin modes, small insurance funds (one market's fund shared, one with a takeover cap), slices on
 * large positions, a circuit breaker, steep margin tiers (partial liquidations), funding as time passes. Adapted from
 * the population of {@code LiquidationPropertyTest}, with amends and cancels by client id, forced marks and queries.
 *
 * <p>Unlike {@code RandomCommands} it does not learn from the engine: line {@code i} is a pure function of the seed
 * and {@code i}, so any prefix can be regenerated (a crashed run continues where its journal ends).
 */
public final class CascadeScript {
    private final SplittableRandom random;
    private final List<String> traders = new ArrayList<>();
    private final String[] symbols = {"BTCUSDT", "ETHUSDT"};
    private final double[] start = {100_000, 3_000};
    private final double[] index = {100_000, 3_000};
    private final List<String> setup = new ArrayList<>();
    private long clientId;
    private int issued;

    public CascadeScript(long seed) {
        random = new SplittableRandom(seed);
        setup.add("time 2025-10-10T14:00:00Z");
        setup.add("market BTCUSDT tick=0.1 step=0.001 priceBand=0.2 marketBand=0.1 liquidationFee=0.01"
            + " insuranceCap=300000 sliceNotional=150000 sliceFraction=0.3 sliceInterval=5s");
        setup.add("bracket BTCUSDT 0 0.005 100");
        setup.add("bracket BTCUSDT 30000 0.015 50");
        setup.add("bracket BTCUSDT 100000 0.03 25");
        setup.add("bracket BTCUSDT 300000 0.05 10");
        setup.add("market ETHUSDT tick=0.01 step=0.01 priceBand=0.2 marketBand=0.1 makerFee=-0.0001"
            + " insuranceShared=1 haltMove=0.06 haltWindow=1m haltFor=2m");
        setup.add("bracket ETHUSDT 0 0.005 100");
        setup.add("bracket ETHUSDT 10000 0.0065 75");
        setup.add("bracket ETHUSDT 100000 0.01 50");
        setup.add("insurance BTCUSDT 3000");
        setup.add("insurance ETHUSDT 1000");
        for (int m = 0; m < 3; m++) {
            setup.add("deposit mm" + m + " 20000000");
        }
        for (int t = 0; t < 60; t++) {
            final String name = "t" + t;
            traders.add(name);
            setup.add("deposit " + name + " " + (100 + random.nextInt(30_000)));
            for (String s : symbols) {
                if (random.nextInt(10) < 3) {
                    setup.add("margin " + name + " " + s + " isolated");
                }
                setup.add("leverage " + name + " " + s + " " + (10 + random.nextInt(91)));
            }
        }
        setup.add("index BTCUSDT 100000");
        setup.add("index ETHUSDT 3000");
    }

    /** The first {@code n} lines of the script (setup first), every one of them a command except the first. */
    public static List<String> lines(long seed, int n) {
        final CascadeScript script = new CascadeScript(seed);
        final List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lines.add(script.next());
        }
        return lines;
    }

    /** The next line: the setup's lines first, then the traffic. */
    public String next() {
        if (issued < setup.size()) {
            return setup.get(issued++);
        }
        issued++;
        final int s = random.nextInt(2);
        final String symbol = symbols[s];
        final int kind = random.nextInt(100);
        if (kind < 14) {
            final int shock = random.nextInt(100);
            final double move = shock < 4 ? 0.03 + 0.05 * random.nextDouble() : 0.006 * random.nextDouble();
            final double pull = (start[s] - index[s]) / start[s] * 0.1;
            index[s] *= 1 + move * (random.nextBoolean() ? 1 : -1) + pull;
            return "index " + symbol + " " + price(s, index[s]);
        }
        if (kind < 40) {
            final String mm = "mm" + random.nextInt(3);
            final boolean buy = random.nextBoolean();
            final double offset = (1 + random.nextInt(60)) * 0.001;
            return "order " + mm + " " + symbol + " " + (buy ? "buy" : "sell") + " limit " + qty(s, 1)
                + " " + price(s, index[s] * (buy ? 1 - offset : 1 + offset)) + " id=q" + (clientId++);
        }
        if (kind < 42) {
            // an amend of a recent maker quote (often gone already: a rejection is part of the stream)
            final long id = Math.max(0, clientId - 1 - random.nextInt(20));
            return "amend mm" + random.nextInt(3) + " " + symbol + " q" + id + " qty=" + qty(s, 1);
        }
        if (kind < 48) {
            return "cancel-all mm" + random.nextInt(3) + " " + symbol;
        }
        final String trader = traders.get(random.nextInt(traders.size()));
        if (kind < 71) {
            return "order " + trader + " " + symbol + " " + (random.nextInt(10) < 6 ? "buy" : "sell")
                + " market " + qty(s, 3) + (random.nextInt(6) == 0 ? " reduceOnly" : "");
        }
        if (kind < 81) {
            final boolean buy = random.nextBoolean();
            return "order " + trader + " " + symbol + " " + (buy ? "buy" : "sell") + " limit " + qty(s, 2) + " "
                + price(s, index[s] * (buy ? 0.997 : 1.003)) + " id=r" + (clientId++)
                + (random.nextInt(5) == 0 ? " reduceOnly" : "");
        }
        if (kind < 83) {
            return "cancel-all " + trader + " " + symbol;
        }
        if (kind < 84) {
            return "cancel " + trader + " " + symbol + " r" + Math.max(0, clientId - 1 - random.nextInt(40));
        }
        if (kind < 87) {
            return "isolated-margin " + trader + " " + symbol + " " + (random.nextBoolean() ? "" : "-")
                + (1 + random.nextInt(300));
        }
        if (kind < 90) {
            return "deposit " + trader + " " + (50 + random.nextInt(2000));
        }
        if (kind < 91) {
            return "withdraw " + trader + " " + (1 + random.nextInt(500));
        }
        if (kind < 93) {
            return "leverage " + trader + " " + symbol + " " + (10 + random.nextInt(91));
        }
        if (kind < 96) {
            return "advance " + (1 + random.nextInt(40)) + "s";
        }
        if (kind < 97) {
            return "insurance " + symbol + " " + (1 + random.nextInt(500));
        }
        if (kind < 98) {
            return random.nextBoolean() ? "query position " + trader + " " + symbol : "query account " + trader;
        }
        if (kind < 99 && random.nextInt(4) == 0) {
            return "mark " + symbol + " " + price(s, index[s] * (1 + (random.nextDouble() - 0.5) * 0.01));
        }
        return "margin " + trader + " " + symbol + " " + (random.nextBoolean() ? "isolated" : "cross");
    }

    private static String price(int s, double p) {
        return s == 0 ? String.format(Locale.ROOT, "%.1f", p) : String.format(Locale.ROOT, "%.2f", p);
    }

    private String qty(int s, int max) {
        return s == 0 ? String.format(Locale.ROOT, "%.3f", (1 + random.nextInt(max * 1000)) / 1000.0)
            : String.format(Locale.ROOT, "%.2f", (1 + random.nextInt(max * 100)) / 10.0);
    }
}
