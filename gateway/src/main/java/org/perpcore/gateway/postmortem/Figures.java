package org.perpcore.gateway.postmortem;

import java.util.ArrayList;
import java.util.List;
import org.perpcore.core.sim.CascadeReport;

/**
 * The headline figures of a post-mortem, in a fixed order: what the report's totals table, the JSON summary's
 * {@code totals} and the what-if comparison all show, so the three always agree.
 */
final class Figures {
    enum Kind { COUNT, USD, PRICE }

    /** One figure: a JSON key, a label, its value (money and prices E8). */
    record Figure(String key, String label, Kind kind, long value) {
        String text() {
            return switch (kind) {
                case COUNT -> Html.count(value);
                case USD -> Html.usd(value);
                case PRICE -> Html.price(value);
            };
        }

        String json() {
            return kind == Kind.COUNT ? Long.toString(value) : Html.json(kind == Kind.USD
                ? org.perpcore.core.num.Decimal.toString(value, 2) : org.perpcore.core.num.Decimal.toPlain(value));
        }
    }

    private Figures() {
    }

    static List<Figure> of(PostMortem pm) {
        final CascadeReport r = pm.totals();
        final List<Figure> f = new ArrayList<>();
        f.add(new Figure("accountsLiquidated", "accounts liquidated", Kind.COUNT, r.accountsLiquidated()));
        f.add(new Figure("liquidations", "liquidations", Kind.COUNT, r.liquidations()));
        f.add(new Figure("liquidatedNotional", "notional liquidated (USDT)", Kind.USD,
            r.longNotionalE8() + r.shortNotionalE8()));
        f.add(new Figure("longNotional", "  of longs", Kind.USD, r.longNotionalE8()));
        f.add(new Figure("shortNotional", "  of shorts", Kind.USD, r.shortNotionalE8()));
        f.add(new Figure("largestLiquidation", "largest single liquidation", Kind.USD,
            r.largest() == null ? 0 : r.largest().notionalE8()));
        f.add(new Figure("adlFills", "ADL fills", Kind.COUNT, r.adlFills()));
        f.add(new Figure("adlAccounts", "accounts auto-deleveraged", Kind.COUNT, r.adlAccounts()));
        f.add(new Figure("adlNotional", "ADL notional", Kind.USD, r.adlNotionalE8()));
        f.add(new Figure("badDebt", "bad debt (covered by the fund)", Kind.USD, r.badDebtE8()));
        f.add(new Figure("badDebtUncovered", "bad debt beyond the fund's equity", Kind.USD, r.badDebtUncoveredE8()));
        final CascadeReport.Fund fund = r.funds().isEmpty() ? null : r.funds().get(0);
        f.add(new Figure("insuranceStart", "insurance fund at the start", Kind.USD, fund == null ? 0 : fund.startE8()));
        f.add(new Figure("insuranceLow", "insurance fund low", Kind.USD, fund == null ? 0 : fund.lowE8()));
        f.add(new Figure("insuranceFinal", "insurance fund at the end", Kind.USD, fund == null ? 0 : fund.finalE8()));
        f.add(new Figure("liquidationBookSell", "liquidation-driven selling in the book", Kind.USD,
            r.bookSellNotionalE8()));
        f.add(new Figure("stopSell", "stop-driven selling", Kind.USD, r.stopSellNotionalE8()));
        f.add(new Figure("stopsTriggered", "stop orders triggered", Kind.COUNT, r.stopsTriggered()));
        f.add(new Figure("halts", "circuit-breaker halts", Kind.COUNT, r.halts()));
        f.add(new Figure("markLow", "mark low", Kind.PRICE, r.markLowE8()));
        f.add(new Figure("rejects", "rejected commands", Kind.COUNT, r.rejects()));
        return f;
    }
}
