package org.perpcore.gateway.postmortem;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import org.agrona.DirectBuffer;
import org.perpcore.core.event.EventView;
import org.perpcore.core.event.EventWalker;
import org.perpcore.core.model.AccountReason;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.num.Decimal;
import org.perpcore.core.risk.Brackets;
import org.perpcore.core.risk.RiskMath;
import org.perpcore.journal.EventJournalReader;

/**
 * One account's story from a journal's events, as plain text ({@code perpcore why}): its deposits and settings, its
 * orders and fills, its margin ratio (maintenance margin / margin balance) as the mark moved, the mark tick that
 * took it below maintenance (the engine's MARGIN_CALL), and each liquidation and auto-deleverage fill with prices
 * and fees.
 *
 * <p>The engine emits an account's figures when the account changes, not on every mark tick, so the margin ratio
 * between changes is recomputed here from the account's last wallet, position and the market's margin tiers at
 * each MARK event, with the engine's own formulas ({@link RiskMath}); the MARGIN_CALL line quotes the engine's
 * figures. An account with positions in several markets gets the ratio of the position in the market it names
 * first (cross positions in other markets are left out of that figure).
 */
public final class AccountTimeline extends EventWalker {
    /** Margin-ratio samples shown while nothing else happens. */
    private static final long SAMPLE_EVERY_MS = 30 * 60_000L;
    /** Mark ticks shown before the margin call. */
    private static final int LAST_TICKS = 5;

    private final String accountName;
    private final StringBuilder out = new StringBuilder(16_384);
    private final EventView e = view; // the walker's event, by a short name
    private final String[] symbols = new String[256];
    private final Brackets[] brackets = new Brackets[256];
    private String[] names = new String[1024];
    private int account = -1;
    private int market = -1;
    private long walletE8;
    private long qtyE8;
    private long costE8;
    private boolean isolated;
    private long isolatedMarginE8;
    private long lastSampleMs = Long.MIN_VALUE;
    /** Margin ratios whose first crossing is shown (once per position). */
    private static final double[] MILESTONES = {0.5, 0.8, 0.9, 0.95};
    private int milestonesPassed;
    /** The last mark ticks while open: their sequence numbers and lines. */
    private final ArrayDeque<long[]> recentSeqs = new ArrayDeque<>();
    private final ArrayDeque<String> recentTicks = new ArrayDeque<>();
    private long markE8;
    private long indexE8;
    private long previousMarkE8;
    private int liquidationFills;
    private int adlFills;
    private int marginCalls;
    private long liquidatedNotionalE8;
    private long liquidationFeesE8;

    private AccountTimeline(String accountName) {
        this.accountName = accountName;
    }

    /**
     * The timeline of {@code accountName} in the journal {@code dir}.
     *
     * @throws IllegalArgumentException when the journal has no such account
     */
    public static String of(Path dir, String accountName) {
        JournalPostMortem.requireJournal(dir);
        final AccountTimeline t = new AccountTimeline(accountName);
        try (EventJournalReader reader = new EventJournalReader(dir)) {
            while (reader.next()) {
                t.accept(reader.seq(), reader.timestampMs(), reader.events(), 0, reader.length());
            }
        }
        if (t.account < 0) {
            throw new IllegalArgumentException("no account '" + accountName + "' in " + dir + " (the cascade's traders"
                + " are u0, u1, ..., its makers mm1..mm4; the largest liquidations are listed by 'perpcore report')");
        }
        return t.text();
    }

    @Override
    protected void event(long seq, long timestampMs, DirectBuffer buffer, int at, int length) {
        one(seq, timestampMs);
    }

    private void one(long seq, long ts) {
        switch (e.type) {
            case ACCOUNT_CREATED -> {
                final String name = e.name.toString();
                if (e.account >= names.length) {
                    names = java.util.Arrays.copyOf(names, Math.max(e.account + 1, names.length * 2));
                }
                names[e.account] = name;
                if (account < 0 && name.equals(accountName)) {
                    account = e.account;
                    line(ts, seq, "account " + name + " (id " + account + ") created");
                }
            }
            case MARKET -> {
                if (e.market < symbols.length && symbols[e.market] == null) {
                    symbols[e.market] = e.symbol.toString();
                    brackets[e.market] = new Brackets();
                    brackets[e.market].setDefault((int) Math.max(1, e.marketParams[MarketParam.MAX_LEVERAGE.ordinal()]));
                }
            }
            case BRACKET -> {
                if (e.market < brackets.length && brackets[e.market] != null) {
                    brackets[e.market].add(e.floorE8, e.mmrE8, e.leverage);
                }
            }
            case MARK -> mark(seq, ts);
            default -> {
                if (account >= 0) {
                    mine(seq, ts);
                }
            }
        }
    }

