package org.perpcore.gateway.postmortem;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.perpcore.core.sim.CascadeReport;

/**
 * The post-mortem as one self-contained HTML page: inline SVG charts and CSS, no external script, font, image or
 * request of any kind. A few lines of inline script at the end check that every chart has content and mark the page
 * ({@code <html data-report="ready" data-charts="N">}), which the browser test reads.
 */
public final class HtmlReport {
    private static final int WIDTH = 1280;
    private static final String RED = "#d43c3c";
    private static final String GREEN = "#2a9d5b";
    private static final String BLUE = "#2f6fb3";
    private static final String ORANGE = "#e08a1e";
    private static final String GREY = "#888888";
    private static final String PURPLE = "#7b4bb3";

    private HtmlReport() {
    }

    /**
     * The page.
     *
     * @param source     what the post-mortem is of (a journal's path), shown in the header
     * @param comparison a what-if comparison to add (its {@code base} is {@code pm}), or null
     */
    public static String render(PostMortem pm, String source, Comparison comparison) {
        final StringBuilder s = new StringBuilder(1 << 20);
        final CascadeReport r = pm.totals();
        final MinuteSeries ms = pm.series();
        s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .append("<title>Perpcore post-mortem: ").append(Html.escape(pm.symbol())).append(' ')
            .append(Html.escape(Html.time(firstMs(pm)))).append("</title><style>").append(CSS).append("</style></head><body>");
        s.append("<header><h1>Post-mortem: ").append(Html.escape(pm.symbol())).append("</h1><p>")
            .append(Html.escape(Html.time(firstMs(pm)))).append(" to ").append(Html.escape(Html.time(lastMs(pm))))
            .append(" &middot; ").append(Html.count(r.commands())).append(" commands, ").append(Html.count(r.events()))
            .append(" events &middot; source <code>").append(Html.escape(source)).append("</code></p></header>");
        cards(s, pm);
        s.append("<section><h2>The day minute by minute</h2>");
        s.append(priceChart(pm));
        s.append(liquidationChart(pm));
        s.append(sellingChart(pm));
        s.append(openInterestChart(pm));
        s.append(fundChart(pm));
        s.append(adlChart(pm));
        s.append(fundingChart(pm));
        s.append("</section>");
        if (pm.map() != null) {
            mapSection(s, pm.map());
        }
        totalsTable(s, pm);
        largestTable(s, pm);
        fundingAndHalts(s, pm);
        if (comparison != null) {
            comparisonSection(s, comparison);
        }
        if (isOctober10(pm)) {
            publishedSection(s, pm);
        }
        s.append("<footer>Perpcore: every figure above is computed from the journal's events (the liquidation map"
            + " from the engine state replayed from its commands); <code>bin/perpcore why JOURNAL ACCOUNT</code>"
            + " explains one account, <code>bin/perpcore whatif</code> replays under other risk parameters."
            + "</footer>");
        s.append("<script>").append(SCRIPT).append("</script></body></html>\n");
        return s.toString();
    }

    private static long firstMs(PostMortem pm) {
        return pm.series().size() == 0 ? 0 : pm.series().startMs();
    }

    private static long lastMs(PostMortem pm) {
        return pm.series().size() == 0 ? 0 : pm.series().timeMs(pm.series().size() - 1) + 59_999;
    }

    // ---------------------------------------------------------------------------------------- header cards

    private static void cards(StringBuilder s, PostMortem pm) {
        final CascadeReport r = pm.totals();
        final long total = r.longNotionalE8() + r.shortNotionalE8();
        s.append("<section class=\"cards\">");
        card(s, "accounts liquidated", Html.count(r.accountsLiquidated()), Html.count(r.liquidations())
            + " liquidations");
        card(s, "notional liquidated", Html.usdShort(total), "longs " + (total == 0 ? "-"
            : Html.percent((double) r.longNotionalE8() / total)) + ", shorts " + Html.usdShort(r.shortNotionalE8()));
        card(s, "largest single", r.largest() == null ? "-" : Html.usdShort(r.largest().notionalE8()),
            r.largest() == null ? "" : r.largest().account() + (r.largest().longPosition() ? " long, " : " short, ")
                + Html.clock(r.largest().atMs()));
        card(s, "auto-deleverage", Html.count(r.adlFills()) + " fills", Html.count(r.adlAccounts()) + " accounts, "
            + Html.usdShort(r.adlNotionalE8()));
        card(s, "bad debt", Html.usdShort(r.badDebtE8()), Html.usdShort(r.badDebtUncoveredE8()) + " beyond the fund");
        card(s, "selling: liquidations vs stops", Html.usdShort(r.bookSellNotionalE8()) + " / "
            + Html.usdShort(r.stopSellNotionalE8()), Html.count(r.stopsTriggered()) + " of " + Html.count(r.stopsPlaced())
            + " stops triggered");
        final CascadeReport.Fund fund = r.funds().isEmpty() ? null : r.funds().get(0);
        card(s, "insurance fund", fund == null ? "-" : Html.usdShort(fund.finalE8()), fund == null ? ""
            : "low " + Html.usdShort(fund.lowE8()) + " at " + Html.clock(fund.lowAtMs()));
        card(s, "mark low", Html.price(r.markLowE8()), Html.clock(r.markLowAtMs()) + ", halts " + r.halts());
        s.append("</section>");
    }

