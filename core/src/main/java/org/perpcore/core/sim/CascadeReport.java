package org.perpcore.core.sim;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.DirectBuffer;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventView;
import org.perpcore.core.event.EventWalker;
import org.perpcore.core.model.LiquidationStage;
import org.perpcore.core.model.Side;
import org.perpcore.core.num.Decimal;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.pipeline.OutputStage;

/**
 * What a cascade did, built from the engine's events alone, so it reads a live run, a pipeline's output stage
 * or a replayed event journal alike: liquidations (accounts, count, notional of longs and shorts, by stage, the
 * largest), the insurance funds (start, low, final), auto-deleverage, bad debt, the mark's low, and liquidations per
 * minute. Printable as text ({@link #toText}) and JSON ({@link #toJson}). Money is E8.
 *
 * <p>A <em>liquidation</em> is one account's run of LIQUIDATION events within one command (a partial and the full
 * close that may follow it count once); its notional is the sum of its fills' quantity x price, whatever the stage
 * (book, fund takeover, ADL). Insurance funds (accounts whose names start with {@code $}) are not traders: the
 * deleveraging of a fund's own positions shows in the ADL figures only.
 */
public final class CascadeReport {
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /** One insurance fund's balances (its equity, as INSURANCE events give it). */
    public record Fund(String name, long startE8, long lowE8, long lowAtMs, long finalE8, long paidE8,
                       long receivedE8) {
    }

    /** Liquidations that started in one minute. */
    public record Minute(long startMs, int liquidations, long longNotionalE8, long shortNotionalE8, int adlFills) {
    }

    /** The largest single liquidation. */
    public record Largest(String account, boolean longPosition, long notionalE8, long atMs) {
    }

    private final long commands;
    private final long events;
    private final long firstMs;
    private final long lastMs;
    private final int liquidations;
    private final int accountsLiquidated;
    private final int partials;
    private final long longNotionalE8;
    private final long shortNotionalE8;
    private final long[] stageNotionalE8;
    private final Largest largest;
    private final long firstLiquidationMs;
    private final long lastLiquidationMs;
    private final List<Fund> funds;
    private final int adlFills;
    private final int adlAccounts;
    private final long adlNotionalE8;
    private final long badDebtE8;
    private final long badDebtUncoveredE8;
    private final int marginCalls;
    private final int rejects;
    private final int halts;
    private final long markLowE8;
    private final long markLowAtMs;
    private final List<Minute> minutes;
    private final long eventDigest;
    private final int stopsPlaced;
    private final int stopsTriggered;
    private final long stopSellNotionalE8;
    private final long stopBuyNotionalE8;
    private final long bookSellNotionalE8;
    private final long bookBuyNotionalE8;

