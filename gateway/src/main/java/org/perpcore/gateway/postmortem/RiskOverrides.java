package org.perpcore.gateway.postmortem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.num.Decimal;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;

/**
 * Changed risk parameters for a what-if replay, from {@code --set market.SYMBOL.KEY=VALUE} settings, applied to a
 * recorded command stream as it is replayed ({@link #feed}): the stream stays the same orders, deposits and
 * prices; only the market's risk settings differ, and the engine decides the rest.
 *
 * <ul>
 *   <li>any {@code market} key but tick and step ({@link MarketParam}: leverage cap, liquidation fee, circuit
 *       breaker {@code haltMove}/{@code haltWindow}/{@code haltFor}, ADL and fund policy {@code insuranceCap},
 *       {@code insuranceFloor}, {@code insuranceShared}, {@code adlRefresh}, slicing...), with the scenario
 *       syntax's values: it is added to the market's creation and wins over later updates of the same key;</li>
 *   <li>{@code maxLeverage} also caps every {@code leverage} command of the market at the new maximum (traders
 *       who asked for more get the most they may have, so their orders need more margin);</li>
 *   <li>{@code brackets=FLOOR:MMR:LEV/FLOOR:MMR:LEV/...} replaces the margin tiers (floors in USDT, the first 0);
 *       {@code mmrScale=X} multiplies every tier's maintenance margin rate;</li>
 *   <li>{@code insuranceFund=AMOUNT} replaces the amount of the market's first insurance deposit (0: none).</li>
 * </ul>
 */
public final class RiskOverrides {
    private static final String BRACKETS = "brackets";
    private static final String MMR_SCALE = "mmrScale";
    private static final String INSURANCE_FUND = "insuranceFund";

    /** Per symbol: the market parameters to impose and the other settings. */
    private static final class Market {
        final Command params = new Command();
        long[][] brackets;
        double mmrScale = 1;
        long insuranceFundE8 = -1;
        boolean created;
        boolean bracketsReplaced;
        boolean insuranceReplaced;
    }

    private final Map<String, Market> markets = new LinkedHashMap<>();
    private final List<String> settings = new ArrayList<>();

    private RiskOverrides() {
    }

    /** The keys a setting may name after {@code market.SYMBOL.}. */
    public static List<String> validKeys() {
        final List<String> keys = new ArrayList<>();
        for (MarketParam p : MarketParam.values()) {
            if (p != MarketParam.TICK && p != MarketParam.STEP) {
                keys.add(p.key());
            }
        }
        keys.add(BRACKETS);
        keys.add(MMR_SCALE);
        keys.add(INSURANCE_FUND);
        return keys;
    }