    private static void card(StringBuilder s, String label, String value, String note) {
        s.append("<div class=\"card\"><div class=\"label\">").append(Html.escape(label)).append("</div><div class=\"value\">")
            .append(Html.escape(value)).append("</div><div class=\"note\">").append(Html.escape(note)).append("</div></div>");
    }

    // ---------------------------------------------------------------------------------------- charts

    private static double[] times(MinuteSeries ms) {
        final double[] x = new double[ms.size()];
        for (int m = 0; m < x.length; m++) {
            x[m] = ms.timeMs(m);
        }
        return x;
    }

    private static double value(long e8) {
        return e8 == MinuteSeries.NONE ? Double.NaN : e8 / 1e8;
    }

    private static SvgChart timeChart(PostMortem pm, String id, String title, int height) {
        final MinuteSeries ms = pm.series();
        final SvgChart c = new SvgChart(id, title, WIDTH, height)
            .timeAxis(ms.startMs(), ms.timeMs(Math.max(0, ms.size() - 1)) + 60_000);
        for (PostMortem.Halt h : pm.halts()) {
            if (!h.resumed()) {
                c.band(h.timeMs(), h.untilMs(), PURPLE, "halt from " + Html.clock(h.timeMs()) + " to "
                    + Html.clock(h.untilMs()));
            }
        }
        return c;
    }

    private static String priceChart(PostMortem pm) {
        final MinuteSeries ms = pm.series();
        final double[] x = times(ms);
        final double[] index = new double[x.length];
        final double[] mark = new double[x.length];
        final double[] low = new double[x.length];
        for (int m = 0; m < x.length; m++) {
            index[m] = value(ms.indexE8(m));
            mark[m] = value(ms.markE8(m));
            low[m] = value(ms.markLowE8(m));
        }
        final SvgChart c = timeChart(pm, "chart-price", "Index and mark price (minute close; mark's low)", 300)
            .yFormat(v -> String.format(java.util.Locale.ROOT, "%,.0f", v))
            .line("mark low", "#f0b0b0", x, low).line("index", GREY, x, index).line("mark", BLUE, x, mark);
        if (pm.totals().markLowAtMs() > 0) {
            c.marker(pm.totals().markLowAtMs(), RED, "low " + Html.price(pm.totals().markLowE8()));
        }
        if (pm.map() != null) {
            c.marker(pm.map().atMs(), GREEN, "map");
        }
        return c.render();
    }

    private static String liquidationChart(PostMortem pm) {
        final MinuteSeries ms = pm.series();
        final double[] x = times(ms);
        final double[] longs = new double[x.length];
        final double[] shorts = new double[x.length];
        final String[] tips = new String[x.length];
        for (int m = 0; m < x.length; m++) {
            longs[m] = ms.liquidatedLongE8(m) / 1e8;
            shorts[m] = -ms.liquidatedShortE8(m) / 1e8;
            if (ms.liquidations(m) > 0) {
                tips[m] = Html.clock(ms.timeMs(m)).substring(0, 5) + ": " + Html.count(ms.liquidations(m))
                    + " liquidations, longs " + Html.usd(ms.liquidatedLongE8(m)) + ", shorts "
                    + Html.usd(ms.liquidatedShortE8(m)) + " USDT";
            }
        }
        return timeChart(pm, "chart-liquidations", "Liquidations per minute (notional USDT: longs up, shorts down)", 280)
            .zeroBased().yFormat(v -> SvgChart.compact(Math.abs(v)))
            .bars("longs", RED, x, longs, 60_000, tips).bars("shorts", GREEN, x, shorts, 60_000, tips).render();
    }

