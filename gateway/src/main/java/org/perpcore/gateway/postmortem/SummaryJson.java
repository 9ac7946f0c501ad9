package org.perpcore.gateway.postmortem;

import java.util.List;
import org.perpcore.core.num.Decimal;

/**
 * The post-mortem as JSON ({@code summary.json}): the headline figures ({@link Figures}, the same as the report's
 * totals), the cascade report's full figures, the largest liquidations, the liquidation map's summary and, for a
 * what-if, the changed run's figures. Decimals are strings, times ISO-8601 UTC.
 */
public final class SummaryJson {
    private SummaryJson() {
    }

    public static String render(PostMortem pm, String source, Comparison comparison) {
        final StringBuilder s = new StringBuilder(16_384);
        s.append("{\"source\":").append(Html.json(source)).append(",\"symbol\":").append(Html.json(pm.symbol()));
        s.append(",\"totals\":");
        figures(s, pm);
        s.append(",\"openInterest\":{\"peak\":").append(Html.json(Decimal.toString(pm.openInterestPeakQtyE8(), 3)))
            .append(",\"peakTime\":").append(Html.json(Html.time(pm.openInterestPeakMs()))).append(",\"final\":")
            .append(Html.json(Decimal.toString(pm.openInterestFinalQtyE8(), 3))).append('}');
        s.append(",\"largestLiquidations\":[");
        final List<PostMortem.Liquidation> largest = pm.largest();
        for (int i = 0; i < largest.size(); i++) {
            final PostMortem.Liquidation l = largest.get(i);
            s.append(i == 0 ? "{" : ",{").append("\"account\":").append(Html.json(l.account())).append(",\"time\":")
                .append(Html.json(Html.time(l.timeMs()))).append(",\"seq\":").append(l.seq()).append(",\"side\":")
                .append(l.longPosition() ? "\"LONG\"" : "\"SHORT\"").append(",\"qty\":")
                .append(Html.json(Decimal.toPlain(l.qtyE8()))).append(",\"notional\":")
                .append(Html.json(Decimal.toString(l.notionalE8(), 2))).append(",\"fee\":")
                .append(Html.json(Decimal.toString(l.feeE8(), 2))).append('}');
        }
        s.append(']');
        s.append(",\"fundingSettlements\":").append(pm.funding().size()).append(",\"halts\":").append(pm.halts().size());
        if (pm.map() != null) {
            final LiquidationMap m = pm.map();
            s.append(",\"liquidationMap\":{\"time\":").append(Html.json(Html.time(m.atMs()))).append(",\"seq\":")
                .append(m.seq()).append(",\"mark\":").append(Html.json(Decimal.toPlain(m.markE8())))
                .append(",\"bucket\":").append(Html.json(Decimal.toPlain(m.bucketE8()))).append(",\"levels\":")
                .append(m.levels().size()).append(",\"longTotal\":").append(Html.json(Decimal.toString(m.longTotalE8(), 2)))
                .append(",\"shortTotal\":").append(Html.json(Decimal.toString(m.shortTotalE8(), 2)))
                .append(",\"longWithin5pct\":").append(Html.json(Decimal.toString(m.longWithinE8(0.05), 2)))
                .append(",\"shortWithin5pct\":").append(Html.json(Decimal.toString(m.shortWithinE8(0.05), 2)))
                .append(",\"longPositions\":").append(m.longPositions()).append(",\"shortPositions\":")
                .append(m.shortPositions()).append('}');
        }
        if (comparison != null) {
            s.append(",\"whatIf\":{\"settings\":[");
            for (int i = 0; i < comparison.settings().size(); i++) {
                s.append(i == 0 ? "" : ",").append(Html.json(comparison.settings().get(i)));
            }
            s.append("],\"totals\":");
            figures(s, comparison.changed());
            s.append('}');
        }
        s.append(",\"cascade\":").append(pm.totals().toJson()).append("}\n");
        return s.toString();
    }

    private static void figures(StringBuilder s, PostMortem pm) {
        s.append('{');
        boolean first = true;
        for (Figures.Figure f : Figures.of(pm)) {
            s.append(first ? "" : ",").append('"').append(f.key()).append("\":").append(f.json());
            first = false;
        }
        s.append('}');
    }
}
