package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.perpcore.core.engine.Account;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.engine.Market;
import org.perpcore.core.engine.Position;
import org.perpcore.core.event.EventType;
import org.perpcore.core.event.EventView;
import org.perpcore.core.model.ExecType;
import org.perpcore.core.model.LiquidationStage;
import org.perpcore.core.model.Side;
import org.perpcore.core.num.Decimal;
import org.perpcore.core.num.Fixed;
import org.perpcore.gateway.postmortem.JournalPostMortem;
import org.perpcore.gateway.postmortem.LiquidationMap;
import org.perpcore.gateway.postmortem.MinuteSeries;
import org.perpcore.gateway.postmortem.PostMortem;
import org.perpcore.journal.EventJournalReader;
import org.perpcore.journal.Replayer;

/**
 * The post-mortem's numbers against an independent recount: the small demo's event journal read here event by event
 * with nothing but {@link EventView}, and the engine state replayed from its command journal.
 */
class PostMortemRecountTest {

    /** What the recount finds. */
    private static final class Recount {
        final Map<Integer, String> names = new HashMap<>();
        final Set<String> liquidations = new HashSet<>();
        final Set<Integer> liquidated = new HashSet<>();
        final Map<String, Long> perLiquidation = new HashMap<>();
        long longNotional;
        long shortNotional;
        long bookSell;
        int adlFills;
        long badDebt;
        long stopSell;
        int stopsTriggered;
        int halts;
        long lastFundBalance;
        long markLow = Long.MAX_VALUE;
    }

    private static Recount recount() {
        final SmallCascade c = SmallCascade.get();
        final Recount r = new Recount();
        final EventView e = new EventView();
        try (EventJournalReader reader = new EventJournalReader(c.journal)) {
            while (reader.next()) {
                int p = 0;
                while (p < reader.length()) {
                    final int n = e.decode(reader.events(), p);
                    assertTrue(n > 0, "every event decodes");
                    p += n;
                    if (e.type == EventType.ACCOUNT_CREATED) {
                        r.names.put(e.account, e.name.toString());
                    } else if (e.type == EventType.LIQUIDATION && !r.names.get(e.account).startsWith("$")) {
                        final String key = reader.seq() + "/" + e.account;
                        r.liquidations.add(key);
                        r.liquidated.add(e.account);
                        final long notional = Fixed.mulDivFloor(e.qtyE8, e.priceE8, Fixed.E8);
                        r.perLiquidation.merge(key, notional, Long::sum);
                        if (e.side == Side.SELL) {
                            r.longNotional += notional;
                            if (e.stage == LiquidationStage.BOOK) {
                                r.bookSell += notional;
                            }
                        } else {
                            r.shortNotional += notional;
                        }
                    } else if (e.type == EventType.ADL) {
                        r.adlFills++;
                    } else if (e.type == EventType.BAD_DEBT) {
                        r.badDebt += e.amountE8;
                    } else if (e.type == EventType.ORDER && e.conditional && e.execType == ExecType.TRADE
                        && e.side == Side.SELL) {
                        r.stopSell += Fixed.mulDivFloor(e.lastQtyE8, e.lastPriceE8, Fixed.E8);
                    } else if (e.type == EventType.ORDER && e.conditional && e.execType == ExecType.TRIGGERED) {
                        r.stopsTriggered++;
                    } else if (e.type == EventType.HALT && !e.resumed) {
                        r.halts++;
                    } else if (e.type == EventType.INSURANCE) {
                        r.lastFundBalance = e.balanceE8;
                    } else if (e.type == EventType.MARK && e.markE8 > 0) {
                        r.markLow = Math.min(r.markLow, e.markE8);
                    }
                }
            }
        }
        return r;
    }

    /** The {@code totals} figures of a summary.json: key to its value (quotes stripped). */
    private static Map<String, String> totals(String json) {
        final int start = json.indexOf("\"totals\":{") + "\"totals\":{".length();
        final String body = json.substring(start, json.indexOf('}', start));
        final Map<String, String> m = new HashMap<>();
        final Matcher matcher = Pattern.compile("\"(\\w+)\":\"?([-0-9.]+)\"?").matcher(body);
        while (matcher.find()) {
            m.put(matcher.group(1), matcher.group(2));
        }
        return m;
    }

    private static long usd(Map<String, String> totals, String key) {
        return Decimal.parseE8(totals.get(key));
    }

    /** Money rounded down to the cent, as the summary writes it. */
    private static long cents(long e8) {
        return Math.floorDiv(e8, 1_000_000L) * 1_000_000L;
    }