    private static String sellingChart(PostMortem pm) {
        final MinuteSeries ms = pm.series();
        final double[] x = times(ms);
        final double[] stops = new double[x.length];
        final double[] cumLiq = new double[x.length];
        final double[] cumStop = new double[x.length];
        double liq = 0;
        double stop = 0;
        for (int m = 0; m < x.length; m++) {
            stops[m] = ms.stopSellE8(m) / 1e8;
            liq += ms.liquidatedLongE8(m) / 1e8;
            stop += ms.stopSellE8(m) / 1e8;
            cumLiq[m] = liq;
            cumStop[m] = stop;
        }
        return timeChart(pm, "chart-selling", "Forced selling, cumulative (USDT): liquidations of longs vs stop-loss"
            + " sells", 240).zeroBased()
            .line("liquidations of longs", RED, x, cumLiq).line("stop-loss sells", ORANGE, x, cumStop).render();
    }

    private static String openInterestChart(PostMortem pm) {
        final MinuteSeries ms = pm.series();
        final double[] x = times(ms);
        final double[] oi = new double[x.length];
        for (int m = 0; m < x.length; m++) {
            final long q = ms.openInterestQtyE8(m);
            final long mark = ms.markE8(m);
            oi[m] = q == MinuteSeries.NONE || mark == MinuteSeries.NONE ? Double.NaN : (q / 1e8) * (mark / 1e8);
        }
        return timeChart(pm, "chart-oi", "Open interest (one side, notional at the mark, USDT)", 220).zeroBased()
            .line("open interest", BLUE, x, oi).render();
    }

    private static String fundChart(PostMortem pm) {
        final MinuteSeries ms = pm.series();
        final double[] x = times(ms);
        final double[] fund = new double[x.length];
        for (int m = 0; m < x.length; m++) {
            fund[m] = value(ms.fundE8(m));
        }
        return timeChart(pm, "chart-fund", "Insurance fund balance (USDT, minute close)", 220).zeroBased()
            .line("insurance fund", GREEN, x, fund).render();
    }

    private static String adlChart(PostMortem pm) {
        final MinuteSeries ms = pm.series();
        final double[] x = times(ms);
        final double[] adl = new double[x.length];
        final String[] tips = new String[x.length];
        for (int m = 0; m < x.length; m++) {
            adl[m] = ms.adlFills(m);
            if (ms.adlFills(m) > 0) {
                tips[m] = Html.clock(ms.timeMs(m)).substring(0, 5) + ": " + Html.count(ms.adlFills(m)) + " ADL fills, "
                    + Html.usd(ms.adlNotionalE8(m)) + " USDT";
            }
        }
        return timeChart(pm, "chart-adl", "Auto-deleverage fills per minute", 200).zeroBased()
            .yFormat(v -> String.format(java.util.Locale.ROOT, "%,.0f", v))
            .bars("ADL fills", ORANGE, x, adl, 60_000, tips).render();
    }

    private static String fundingChart(PostMortem pm) {
        final MinuteSeries ms = pm.series();
        final double[] x = times(ms);
        final double[] rate = new double[x.length];
        for (int m = 0; m < x.length; m++) {
            rate[m] = ms.fundingRateE8(m) == MinuteSeries.NONE ? Double.NaN : ms.fundingRateE8(m) / 1e6;
        }
        final SvgChart c = timeChart(pm, "chart-funding", "Funding rate for the next settlement (% per interval);"
            + " settlements marked", 200).zeroBased()
            .yFormat(v -> String.format(java.util.Locale.ROOT, "%.4f %%", v)).line("funding rate", PURPLE, x, rate);
        for (PostMortem.FundingSettlement f : pm.funding()) {
            c.marker(f.timeMs(), GREY, "settled " + Html.rate(f.rateE8()));
        }
        return c.render();
    }

    // ---------------------------------------------------------------------------------------- the map