    private void mine(long seq, long ts) {
        switch (e.type) {
            case ACCOUNT -> {
                if (e.account != account) {
                    return;
                }
                walletE8 = e.walletE8;
                if (e.accountReason == AccountReason.DEPOSIT || e.accountReason == AccountReason.WITHDRAW) {
                    line(ts, seq, (e.changeE8 >= 0 ? "deposit " : "withdrawal ") + usd(Math.abs(e.changeE8))
                        + " USDT: wallet " + usd(e.walletE8));
                }
            }
            case POSITION -> {
                if (e.account != account) {
                    return;
                }
                if (market < 0) {
                    market = e.market;
                }
                if (e.market != market) {
                    return;
                }
                final boolean changed = e.qtyE8 != qtyE8 || e.isolated != isolated;
                if (qtyE8 == 0 && e.qtyE8 != 0) {
                    milestonesPassed = 0; // a new position: its ratio climbs from the start again
                }
                qtyE8 = e.qtyE8;
                costE8 = e.costE8;
                isolated = e.isolated;
                isolatedMarginE8 = e.isolatedMarginE8;
                if (changed || e.accountReason == AccountReason.SETTINGS) {
                    line(ts, seq, "position " + symbol(e.market) + " " + (qtyE8 == 0 ? "flat" : (qtyE8 > 0 ? "long "
                        : "short ") + Decimal.toPlain(Math.abs(qtyE8)) + " at entry " + price(entry()))
                        + ", " + e.leverage + "x " + (e.isolated ? "isolated" : "cross")
                        + (qtyE8 == 0 ? "" : ", liquidation price " + (e.liquidationPriceE8 <= 0
                            || e.liquidationPriceE8 == Long.MAX_VALUE ? "none" : price(e.liquidationPriceE8))
                            + ", maintenance " + usd(e.maintMarginE8) + ", wallet " + usd(walletE8)));
                }
            }
            case ORDER -> {
                if (e.account == account) {
                    order(seq, ts);
                }
            }
            case MARGIN_CALL -> {
                if (e.account != account) {
                    return;
                }
                marginCalls++;
                // the tick of this very command is the one that crossed; the ones before it lead up to it
                final boolean crossingTick = !recentSeqs.isEmpty() && recentSeqs.peekLast()[0] == seq;
                if (crossingTick) {
                    recentSeqs.removeLast();
                    recentTicks.removeLast();
                }
                if (!recentTicks.isEmpty()) {
                    out.append("    the last mark ticks before it:\n");
                    for (String t : recentTicks) {
                        out.append("      ").append(t).append('\n');
                    }
                }
                recentTicks.clear();
                recentSeqs.clear();
                line(ts, seq, ">>> below maintenance: " + (crossingTick ? "the mark tick " + price(previousMarkE8)
                    + " -> " + price(markE8) + " (index " + price(indexE8) + ")" : "this command")
                    + " left margin balance " + usd(e.marginBalanceE8)
                    + " against maintenance " + usd(e.maintMarginE8) + " (margin ratio "
                    + ratio(e.maintMarginE8, e.marginBalanceE8) + "): margin call, liquidation follows");
            }
            case LIQUIDATION -> {
                if (e.account != account) {
                    return;
                }
                liquidationFills++;
                final long notional = RiskMath.notionalDownE8(e.priceE8, e.qtyE8);
                liquidatedNotionalE8 += notional;
                liquidationFeesE8 += e.feeE8;
                line(ts, seq, "LIQUIDATION fill (" + e.stage + (e.full ? ", full" : ", partial") + "): " + e.side + " "
                    + Decimal.toPlain(e.qtyE8) + " at " + price(e.priceE8) + " = " + usd(notional)
                    + " USDT; mark " + price(e.markE8) + ", bankruptcy price " + price(e.bankruptcyPriceE8)
                    + ", liquidation fee " + usd(e.feeE8));
            }
            case ADL -> {
                if (e.account == account) {
                    adlFills++;
                    line(ts, seq, "AUTO-DELEVERAGED: " + e.side + " " + Decimal.toPlain(e.qtyE8) + " at "
                        + price(e.priceE8) + " against " + name(e.counterparty) + " (no fee)");
                } else if (e.counterparty == account) {
                    line(ts, seq, "ADL fill against " + name(e.account) + ": " + Decimal.toPlain(e.qtyE8) + " at "
                        + price(e.priceE8));
                }
            }
            case FUNDING -> {
                if (e.account == account) {
                    line(ts, seq, "funding " + (e.amountE8 >= 0 ? "received " : "paid ") + usd(Math.abs(e.amountE8))
                        + " USDT at rate " + Html.rate(e.fundingRateE8));
                }
            }
            case BAD_DEBT -> {
                if (e.account == account) {
                    line(ts, seq, "bad debt " + usd(e.amountE8) + " USDT brought back to zero by the insurance fund"
                        + (e.uncoveredE8 > 0 ? " (" + usd(e.uncoveredE8) + " beyond its equity)" : ""));
                }
            }
            default -> {
            }
        }
    }

