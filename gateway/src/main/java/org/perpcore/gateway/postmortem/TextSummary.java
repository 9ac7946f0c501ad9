package org.perpcore.gateway.postmortem;

import org.perpcore.core.model.LiquidationStage;
import org.perpcore.core.sim.CascadeReport;

/** The post-mortem's headline as a few lines of text: what the demo and {@code perpcore report} print. */
public final class TextSummary {
    private TextSummary() {
    }

    public static String of(PostMortem pm) {
        final CascadeReport r = pm.totals();
        final long total = r.longNotionalE8() + r.shortNotionalE8();
        final StringBuilder s = new StringBuilder(2048);
        s.append("liquidated: ").append(Html.count(r.accountsLiquidated())).append(" accounts, ")
            .append(Html.usd(total)).append(" USDT (longs ")
            .append(total == 0 ? "-" : Html.percent((double) r.longNotionalE8() / total)).append(", shorts ")
            .append(Html.usd(r.shortNotionalE8())).append(")\n");
        s.append("  by stage: book ").append(Html.usd(r.stageNotionalE8(LiquidationStage.BOOK))).append(", fund takeover ")
            .append(Html.usd(r.stageNotionalE8(LiquidationStage.INSURANCE))).append(", ADL ")
            .append(Html.usd(r.stageNotionalE8(LiquidationStage.ADL))).append('\n');
        if (r.largest() != null) {
            s.append("  largest single: ").append(r.largest().account())
                .append(r.largest().longPosition() ? " long " : " short ").append(Html.usd(r.largest().notionalE8()))
                .append(" USDT at ").append(Html.time(r.largest().atMs())).append('\n');
        }
        final CascadeReport.Minute busiest = r.busiestMinute();
        if (busiest != null) {
            s.append("  busiest minute ").append(Html.clock(busiest.startMs()), 0, 5).append(": ")
                .append(Html.count(busiest.liquidations())).append(" liquidations, ")
                .append(Html.usd(busiest.longNotionalE8() + busiest.shortNotionalE8())).append(" USDT\n");
        }
        s.append("selling into the book: liquidations ").append(Html.usd(r.bookSellNotionalE8())).append(", stop-losses ")
            .append(Html.usd(r.stopSellNotionalE8())).append(" USDT (").append(Html.count(r.stopsTriggered()))
            .append(" of ").append(Html.count(r.stopsPlaced())).append(" stops triggered)\n");
        s.append("auto-deleverage: ").append(Html.count(r.adlFills())).append(" fills against ")
            .append(Html.count(r.adlAccounts())).append(" accounts, ").append(Html.usd(r.adlNotionalE8())).append(" USDT\n");
        for (CascadeReport.Fund f : r.funds()) {
            s.append("insurance fund: start ").append(Html.usd(f.startE8())).append(", low ").append(Html.usd(f.lowE8()))
                .append(" at ").append(Html.clock(f.lowAtMs())).append(", end ").append(Html.usd(f.finalE8()))
                .append(" USDT\n");
        }
        s.append("bad debt: ").append(Html.usd(r.badDebtE8())).append(" USDT (").append(Html.usd(r.badDebtUncoveredE8()))
            .append(" beyond the fund); mark low ").append(Html.price(r.markLowE8())).append(" at ")
            .append(Html.time(r.markLowAtMs())).append("; halts ").append(r.halts()).append("; rejected commands ")
            .append(r.rejects()).append('\n');
        if (pm.map() != null) {
            s.append("liquidation map at ").append(Html.time(pm.map().atMs())).append(" (mark ")
                .append(Html.price(pm.map().markE8())).append("): longs within 5 % below ")
                .append(Html.usd(pm.map().longWithinE8(0.05))).append(", within 10 % ")
                .append(Html.usd(pm.map().longWithinE8(0.10))).append(" USDT\n");
        }
        return s.toString();
    }
}