    private static void mapSection(StringBuilder s, LiquidationMap map) {
        s.append("<section><h2>Liquidation map at ").append(Html.escape(Html.time(map.atMs()))).append("</h2>");
        s.append("<p>Notional that would be liquidated at each price level (").append(Html.usd(map.bucketE8()))
            .append(" USDT buckets), from every open position's liquidation price in the engine state after command ")
            .append(Html.count(map.seq())).append(" (mark ").append(Html.price(map.markE8())).append("). ")
            .append(Html.count(map.longPositions())).append(" longs (").append(Html.count(map.longNever()))
            .append(" with no liquidation price), ").append(Html.count(map.shortPositions())).append(" shorts (")
            .append(Html.count(map.shortNever())).append(" with none). Within 5 % of the mark: longs ")
            .append(Html.usd(map.longWithinE8(0.05))).append(", shorts ").append(Html.usd(map.shortWithinE8(0.05)))
            .append(" USDT; within 10 %: longs ").append(Html.usd(map.longWithinE8(0.10))).append(", shorts ")
            .append(Html.usd(map.shortWithinE8(0.10))).append(" USDT.</p>");
        final List<LiquidationMap.Level> levels = map.levels();
        final double[] x = new double[levels.size()];
        final double[] longs = new double[levels.size()];
        final double[] shorts = new double[levels.size()];
        final String[] tips = new String[levels.size()];
        for (int i = 0; i < levels.size(); i++) {
            final LiquidationMap.Level l = levels.get(i);
            x[i] = l.priceE8() / 1e8;
            longs[i] = l.longNotionalE8() / 1e8;
            shorts[i] = l.shortNotionalE8() / 1e8;
            tips[i] = Html.price(l.priceE8()) + " to " + Html.price(l.priceE8() + map.bucketE8()) + ": longs "
                + Html.usd(l.longNotionalE8()) + " (" + Html.count(l.longPositions()) + "), shorts "
                + Html.usd(l.shortNotionalE8()) + " (" + Html.count(l.shortPositions()) + ")";
        }
        final double mark = map.markE8() / 1e8;
        final double bucket = map.bucketE8() / 1e8;
        s.append(new SvgChart("chart-map", "Liquidation map: notional per price level (USDT)", WIDTH, 300)
            .valueAxis(mark * (1 - LiquidationMap.RANGE), mark * (1 + LiquidationMap.RANGE) + bucket,
                v -> String.format(java.util.Locale.ROOT, "%,.0f", v))
            .zeroBased().bars("longs (liquidated below)", RED, x, longs, bucket, tips)
            .bars("shorts (above)", GREEN, x, shorts, bucket, tips)
            .marker(mark, BLUE, "mark " + Html.price(map.markE8())).render());
        s.append("</section>");
    }

    // ---------------------------------------------------------------------------------------- tables

    private static void totalsTable(StringBuilder s, PostMortem pm) {
        s.append("<section><h2>Totals</h2><table class=\"totals\"><tbody>");
        for (Figures.Figure f : Figures.of(pm)) {
            s.append("<tr><th>").append(Html.escape(f.label().trim())).append("</th><td id=\"total-").append(f.key())
                .append("\">").append(Html.escape(f.text())).append("</td></tr>");
        }
        final CascadeReport r = pm.totals();
        s.append("<tr><th>liquidated notional by stage</th><td>book ")
            .append(Html.usd(r.stageNotionalE8(org.perpcore.core.model.LiquidationStage.BOOK))).append(", fund takeover ")
            .append(Html.usd(r.stageNotionalE8(org.perpcore.core.model.LiquidationStage.INSURANCE))).append(", ADL ")
            .append(Html.usd(r.stageNotionalE8(org.perpcore.core.model.LiquidationStage.ADL))).append("</td></tr>");
        s.append("<tr><th>open interest (one side)</th><td>peak ").append(Html.qty(pm.openInterestPeakQtyE8()))
            .append(" at ").append(Html.clock(pm.openInterestPeakMs())).append(", final ")
            .append(Html.qty(pm.openInterestFinalQtyE8())).append("</td></tr>");
        s.append("<tr><th>event digest</th><td><code>").append(String.format("%016x", r.eventDigest()))
            .append("</code></td></tr>");
        s.append("</tbody></table></section>");
    }

    private static void largestTable(StringBuilder s, PostMortem pm) {
        s.append("<section><h2>Largest liquidations</h2><table class=\"list\"><thead><tr><th>#</th><th>time</th>")
            .append("<th>account</th><th>side</th><th>quantity</th><th>notional (USDT)</th><th>avg price</th>")
            .append("<th>mark</th><th>bankruptcy</th><th>book / fund / ADL</th><th>fee</th></tr></thead><tbody>");
        int i = 0;
        for (PostMortem.Liquidation l : pm.largest()) {
            s.append("<tr><td>").append(++i).append("</td><td>").append(Html.clock(l.timeMs())).append("</td><td>")
                .append(Html.escape(l.account())).append("</td><td>").append(l.longPosition() ? "long" : "short")
                .append(l.partial() ? " (partial first)" : "").append("</td><td>").append(Html.qty(l.qtyE8()))
                .append("</td><td>").append(Html.usd(l.notionalE8())).append("</td><td>")
                .append(Html.price(l.averagePriceE8())).append("</td><td>").append(Html.price(l.markE8()))
                .append("</td><td>").append(Html.price(l.bankruptcyPriceE8())).append("</td><td>")
                .append(Html.usdShort(l.bookE8())).append(" / ").append(Html.usdShort(l.insuranceE8())).append(" / ")
                .append(Html.usdShort(l.adlE8())).append("</td><td>").append(Html.usd(l.feeE8())).append("</td></tr>");
        }
        if (i == 0) {
            s.append("<tr><td colspan=\"11\">no liquidations</td></tr>");
        }
        s.append("</tbody></table></section>");
    }