    private void order(long seq, long ts) {
        final StringBuilder s = new StringBuilder(160);
        final boolean liquidation = e.orderType == OrderType.LIQUIDATION;
        s.append(liquidation ? "liquidation order " : "order ").append(e.orderId).append(' ').append(e.side).append(' ')
            .append(e.orderType);
        if (e.conditional) {
            s.append(" stop ").append(price(e.stopPriceE8)).append(" on ").append(e.workingType);
            if (e.closePosition) {
                s.append(" closePosition");
            }
        }
        if (e.origQtyE8 > 0) {
            s.append(' ').append(Decimal.toPlain(e.origQtyE8));
        }
        if (e.priceE8 > 0 && (e.orderType == OrderType.LIMIT || liquidation)) {
            s.append(" @ ").append(price(e.priceE8));
        }
        if (e.timeInForce != null && e.orderType == OrderType.LIMIT) {
            s.append(' ').append(e.timeInForce);
        }
        s.append(": ").append(e.execType);
        if (e.execType == ExecType.TRADE) {
            s.append(' ').append(Decimal.toPlain(e.lastQtyE8)).append(" at ").append(price(e.lastPriceE8))
                .append(", fee ").append(usd(e.lastFeeE8)).append(" (").append(e.status).append(')');
        } else if (e.execType == ExecType.TRIGGERED) {
            s.append(" at ").append(price(e.triggerPriceE8));
        } else if (e.execType == ExecType.EXPIRED && e.expireReason != null) {
            s.append(" (").append(e.expireReason).append(')');
        } else if (e.execType == ExecType.REJECTED && e.reject != null) {
            s.append(" (").append(e.reject).append(')');
        }
        line(ts, seq, s.toString());
    }

    private void mark(long seq, long ts) {
        if (e.market != market || market < 0) {
            return;
        }
        previousMarkE8 = markE8;
        markE8 = e.markE8;
        indexE8 = e.indexE8;
        if (qtyE8 == 0 || account < 0) {
            return;
        }
        final long base = isolated ? isolatedMarginE8 : walletE8;
        final long balance = base + RiskMath.unrealizedPnlE8(qtyE8, costE8, markE8);
        final long maint = RiskMath.maintenanceMarginE8(qtyE8, markE8, brackets[market]);
        final String tick = clock(ts) + "  seq " + seq + "  mark " + price(markE8) + "  margin balance " + usd(balance)
            + "  maintenance " + usd(maint) + "  ratio " + ratio(maint, balance);
        recentTicks.addLast(tick);
        recentSeqs.addLast(new long[] {seq});
        if (recentTicks.size() > LAST_TICKS + 1) {
            recentTicks.removeFirst();
            recentSeqs.removeFirst();
        }
        final double r = balance <= 0 ? Double.POSITIVE_INFINITY : (double) maint / balance;
        double milestone = 0;
        while (milestonesPassed < MILESTONES.length && r >= MILESTONES[milestonesPassed] && r < 1) {
            milestone = MILESTONES[milestonesPassed++];
        }
        if (r < 1 && (ts - lastSampleMs >= SAMPLE_EVERY_MS || milestone > 0)) {
            lastSampleMs = ts;
            out.append(tick).append(milestone > 0 ? String.format(Locale.ROOT, "  (first above %.0f %%)",
                100 * milestone) : "").append('\n');
            recentTicks.clear();
            recentSeqs.clear();
        }
    }

    private long entry() {
        return qtyE8 == 0 ? 0 : org.perpcore.core.num.Fixed.mulDivFloor(Math.abs(costE8),
            org.perpcore.core.num.Fixed.E8, Math.abs(qtyE8));
    }

    private void line(long ts, long seq, String text) {
        out.append(clock(ts)).append("  seq ").append(seq).append("  ").append(text).append('\n');
    }

    private String text() {
        final StringBuilder s = new StringBuilder(out.length() + 512);
        s.append("why: ").append(accountName).append(" (account ").append(account).append(")");
        if (marginCalls > 0 || liquidationFills > 0) {
            s.append(": ").append(marginCalls).append(" margin call").append(marginCalls == 1 ? "" : "s").append(", ")
                .append(liquidationFills).append(" liquidation fill").append(liquidationFills == 1 ? "" : "s").append(" (")
                .append(usd(liquidatedNotionalE8)).append(" USDT, fees ").append(usd(liquidationFeesE8)).append(')');
        } else {
            s.append(": never below maintenance");
        }
        if (adlFills > 0) {
            s.append(", auto-deleveraged ").append(adlFills).append(" time").append(adlFills == 1 ? "" : "s");
        }
        s.append("\nmargin ratio = maintenance margin / margin balance (liquidation at 100 %); times UTC\n");
        s.append(out);
        return s.toString();
    }

    private String symbol(int m) {
        return m >= 0 && m < symbols.length && symbols[m] != null ? symbols[m] : "#" + m;
    }

    private String name(int id) {
        return id >= 0 && id < names.length && names[id] != null ? names[id] : "#" + id;
    }

    private static String ratio(long maint, long balance) {
        return balance <= 0 ? "inf" : String.format(Locale.ROOT, "%.1f %%", 100.0 * maint / balance);
    }

    private static String usd(long e8) {
        return Html.usd(e8);
    }

    private static String price(long e8) {
        return Decimal.toPlain(e8);
    }

    private static String clock(long ms) {
        return Html.time(ms).replace("T", " ").replace("Z", "");
    }
}