    @Test
    void theSummaryAgreesWithARecountOfTheEventJournal() throws IOException {
        final SmallCascade c = SmallCascade.get();
        final Recount r = recount();
        final Map<String, String> t = totals(Files.readString(c.run.resolve("summary.json")));

        assertTrue(r.liquidated.size() > SmallCascade.ACCOUNTS / 10, "a 17 % crash liquidates many: "
            + r.liquidated.size());
        assertEquals(r.liquidated.size(), Integer.parseInt(t.get("accountsLiquidated")), "accounts liquidated");
        assertEquals(r.liquidations.size(), Integer.parseInt(t.get("liquidations")), "liquidations");
        assertEquals(cents(r.longNotional), usd(t, "longNotional"), "long notional");
        assertEquals(cents(r.shortNotional), usd(t, "shortNotional"), "short notional");
        assertEquals(cents(r.longNotional + r.shortNotional), usd(t, "liquidatedNotional"), "notional");
        final long largest = r.perLiquidation.values().stream().mapToLong(Long::longValue).max().orElse(0);
        assertEquals(cents(largest), usd(t, "largestLiquidation"), "largest single liquidation");
        assertEquals(r.adlFills, Integer.parseInt(t.get("adlFills")), "ADL fills");
        assertEquals(cents(r.badDebt), usd(t, "badDebt"), "bad debt");
        assertEquals(cents(r.bookSell), usd(t, "liquidationBookSell"), "liquidation-driven selling in the book");
        assertTrue(r.stopSell > 0, "stop-losses fired in the crash");
        assertEquals(cents(r.stopSell), usd(t, "stopSell"), "stop-driven selling");
        assertEquals(r.stopsTriggered, Integer.parseInt(t.get("stopsTriggered")), "stops triggered");
        assertEquals(r.halts, Integer.parseInt(t.get("halts")), "halts");
        assertEquals(cents(r.lastFundBalance), usd(t, "insuranceFinal"), "the fund's last balance");
        assertEquals(r.markLow, Decimal.parseE8(t.get("markLow")), "mark low");
    }

    @Test
    void theMinuteSeriesAddUpAndOpenInterestMatchesTheReplayedEngine() {
        final SmallCascade c = SmallCascade.get();
        final PostMortem pm = JournalPostMortem.read(c.journal, null, Replayer.Progress.NONE);
        final MinuteSeries s = pm.series();
        long longs = 0;
        long shorts = 0;
        int count = 0;
        for (int m = 0; m < s.size(); m++) {
            longs += s.liquidatedLongE8(m);
            shorts += s.liquidatedShortE8(m);
            count += s.liquidations(m);
        }
        assertEquals(pm.totals().longNotionalE8(), longs, "per-minute long notional adds up");
        assertEquals(pm.totals().shortNotionalE8(), shorts, "per-minute short notional adds up");
        assertEquals(pm.totals().liquidations(), count, "per-minute counts add up");

        final Engine engine = Replayer.replay(c.journal, Replayer.Options.ALL).engine();
        final Market market = engine.market("BTCUSDT");
        assertEquals(market.qtyE8(market.openLongLots()), pm.openInterestFinalQtyE8(),
            "open interest from POSITION events equals the engine's");
        assertEquals(market.qtyE8(market.openLongLots()), s.openInterestQtyE8(s.size() - 1), "and the series' last");
    }

    @Test
    void theLiquidationMapIsThePositionsOfTheReplayedState() {
        final SmallCascade c = SmallCascade.get();
        final PostMortem pm = JournalPostMortem.read(c.journal, null, Replayer.Progress.NONE);
        final LiquidationMap map = pm.map();
        assertTrue(map != null, "the report has a map");
        final long mapTime = JournalPostMortem.defaultMapTime(pm);
        final long first = pm.series().startMs();
        final long last = pm.series().timeMs(pm.series().size() - 1) + 59_999;
        final long wanted = Math.floorDiv(pm.totals().markLowAtMs(), 60_000L) * 60_000L - 30 * 60_000L;
        assertEquals(Math.max(first, Math.min(last, wanted)), mapTime,
            "by default 30 minutes before the minute of the mark's low, within the run");
        assertTrue(map.atMs() <= mapTime && map.atMs() > mapTime - 60_000, "the state of the last command at or"
            + " before that time: " + map.atMs());

        // from the first command: independent of the snapshot the report restores
        final Engine engine = Replayer.replay(c.journal, Replayer.Options.ALL.withToTime(mapTime).withFromStart(true))
            .engine();
        final Market market = engine.market("BTCUSDT");
        long longs = 0;
        long shorts = 0;
        int longCount = 0;
        for (int id = 0; id < engine.accountCount(); id++) {
            final Account a = engine.account(id);
            final Position p = a.isFund() ? null : a.position(market.id());
            if (p == null || p.qtyE8() == 0 || p.liquidationPriceE8() <= 0
                || p.liquidationPriceE8() == Long.MAX_VALUE) {
                continue;
            }
            final long notional = Fixed.mulDivFloor(Math.abs(p.qtyE8()), p.liquidationPriceE8(), Fixed.E8);
            if (p.qtyE8() > 0) {
                longs += notional;
                longCount++;
            } else {
                shorts += notional;
            }
        }
        assertTrue(longCount > SmallCascade.ACCOUNTS / 2, "most traders hold a long going into the crash");
        assertEquals(longs, map.longTotalE8(), "longs' notional at their liquidation prices");
        assertEquals(shorts, map.shortTotalE8(), "shorts'");
        long inLevels = 0;
        for (LiquidationMap.Level l : map.levels()) {
            inLevels += l.longNotionalE8();
            assertEquals(0, l.priceE8() % map.bucketE8(), "levels on the bucket grid");
        }
        assertTrue(inLevels <= longs && inLevels > longs / 2, "most long liquidation prices lie within 25 % of the mark");
        assertTrue(map.longWithinE8(0.05) <= map.longWithinE8(0.10) && map.longWithinE8(0.10) <= inLevels
            && map.longWithinE8(0.10) > 0, "longs within 5 % <= within 10 % <= all levels");
    }