    /**
     * Parses {@code market.SYMBOL.KEY=VALUE} settings.
     *
     * @throws IllegalArgumentException naming the bad setting and why (with the valid keys for an unknown one)
     */
    public static RiskOverrides parse(List<String> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("give at least one --set market.SYMBOL.KEY=VALUE (keys: "
                + String.join(", ", validKeys()) + ")");
        }
        final RiskOverrides o = new RiskOverrides();
        for (String set : sets) {
            o.add(set);
        }
        return o;
    }

    private void add(String set) {
        final int eq = set.indexOf('=');
        final String path = eq < 0 ? set : set.substring(0, eq);
        final String[] parts = path.split("\\.", -1);
        if (eq < 0 || parts.length != 3 || !parts[0].equals("market") || parts[1].isEmpty()) {
            throw new IllegalArgumentException("'" + set + "': expected market.SYMBOL.KEY=VALUE, e.g."
                + " market.BTCUSDT.maxLeverage=20 (keys: " + String.join(", ", validKeys()) + ")");
        }
        final String symbol = parts[1];
        final String key = parts[2];
        final String value = set.substring(eq + 1);
        if (!validKeys().contains(key)) {
            throw new IllegalArgumentException("'" + set + "': unknown key '" + key + "'; valid keys: "
                + String.join(", ", validKeys()));
        }
        final Market m = markets.computeIfAbsent(symbol, s -> new Market());
        switch (key) {
            case BRACKETS -> m.brackets = brackets(set, value);
            case MMR_SCALE -> m.mmrScale = positiveNumber(set, value);
            case INSURANCE_FUND -> {
                final long amount = decimal(set, value);
                if (amount < 0) {
                    throw new IllegalArgumentException("'" + set + "': the fund's deposit cannot be negative");
                }
                m.insuranceFundE8 = amount;
            }
            default -> marketParam(set, symbol, key, value, m);
        }
        settings.add(set);
    }

    /** A market key, parsed exactly as a scenario's {@code market} line parses it. */
    private static void marketParam(String set, String symbol, String key, String value, Market m) {
        final Command c = new Command();
        try {
            new ScenarioParser().parse("market " + symbol + " " + key + "=" + value, 1, c);
        } catch (ScenarioException e) {
            throw new IllegalArgumentException("'" + set + "': " + e.getMessage().replaceFirst("^line 1: ", ""));
        }
        final MarketParam p = MarketParam.fromKey(key);
        m.params.param(p, c.param(p));
    }

    private static long[][] brackets(String set, String value) {
        final String[] tiers = value.split("/");
        final long[][] out = new long[tiers.length][];
        for (int i = 0; i < tiers.length; i++) {
            final String[] f = tiers[i].split(":");
            if (f.length != 3) {
                throw new IllegalArgumentException("'" + set + "': tier " + (i + 1) + " '" + tiers[i]
                    + "': expected FLOOR:MMR:MAXLEVERAGE (e.g. 0:0.004:125/50000:0.005:100)");
            }
            final long floor = decimal(set, f[0]);
            final long mmr = decimal(set, f[1]);
            final long leverage;
            try {
                leverage = Long.parseLong(f[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + set + "': tier " + (i + 1) + ": max leverage '" + f[2]
                    + "' is not a whole number");
            }
            if ((i == 0) != (floor == 0) || mmr <= 0 || mmr >= Fixed.E8 || leverage < 1 || leverage > 125) {
                throw new IllegalArgumentException("'" + set + "': tier " + (i + 1) + ": the first floor must be 0 and"
                    + " only the first, the MMR within (0, 1), the max leverage 1 to 125");
            }
            out[i] = new long[] {floor, mmr, leverage};
        }
        return out;
    }

    private static long decimal(String set, String value) {
        try {
            return Decimal.parseE8(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + set + "': '" + value + "' is not a decimal number");
        }
    }

    private static double positiveNumber(String set, String value) {
        final double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + set + "': '" + value + "' is not a number");
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("'" + set + "': the scale must be positive");
        }
        return v;
    }

    /** The settings as given. */
    public List<String> settings() {
        return List.copyOf(settings);
    }

    /** The symbols the settings name. */
    public Set<String> symbols() {
        return new TreeSet<>(markets.keySet());
    }

    /**
     * Passes {@code c} on to {@code sink} as the changed parameters have it: unchanged, rewritten in place, left
     * out, or (the first tier of replaced brackets) as the new tiers one after the other. The commands handed on
     * are {@code c} itself or a scratch command, valid until the next call.
     */
    public void feed(Command c, Consumer<Command> sink) {
        final Market m = c.type == null ? null : markets.get(c.symbol.toString());
        if (m == null) {
            sink.accept(c);
            return;
        }
        switch (c.type) {
            case MARKET -> {
                for (MarketParam p : MarketParam.values()) {
                    if (m.params.has(p) && (!m.created || c.has(p))) {
                        c.param(p, m.params.param(p));
                    }
                }
                m.created = true;
                sink.accept(c);
            }
            case LEVERAGE -> {
                if (m.params.has(MarketParam.MAX_LEVERAGE)) {
                    c.leverage = (int) Math.min(c.leverage, m.params.param(MarketParam.MAX_LEVERAGE));
                }
                sink.accept(c);
            }
            case BRACKET -> {
                if (m.brackets != null) {
                    if (!m.bracketsReplaced) {
                        m.bracketsReplaced = true;
                        final Command tier = new Command();
                        for (long[] t : m.brackets) {
                            tier.clear();
                            tier.type = CommandType.BRACKET;
                            tier.symbol.set(c.symbol);
                            tier.timestampMs = c.timestampMs;
                            tier.seq = c.seq;
                            tier.floorE8 = t[0];
                            tier.mmrE8 = scaled(t[1], m.mmrScale);
                            tier.leverage = (int) t[2];
                            sink.accept(tier);
                        }
                    }
                    return; // the recorded tiers are replaced
                }
                c.mmrE8 = scaled(c.mmrE8, m.mmrScale);
                sink.accept(c);
            }
            case INSURANCE -> {
                if (m.insuranceFundE8 >= 0 && !m.insuranceReplaced) {
                    m.insuranceReplaced = true;
                    if (m.insuranceFundE8 == 0) {
                        return;
                    }
                    c.amountE8 = m.insuranceFundE8;
                }
                sink.accept(c);
            }
            default -> sink.accept(c);
        }
    }

    private static long scaled(long mmrE8, double scale) {
        return scale == 1 ? mmrE8 : Math.min(Fixed.E8 - 1, Math.max(1, Math.round(mmrE8 * scale)));
    }
}