    private static void fundingAndHalts(StringBuilder s, PostMortem pm) {
        s.append("<section><h2>Funding and halts</h2><table class=\"list\"><thead><tr><th>funding settled</th>")
            .append("<th>rate</th><th>price</th><th>positions</th><th>paid (USDT)</th><th>received</th></tr></thead><tbody>");
        for (PostMortem.FundingSettlement f : pm.funding()) {
            s.append("<tr><td>").append(Html.time(f.timeMs())).append("</td><td>").append(Html.rate(f.rateE8()))
                .append("</td><td>").append(Html.price(f.priceE8())).append("</td><td>").append(Html.count(f.positions()))
                .append("</td><td>").append(Html.usd(f.paidE8())).append("</td><td>").append(Html.usd(f.receivedE8()))
                .append("</td></tr>");
        }
        if (pm.funding().isEmpty()) {
            s.append("<tr><td colspan=\"6\">no funding settlement in the run</td></tr>");
        }
        s.append("</tbody></table><p>");
        if (pm.halts().isEmpty()) {
            s.append("No circuit-breaker halt (the market's haltMove was off or never reached).");
        } else {
            for (PostMortem.Halt h : pm.halts()) {
                s.append(h.resumed() ? "Resumed at " : "Halted at ").append(Html.time(h.timeMs()));
                if (!h.resumed()) {
                    s.append(" after a mark move of ").append(Html.percent(h.moveE8() / 1e8)).append(", until ")
                        .append(Html.time(h.untilMs()));
                }
                s.append(". ");
            }
        }
        s.append("</p></section>");
    }

    private static void comparisonSection(StringBuilder s, Comparison c) {
        s.append("<section id=\"whatif\"><h2>What if: ").append(Html.escape(String.join(", ", c.settings())))
            .append("</h2><p>The same command stream replayed under the changed risk parameters.</p>")
            .append("<table class=\"list\"><thead><tr><th>figure</th><th>as run</th><th>what if</th><th>change</th></tr>")
            .append("</thead><tbody>");
        final List<Figures.Figure> a = Figures.of(c.base());
        final List<Figures.Figure> b = Figures.of(c.changed());
        for (int i = 0; i < a.size(); i++) {
            s.append("<tr><th>").append(Html.escape(a.get(i).label().trim())).append("</th><td>")
                .append(Html.escape(a.get(i).text())).append("</td><td>").append(Html.escape(b.get(i).text()))
                .append("</td><td>").append(Html.escape(WhatIf.change(a.get(i), b.get(i)))).append("</td></tr>");
        }
        s.append("</tbody></table>");
        final double[] x = times(c.base().series());
        final double[] base = new double[x.length];
        double sa = 0;
        double sb = 0;
        for (int m = 0; m < x.length; m++) {
            sa += (c.base().series().liquidatedLongE8(m) + c.base().series().liquidatedShortE8(m)) / 1e8;
            base[m] = sa;
        }
        final MinuteSeries cs = c.changed().series();
        final double[] xb = times(cs);
        final double[] altCum = new double[xb.length];
        for (int m = 0; m < xb.length; m++) {
            sb += (cs.liquidatedLongE8(m) + cs.liquidatedShortE8(m)) / 1e8;
            altCum[m] = sb;
        }
        s.append(timeChart(c.base(), "chart-whatif", "Notional liquidated, cumulative (USDT): as run vs what if", 240)
            .zeroBased().line("as run", RED, x, base).line("what if", BLUE, xb, altCum).render());
        s.append("</section>");
    }

    private static boolean isOctober10(PostMortem pm) {
        return pm.series().size() > 0 && LocalDate.ofInstant(Instant.ofEpochMilli(pm.series().startMs()
            + 60_000), ZoneOffset.UTC).equals(LocalDate.of(2025, 10, 10));
    }