    @Test
    void reportOfTheDemosJournalWritesTheDemosSummary() throws IOException {
        final SmallCascade c = SmallCascade.get();
        final CliRun report = CliRun.of("report", c.journal.toString(), "--out", c.root.resolve("report").toString());

        assertEquals(0, report.status(), report::describe);
        assertTrue(report.stdoutText().contains("report: " + c.root.resolve("report").resolve("report.html")),
            report::describe);
        final String demo = summary(c.run);
        assertEquals(demo, summary(c.root.resolve("report")),
            "the demo's map (taken live) and the report's (replayed) are the same, as is the rest");
    }

    @Test
    void theReportRestoresTheMapTimesSnapshotAndWritesWhatAFullReplayWrites() throws IOException {
        final SmallCascade c = SmallCascade.get();
        final CliRun snapshot = CliRun.of("report", c.journal.toString(), "--out", c.root.resolve("r-snap").toString());
        final CliRun full = CliRun.of("report", c.journal.toString(), "--out", c.root.resolve("r-full").toString(),
            "--from-start");

        assertEquals(0, snapshot.status(), snapshot::describe);
        assertEquals(0, full.status(), full::describe);
        final Matcher m = Pattern.compile("the liquidation map's state from the snapshot at seq ([0-9]+) and 1"
            + " command after it").matcher(snapshot.stderr());
        assertTrue(m.find(), "the demo's snapshot at the map's time is restored, only the query after it replayed: "
            + snapshot.stderr());
        assertTrue(Files.exists(c.journal.resolve("snapshots").resolve(String.format("snapshot-%020d.snap",
            Long.parseLong(m.group(1))))), "that snapshot is in the journal");
        assertTrue(full.stderr().contains("the liquidation map's state from the first command and "), full::describe);
        assertEquals(summary(c.root.resolve("r-full")), summary(c.root.resolve("r-snap")),
            "the same summary from the snapshot as from a replay of every command");
        assertEquals(summary(c.run), summary(c.root.resolve("r-snap")), "and the demo's");
    }

    @Test
    void aLaterMapTimeStartsFromTheLatestPeriodicSnapshot() throws IOException {
        final SmallCascade c = SmallCascade.get();
        final String late = java.time.Instant.ofEpochMilli(SmallCascade.T0 + 55 * 60_000L).toString();
        final CliRun snapshot = CliRun.of("report", c.journal.toString(), "--map-time", late, "--out",
            c.root.resolve("late-snap").toString());
        final CliRun full = CliRun.of("report", c.journal.toString(), "--map-time", late, "--out",
            c.root.resolve("late-full").toString(), "--from-start");

        assertEquals(0, snapshot.status(), snapshot::describe);
        assertEquals(0, full.status(), full::describe);
        final Replayer.Result r = Replayer.replay(c.journal, Replayer.Options.ALL.withToTime(SmallCascade.T0
            + 55 * 60_000L));
        final long mapSnapshot = Replayer.replay(c.journal, Replayer.Options.ALL.withToTime(
            JournalPostMortem.defaultMapTime(JournalPostMortem.eventsOnly(c.journal, Replayer.Progress.NONE))))
            .fromSnapshotSeq();
        assertTrue(r.fromSnapshotSeq() > mapSnapshot && mapSnapshot > 0, "a periodic snapshot after the map time's: "
            + r.fromSnapshotSeq() + " > " + mapSnapshot);
        assertTrue(snapshot.stderr().contains("from the snapshot at seq " + r.fromSnapshotSeq() + " and "),
            snapshot::describe);
        assertEquals(summary(c.root.resolve("late-full")), summary(c.root.resolve("late-snap")),
            "the same summary from a periodic snapshot and the commands after it as from a full replay");
    }

    /** A run's summary.json without its source line (the path it was read from). */
    private static String summary(java.nio.file.Path dir) throws IOException {
        return Files.readString(dir.resolve("summary.json")).replaceFirst("\"source\":\"[^\"]*\"", "");
    }
}