    private CascadeReport(Collector c) {
        commands = c.commands;
        events = c.events;
        firstMs = c.firstMs;
        lastMs = c.lastMs;
        liquidations = c.liquidations;
        accountsLiquidated = c.liquidated.cardinality();
        partials = c.partials;
        longNotionalE8 = c.longNotionalE8;
        shortNotionalE8 = c.shortNotionalE8;
        stageNotionalE8 = c.stageNotionalE8.clone();
        largest = c.largestAccount < 0 ? null
            : new Largest(c.name(c.largestAccount), c.largestLong, c.largestNotionalE8, c.largestAtMs);
        firstLiquidationMs = c.firstLiquidationMs;
        lastLiquidationMs = c.lastLiquidationMs;
        final List<Fund> f = new ArrayList<>();
        for (Map.Entry<Integer, long[]> e : c.funds.entrySet()) {
            final long[] v = e.getValue();
            f.add(new Fund(c.name(e.getKey()), v[0], v[1], v[2], v[3], v[4], v[5]));
        }
        funds = List.copyOf(f);
        adlFills = c.adlFills;
        adlAccounts = c.deleveraged.cardinality();
        adlNotionalE8 = c.adlNotionalE8;
        badDebtE8 = c.badDebtE8;
        badDebtUncoveredE8 = c.badDebtUncoveredE8;
        marginCalls = c.marginCalls;
        rejects = c.rejects;
        halts = c.halts;
        markLowE8 = c.markLowE8 == Long.MAX_VALUE ? 0 : c.markLowE8;
        markLowAtMs = c.markLowAtMs;
        final List<Minute> m = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : c.perMinute.entrySet()) {
            final long[] v = e.getValue();
            m.add(new Minute(e.getKey(), (int) v[0], v[1], v[2], (int) v[3]));
        }
        minutes = List.copyOf(m);
        eventDigest = c.digest;
        stopsPlaced = c.stopsPlaced;
        stopsTriggered = c.stopsTriggered;
        stopSellNotionalE8 = c.stopSellNotionalE8;
        stopBuyNotionalE8 = c.stopBuyNotionalE8;
        bookSellNotionalE8 = c.bookSellNotionalE8;
        bookBuyNotionalE8 = c.bookBuyNotionalE8;
    }

    // ---------------------------------------------------------------------------------------- figures

    public long commands() {
        return commands;
    }

    public long events() {
        return events;
    }

    /** Liquidations (see the class comment): one per account and command that liquidated it. */
    public int liquidations() {
        return liquidations;
    }

    /** Distinct traders liquidated at least once. */
    public int accountsLiquidated() {
        return accountsLiquidated;
    }

    /** Liquidations that began with a partial reduction (a lower margin tier). */
    public int partials() {
        return partials;
    }

    /** Notional of long positions liquidated (quantity x fill price), E8. */
    public long longNotionalE8() {
        return longNotionalE8;
    }

    public long shortNotionalE8() {
        return shortNotionalE8;
    }

    /** Notional liquidated by stage: in the book, taken over by the insurance fund, auto-deleveraged. */
    public long stageNotionalE8(LiquidationStage stage) {
        return stageNotionalE8[stage.code()];
    }

    /** The largest single liquidation, or null when there was none. */
    public Largest largest() {
        return largest;
    }

    /** Time of the first and last liquidation (ms; 0 when none). */
    public long firstLiquidationMs() {
        return firstLiquidationMs;
    }

    public long lastLiquidationMs() {
        return lastLiquidationMs;
    }

    public List<Fund> funds() {
        return funds;
    }

    /** ADL fills (each closes part of a trader's position against a bankrupt account or a fund). */
    public int adlFills() {
        return adlFills;
    }

    /** Distinct traders auto-deleveraged. */
    public int adlAccounts() {
        return adlAccounts;
    }

    public long adlNotionalE8() {
        return adlNotionalE8;
    }

    /** Negative wallets the funds brought back to zero, E8, and the part their equity could not cover. */
    public long badDebtE8() {
        return badDebtE8;
    }

    public long badDebtUncoveredE8() {
        return badDebtUncoveredE8;
    }

    public int marginCalls() {
        return marginCalls;
    }

    /** Commands the engine rejected (a sound simulation has none). */
    public int rejects() {
        return rejects;
    }

    public int halts() {
        return halts;
    }

    public long markLowE8() {
        return markLowE8;
    }

    public long markLowAtMs() {
        return markLowAtMs;
    }

    /** Minutes in which liquidations started, in time order (minutes without any are left out). */
    public List<Minute> minutes() {
        return minutes;
    }

    /** Liquidations that started within {@code [fromMs, toMs)}. */
    public int liquidationsBetween(long fromMs, long toMs) {
        int n = 0;
        for (Minute m : minutes) {
            if (m.startMs >= fromMs && m.startMs < toMs) {
                n += m.liquidations;
            }
        }
        return n;
    }

    /** Long and short notional liquidated within {@code [fromMs, toMs)}, E8. */
    public long notionalBetweenE8(long fromMs, long toMs) {
        long n = 0;
        for (Minute m : minutes) {
            if (m.startMs >= fromMs && m.startMs < toMs) {
                n += m.longNotionalE8 + m.shortNotionalE8;
            }
        }
        return n;
    }

    /** The minute with the most liquidations (the first such), or null. */
    public Minute busiestMinute() {
        Minute best = null;
        for (Minute m : minutes) {
            if (best == null || m.liquidations > best.liquidations) {
                best = m;
            }
        }
        return best;
    }

    /** A 64-bit digest of every event byte with its command's sequence number and time: equal runs, equal digests. */
    public long eventDigest() {
        return eventDigest;
    }

    /** Conditional orders placed (accepted: ORDER NEW) and triggered. */
    public int stopsPlaced() {
        return stopsPlaced;
    }

    public int stopsTriggered() {
        return stopsTriggered;
    }

    /**
     * Stop-driven selling and buying: the fills of triggered conditional orders (stop-losses, take-profits,
     * trailing stops), quantity x fill price, E8.
     */
    public long stopSellNotionalE8() {
        return stopSellNotionalE8;
    }

    public long stopBuyNotionalE8() {
        return stopBuyNotionalE8;
    }

    /**
     * Liquidation-driven selling and buying in the order book: the BOOK-stage fills of liquidated longs (sells)
     * and shorts (buys), E8. The fund's takeovers and ADL close positions off the book.
     */
    public long bookSellNotionalE8() {
        return bookSellNotionalE8;
    }

    public long bookBuyNotionalE8() {
        return bookBuyNotionalE8;
    }

    // ---------------------------------------------------------------------------------------- text

    /** The report as text, one figure a line, then the liquidations per minute. */
    public String toText() {
        final StringBuilder s = new StringBuilder(4096);
        s.append("cascade: ").append(String.format("%,d", commands)).append(" commands, ")
            .append(String.format("%,d", events)).append(" events, ").append(time(firstMs)).append(" to ")
            .append(time(lastMs)).append('\n');
        final long total = longNotionalE8 + shortNotionalE8;
        s.append("liquidations: ").append(String.format("%,d", liquidations)).append(" of ")
            .append(String.format("%,d", accountsLiquidated)).append(" accounts (").append(String.format("%,d", partials))
            .append(" starting with a partial)\n");
        s.append("  notional liquidated: ").append(usd(total)).append(" USDT: longs ").append(usd(longNotionalE8))
            .append(" (").append(percent(longNotionalE8, total)).append("), shorts ").append(usd(shortNotionalE8))
            .append(" (").append(percent(shortNotionalE8, total)).append(")\n");
        s.append("  by stage: book ").append(usd(stageNotionalE8[LiquidationStage.BOOK.code()]))
            .append(", insurance takeover ").append(usd(stageNotionalE8[LiquidationStage.INSURANCE.code()]))
            .append(", ADL ").append(usd(stageNotionalE8[LiquidationStage.ADL.code()])).append('\n');
        if (largest != null) {
            s.append("  largest single: ").append(largest.account).append(largest.longPosition ? " long " : " short ")
                .append(usd(largest.notionalE8)).append(" USDT at ").append(time(largest.atMs)).append('\n');
        }
        if (liquidations > 0) {
            final Minute busiest = busiestMinute();
            s.append("  first ").append(time(firstLiquidationMs)).append(", last ").append(time(lastLiquidationMs))
                .append(", busiest minute ").append(MINUTE.format(Instant.ofEpochMilli(busiest.startMs))).append(" (")
                .append(String.format("%,d", busiest.liquidations)).append(" liquidations, ")
                .append(usd(busiest.longNotionalE8 + busiest.shortNotionalE8)).append(" USDT)\n");
        }
        for (Fund f : funds) {
            s.append("insurance fund ").append(f.name).append(": start ").append(usd(f.startE8)).append(", low ")
                .append(usd(f.lowE8)).append(" at ").append(time(f.lowAtMs)).append(", final ").append(usd(f.finalE8))
                .append(" USDT (paid out ").append(usd(f.paidE8)).append(", took in ").append(usd(f.receivedE8))
                .append(")\n");
        }
        s.append("auto-deleverage: ").append(String.format("%,d", adlFills)).append(" fills against ")
            .append(String.format("%,d", adlAccounts)).append(" accounts, notional ").append(usd(adlNotionalE8))
            .append(" USDT\n");
        s.append("bad debt: ").append(usd(badDebtE8)).append(" USDT brought back to zero by the funds, ")
            .append(usd(badDebtUncoveredE8)).append(" uncovered\n");
        s.append("selling into the book: liquidations ").append(usd(bookSellNotionalE8)).append(", stop orders ")
            .append(usd(stopSellNotionalE8)).append(" USDT; buying: liquidations ").append(usd(bookBuyNotionalE8))
            .append(", stop orders ").append(usd(stopBuyNotionalE8)).append(" (stops placed ")
            .append(String.format("%,d", stopsPlaced)).append(", triggered ").append(String.format("%,d", stopsTriggered))
            .append(")\n");
        s.append("mark low: ").append(price(markLowE8)).append(" at ").append(time(markLowAtMs))
            .append("; margin calls ").append(String.format("%,d", marginCalls)).append(", halts ").append(halts)
            .append(", rejected commands ").append(rejects).append('\n');
        s.append("liquidations per minute (UTC: count, long / short notional USDT, ADL fills):\n");
        for (Minute m : minutes) {
            s.append("  ").append(MINUTE.format(Instant.ofEpochMilli(m.startMs))).append(' ')
                .append(String.format("%7s", String.format("%,d", m.liquidations))).append("  ")
                .append(usd(m.longNotionalE8)).append(" / ").append(usd(m.shortNotionalE8));
            if (m.adlFills > 0) {
                s.append("  ADL ").append(m.adlFills);
            }
            s.append('\n');
        }
        return s.toString();
    }

    // ---------------------------------------------------------------------------------------- JSON

    /** The report as one JSON object; decimals are strings, times ISO-8601 UTC. */
    public String toJson() {
        final StringBuilder s = new StringBuilder(4096);
        s.append('{');
        field(s, "commands", commands).append(',');
        field(s, "events", events).append(',');
        str(s, "from", time(firstMs)).append(',');
        str(s, "to", time(lastMs)).append(',');
        field(s, "liquidations", liquidations).append(',');
        field(s, "accountsLiquidated", accountsLiquidated).append(',');
        field(s, "partialLiquidations", partials).append(',');
        str(s, "longNotional", Decimal.toString(longNotionalE8, 2)).append(',');
        str(s, "shortNotional", Decimal.toString(shortNotionalE8, 2)).append(',');
        s.append("\"byStage\":{");
        str(s, "BOOK", Decimal.toString(stageNotionalE8[LiquidationStage.BOOK.code()], 2)).append(',');
        str(s, "INSURANCE", Decimal.toString(stageNotionalE8[LiquidationStage.INSURANCE.code()], 2)).append(',');
        str(s, "ADL", Decimal.toString(stageNotionalE8[LiquidationStage.ADL.code()], 2)).append("},");
        if (largest != null) {
            s.append("\"largest\":{");
            str(s, "account", largest.account).append(',');
            str(s, "side", largest.longPosition ? "LONG" : "SHORT").append(',');
            str(s, "notional", Decimal.toString(largest.notionalE8, 2)).append(',');
            str(s, "time", time(largest.atMs)).append("},");
        }
        str(s, "firstLiquidation", time(firstLiquidationMs)).append(',');
        str(s, "lastLiquidation", time(lastLiquidationMs)).append(',');
        s.append("\"insuranceFunds\":[");
        for (int i = 0; i < funds.size(); i++) {
            final Fund f = funds.get(i);
            s.append(i == 0 ? "{" : ",{");
            str(s, "fund", f.name).append(',');
            str(s, "start", Decimal.toString(f.startE8, 2)).append(',');
            str(s, "low", Decimal.toString(f.lowE8, 2)).append(',');
            str(s, "lowTime", time(f.lowAtMs)).append(',');
            str(s, "final", Decimal.toString(f.finalE8, 2)).append(',');
            str(s, "paidOut", Decimal.toString(f.paidE8, 2)).append(',');
            str(s, "tookIn", Decimal.toString(f.receivedE8, 2)).append('}');
        }
        s.append("],");
        field(s, "adlFills", adlFills).append(',');
        field(s, "adlAccounts", adlAccounts).append(',');
        str(s, "adlNotional", Decimal.toString(adlNotionalE8, 2)).append(',');
        str(s, "badDebt", Decimal.toString(badDebtE8, 2)).append(',');
        str(s, "badDebtUncovered", Decimal.toString(badDebtUncoveredE8, 2)).append(',');
        str(s, "markLow", Decimal.toPlain(markLowE8)).append(',');
        str(s, "markLowTime", time(markLowAtMs)).append(',');
        field(s, "marginCalls", marginCalls).append(',');
        field(s, "halts", halts).append(',');
        field(s, "rejects", rejects).append(',');
        field(s, "stopsPlaced", stopsPlaced).append(',');
        field(s, "stopsTriggered", stopsTriggered).append(',');
        str(s, "stopSellNotional", Decimal.toString(stopSellNotionalE8, 2)).append(',');
        str(s, "stopBuyNotional", Decimal.toString(stopBuyNotionalE8, 2)).append(',');
        str(s, "liquidationBookSellNotional", Decimal.toString(bookSellNotionalE8, 2)).append(',');
        str(s, "liquidationBookBuyNotional", Decimal.toString(bookBuyNotionalE8, 2)).append(',');
        str(s, "eventDigest", String.format("%016x", eventDigest)).append(',');
        s.append("\"perMinute\":[");
        for (int i = 0; i < minutes.size(); i++) {
            final Minute m = minutes.get(i);
            s.append(i == 0 ? "{" : ",{");
            str(s, "minute", time(m.startMs)).append(',');
            field(s, "liquidations", m.liquidations).append(',');
            str(s, "longNotional", Decimal.toString(m.longNotionalE8, 2)).append(',');
            str(s, "shortNotional", Decimal.toString(m.shortNotionalE8, 2)).append(',');
            field(s, "adlFills", m.adlFills).append('}');
        }
        s.append("]}");
        return s.toString();
    }

    private static StringBuilder field(StringBuilder s, String name, long value) {
        return s.append('"').append(name).append("\":").append(value);
    }

    private static StringBuilder str(StringBuilder s, String name, String value) {
        s.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                s.append('\\');
            }
            s.append(c);
        }
        return s.append('"');
    }

    static String time(long ms) {
        return ms == 0 ? "-" : TIME.format(Instant.ofEpochMilli(ms));
    }

    /** Money (E8) to the cent with thousands separators, rounded toward zero: "1,234,567.89". */
    public static String usd(long e8) {
        final String plain = Decimal.toString(e8, 2);
        final boolean negative = plain.startsWith("-");
        final String digits = negative ? plain.substring(1) : plain;
        final int point = digits.indexOf('.');
        final StringBuilder s = new StringBuilder(digits.length() + 8);
        for (int i = 0; i < point; i++) {
            if (i > 0 && (point - i) % 3 == 0) {
                s.append(',');
            }
            s.append(digits.charAt(i));
        }
        s.append(digits, point, digits.length());
        return negative ? "-" + s : s.toString();
    }

    private static String price(long e8) {
        return Decimal.toPlain(e8);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format("%.1f %%", 100.0 * part / whole);
    }

    // ---------------------------------------------------------------------------------------- the collector

    /**
     * Reads events, command by command, and builds the report. Feed it every command of a run from the start (it
     * learns account names from ACCOUNT_CREATED events), as an {@link OutputStage} of a pipeline, with
     * {@link #accept(Command)}, or from an event journal with {@link #accept(long, long, DirectBuffer, int, int)}.
     * Single-threaded.
     */
    public static final class Collector extends EventWalker {
        private byte[] names = new byte[1 << 16];
        private int namesLength;
        private int[] nameStart = new int[1 << 12];
        private int[] nameEnd = new int[1 << 12];
        private final java.util.BitSet fundIds = new java.util.BitSet();
        private final java.util.BitSet liquidated = new java.util.BitSet();
        private final java.util.BitSet deleveraged = new java.util.BitSet();

        private long commands;
        private long events;
        private long firstMs;
        private long lastMs;
        private long digest = 0x5EED_CA5C_ADE5L;

        private int liquidations;
        private int partials;
        private long longNotionalE8;
        private long shortNotionalE8;
        private final long[] stageNotionalE8 = new long[4];
        private int largestAccount = -1;
        private boolean largestLong;
        private long largestNotionalE8;
        private long largestAtMs;
        private long firstLiquidationMs;
        private long lastLiquidationMs;

        private int scopeAccount = -1;
        private long scopeSeq;
        private long scopeMs;
        private boolean scopeLong;
        private boolean scopePartial;
        private long scopeNotionalE8;

        /** Per fund id: start, low, low time, final, paid out, taken in. */
        private final Map<Integer, long[]> funds = new LinkedHashMap<>();
        private int adlFills;
        private long adlNotionalE8;
        private long badDebtE8;
        private long badDebtUncoveredE8;
        private int marginCalls;
        private int rejects;
        private int halts;
        private long markLowE8 = Long.MAX_VALUE;
        private long markLowAtMs;
        /** Per minute start: liquidations, long notional, short notional, ADL fills. */
        private final TreeMap<Long, long[]> perMinute = new TreeMap<>();
        private int stopsPlaced;
        private int stopsTriggered;
        private long stopSellNotionalE8;
        private long stopBuyNotionalE8;
        private long bookSellNotionalE8;
        private long bookBuyNotionalE8;

        @Override
        protected void beginCommand(long seq, long timestampMs) {
            commands++;
            if (firstMs == 0) {
                firstMs = timestampMs;
            }
            lastMs = Math.max(lastMs, timestampMs);
            digest = mix(mix(digest ^ seq) ^ timestampMs);
        }

        @Override
        protected void event(long seq, long timestampMs, DirectBuffer buffer, int at, int n) {
            for (int k = 0; k + 8 <= n; k += 8) {
                digest = mix(digest ^ buffer.getLong(at + k));
            }
            for (int k = n - n % 8; k < n; k++) {
                digest = mix(digest ^ buffer.getByte(at + k));
            }
            events++;
            one(seq, timestampMs);
        }

        @Override
        protected void endCommand(long seq, long timestampMs) {
            closeScope();
        }

        private void one(long seq, long ts) {
            final EventView e = view;
            switch (e.type) {
                case ACCOUNT_CREATED -> name(e.account, e.name.bytes(), e.name.length());
                case LIQUIDATION -> liquidation(seq, ts, e);
                case INSURANCE -> {
                    final long[] f = funds.computeIfAbsent(e.fundAccount, k -> new long[] {e.balanceE8,
                        e.balanceE8, ts, e.balanceE8, 0, 0});
                    if (e.balanceE8 < f[1]) {
                        f[1] = e.balanceE8;
                        f[2] = ts;
                    }
                    f[3] = e.balanceE8;
                    if (e.changeE8 < 0) {
                        f[4] -= e.changeE8;
                    } else if (e.cause != org.perpcore.core.model.InsuranceCause.DEPOSIT) {
                        f[5] += e.changeE8;
                    }
                }
                case ADL -> {
                    adlFills++;
                    adlNotionalE8 += notional(e.qtyE8, e.priceE8);
                    deleveraged.set(e.account);
                    minute(ts)[3]++;
                }
                case BAD_DEBT -> {
                    badDebtE8 += e.amountE8;
                    badDebtUncoveredE8 += e.uncoveredE8;
                }
                case ORDER -> {
                    if (e.conditional) {
                        conditional(e);
                    }
                }
                case MARGIN_CALL -> marginCalls++;
                case REJECT -> rejects++;
                case HALT -> {
                    if (!e.resumed) {
                        halts++;
                    }
                }
                case MARK -> {
                    if (e.markE8 > 0 && e.markE8 < markLowE8) {
                        markLowE8 = e.markE8;
                        markLowAtMs = ts;
                    }
                }
                default -> {
                }
            }
        }

        private void conditional(EventView e) {
            switch (e.execType) {
                case NEW -> stopsPlaced++;
                case TRIGGERED -> stopsTriggered++;
                case TRADE -> {
                    final long notional = notional(e.lastQtyE8, e.lastPriceE8);
                    if (e.side == Side.SELL) {
                        stopSellNotionalE8 += notional;
                    } else {
                        stopBuyNotionalE8 += notional;
                    }
                }
                default -> {
                }
            }
        }

        private void liquidation(long seq, long ts, EventView e) {
            if (fundIds.get(e.account)) {
                return;
            }
            if (e.account != scopeAccount || seq != scopeSeq) {
                closeScope();
                scopeAccount = e.account;
                scopeSeq = seq;
                scopeMs = ts;
                scopeLong = e.side == Side.SELL; // a long is closed by selling
                scopePartial = !e.full;
                scopeNotionalE8 = 0;
            }
            final long notional = notional(e.qtyE8, e.priceE8);
            scopeNotionalE8 += notional;
            stageNotionalE8[e.stage.code()] += notional;
            if (e.stage == LiquidationStage.BOOK) {
                if (e.side == Side.SELL) {
                    bookSellNotionalE8 += notional;
                } else {
                    bookBuyNotionalE8 += notional;
                }
            }
            final long[] m = minute(scopeMs);
            if (e.side == Side.SELL) {
                longNotionalE8 += notional;
                m[1] += notional;
            } else {
                shortNotionalE8 += notional;
                m[2] += notional;
            }
        }

        private void closeScope() {
            if (scopeAccount < 0) {
                return;
            }
            liquidations++;
            liquidated.set(scopeAccount);
            if (scopePartial) {
                partials++;
            }
            minute(scopeMs)[0]++;
            if (firstLiquidationMs == 0) {
                firstLiquidationMs = scopeMs;
            }
            lastLiquidationMs = scopeMs;
            if (scopeNotionalE8 > largestNotionalE8) {
                largestNotionalE8 = scopeNotionalE8;
                largestAccount = scopeAccount;
                largestLong = scopeLong;
                largestAtMs = scopeMs;
            }
            scopeAccount = -1;
        }

        private long[] minute(long ts) {
            return perMinute.computeIfAbsent(Math.floorDiv(ts, PricePath.MINUTE_MS) * PricePath.MINUTE_MS,
                k -> new long[4]);
        }

        private static long notional(long qtyE8, long priceE8) {
            return Fixed.mulDivFloor(qtyE8, priceE8, Fixed.E8);
        }

        private void name(int account, byte[] bytes, int length) {
            if (account >= nameStart.length) {
                final int size = Math.max(account + 1, nameStart.length * 2);
                nameStart = Arrays.copyOf(nameStart, size);
                nameEnd = Arrays.copyOf(nameEnd, size);
            }
            if (namesLength + length > names.length) {
                names = Arrays.copyOf(names, Math.max(names.length * 2, namesLength + length));
            }
            System.arraycopy(bytes, 0, names, namesLength, length);
            nameStart[account] = namesLength;
            namesLength += length;
            nameEnd[account] = namesLength;
            if (length > 0 && bytes[0] == '$') {
                fundIds.set(account);
            }
        }

        String name(int account) {
            if (account < 0 || account >= nameStart.length || nameEnd[account] == 0) {
                return "#" + account;
            }
            return new String(names, nameStart[account], nameEnd[account] - nameStart[account],
                java.nio.charset.StandardCharsets.US_ASCII);
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** The report of everything accepted so far. */
        public CascadeReport report() {
            closeScope();
            return new CascadeReport(this);
        }
    }
}