    private static void publishedSection(StringBuilder s, PostMortem pm) {
        final CascadeReport r = pm.totals();
        final long total = r.longNotionalE8() + r.shortNotionalE8();
        s.append("<section id=\"published\"><h2>Against the published figures for 2025-10-10</h2>")
            .append("<p>The published figures are for all venues and coins over 24 hours; this run is one simulated")
            .append(" market. Compare shapes, not totals (docs/POSTMORTEM.md).</p><table class=\"list\"><thead><tr>")
            .append("<th>figure</th><th>published (all venues, 24 h)</th><th>this run</th></tr></thead><tbody>");
        row(s, "notional liquidated", "$19.13 B", Html.usdShort(total));
        row(s, "longs' share", "87 % ($16.6 B)", total == 0 ? "-" : Html.percent((double) r.longNotionalE8() / total));
        row(s, "traders liquidated", "1,618,240", Html.count(r.accountsLiquidated()));
        row(s, "largest single liquidation", "about $203 M (1.1 % of the total)", r.largest() == null ? "-"
            : Html.usdShort(r.largest().notionalE8()) + " (" + Html.percent(total == 0 ? 0
                : (double) r.largest().notionalE8() / total) + " of the total)");
        // the simulated worst minutes: the half hour up to and including the minute of the mark's low
        final MinuteSeries ms = pm.series();
        final long lowMinute = Math.floorDiv(r.markLowAtMs(), 60_000L) * 60_000L;
        int adl = 0;
        int liquidations = 0;
        for (int m = 0; m < ms.size(); m++) {
            if (ms.timeMs(m) >= lowMinute - 30 * 60_000L && ms.timeMs(m) <= lowMinute) {
                adl += ms.adlFills(m);
                liquidations += ms.liquidations(m);
            }
        }
        row(s, "ADL per liquidation in the worst minutes", "0.55 (Hyperliquid 21:15-21:27: 35.0k ADL, 63.6k liquidations)",
            liquidations == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.2f (%s-%s: %s ADL fills, %s liquidations)",
                (double) adl / liquidations, Html.clock(lowMinute - 30 * 60_000L).substring(0, 5),
                Html.clock(lowMinute).substring(0, 5), Html.count(adl), Html.count(liquidations)));
        row(s, "heaviest minute, low", "21:17; low 101,516.5 at 21:20", r.busiestMinute() == null ? "-"
            : Html.clock(r.busiestMinute().startMs()).substring(0, 5) + "; mark low " + Html.price(r.markLowE8()) + " at "
                + Html.clock(r.markLowAtMs()));
        s.append("</tbody></table></section>");
    }

    private static void row(StringBuilder s, String a, String b, String c) {
        s.append("<tr><th>").append(Html.escape(a)).append("</th><td>").append(Html.escape(b)).append("</td><td>")
            .append(Html.escape(c)).append("</td></tr>");
    }

    private static final String CSS = """
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;padding:0 24px 24px;\
        color:#222;background:#fafafa;max-width:1340px}
        header h1{margin:18px 0 4px;font-size:26px}header p{margin:0 0 12px;color:#555}
        h2{font-size:18px;margin:26px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .cards{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}
        .card{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:10px 12px}
        .card .label{font-size:12px;color:#666;text-transform:uppercase;letter-spacing:.03em}
        .card .value{font-size:22px;font-weight:600;margin:4px 0}.card .note{font-size:12px;color:#666}
        svg.chart{display:block;background:#fff;border:1px solid #e2e2e2;border-radius:6px;margin:10px 0;\
        max-width:100%;height:auto}
        table{border-collapse:collapse;background:#fff;font-size:13px}td,th{border:1px solid #e2e2e2;\
        padding:4px 8px;text-align:right}th{text-align:left;font-weight:500;background:#f3f3f3}
        table.totals td{min-width:180px}code{font-size:12px}footer{margin-top:28px;font-size:12px;color:#666}
        """;

    /** Marks the page once every chart has content; a chart without any is named in data-empty. */
    private static final String SCRIPT = """
        (function(){var charts=document.querySelectorAll('svg.chart');var empty=[];\
        for(var i=0;i<charts.length;i++){var c=charts[i];\
        if(c.querySelectorAll('polyline,rect').length===0){empty.push(c.id);}}\
        var root=document.documentElement;root.setAttribute('data-charts',String(charts.length));\
        root.setAttribute('data-empty',empty.join(' '));root.setAttribute('data-report','ready');})();""";
}
