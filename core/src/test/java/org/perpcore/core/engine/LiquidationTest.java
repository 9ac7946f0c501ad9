package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.perpcore.core.testkit.EngineHarness.ofType;
import static org.perpcore.core.testkit.EngineHarness.only;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.perpcore.core.testkit.EngineHarness;

/** The liquidation stage through scenario commands: book, insurance fund, ADL, partial, cascades, circuit breaker. */
class LiquidationTest {
    private static final String SETUP = """
        time 2025-10-10T20:00:00Z
        market BTCUSDT tick=0.1 step=0.001 makerFee=0 takerFee=0 priceBand=0.3 marketBand=0.05
        deposit alice 1000
        deposit mm 10000000
        index BTCUSDT 100000
        leverage alice BTCUSDT 100
        order mm BTCUSDT sell limit 0.5 100000 id=ask
        order alice BTCUSDT buy limit 0.5 100000 id=a1
        """;

    private static EngineHarness setUp(String... more) {
        final EngineHarness h = new EngineHarness();
        h.run(SETUP.lines().toArray(String[]::new));
        h.run(more);
        return h;
    }

    private static BigDecimal dec(Map<String, String> e, String field) {
        return new BigDecimal(e.get(field));
    }

    private static Map<String, String> fund(List<Map<String, String>> events) {
        final var found = ofType(events, "INSURANCE");
        return found.get(found.size() - 1);
    }

    @Test
    void filledAboveBankruptcyTheFundGainsTheDifference() {
        // alice: long 0.5 at 100,000 with 1,000: bankruptcy at 98,000; bids at 98,200 take the whole position
        final EngineHarness h = setUp("insurance BTCUSDT 5000", "order mm BTCUSDT buy limit 0.5 98200 id=bid");
        final var events = h.run("index BTCUSDT 98300");
        only(events, "MARGIN_CALL");
        final var liquidation = only(events, "LIQUIDATION");
        assertEquals("98200.0", liquidation.get("price"));
        assertEquals("98000.0", liquidation.get("bankruptcyPrice"));
        assertEquals("BOOK", liquidation.get("stage"));
        final var order = ofType(events, "ORDER").stream().filter(o -> "LIQUIDATION".equals(o.get("orderType")))
            .findFirst().orElseThrow();
        assertTrue(order.get("clientOrderId").startsWith("autoclose-"), order.toString());
        assertEquals("SURPLUS", fund(events).get("cause"));
        assertEquals("100.00000000", fund(events).get("change"), "(98,200 - 98,000) x 0.5");
        assertEquals("5100.00000000", fund(events).get("balance"));
        assertEquals("0.00000000", only(h.run("query account alice"), "ACCOUNT").get("walletBalance"));
    }

    /**
     * BitMEX's insurance fund example (RISK-REFERENCES.md): long 1 @ 100 with bankruptcy price 99.00. A liquidation
     * filled at 99.25 adds 0.25 to the fund; another with the same bankruptcy price filled at 98.75 takes 0.25 from
     * it (the fund pays the shortfall below the bankruptcy price): net 0.
     */
    @Test
    void bitmexInsuranceFundExample() {
        final EngineHarness h = new EngineHarness();
        h.run("time 2025-10-10T20:00:00Z",
            "market XBT tick=0.25 step=1 makerFee=0 takerFee=0 priceBand=0 marketBand=0.05",
            "insurance XBT 10", "deposit one 1", "deposit two 1", "deposit mm 100000",
            "leverage one XBT 100", "leverage two XBT 100", "index XBT 100",
            "order mm XBT sell limit 1 100", "order one XBT buy limit 1 100",
            "order mm XBT buy limit 1 99.25");
        // one: margin 1 on a long 1 @ 100, so bankrupt at 99.00; the mark falls below its liquidation price
        final var first = h.run("index XBT 99.3");
        final var firstFill = only(first, "LIQUIDATION");
        assertEquals("99.00", firstFill.get("bankruptcyPrice"));
        assertEquals("99.25", firstFill.get("price"));
        assertEquals("SURPLUS", fund(first).get("cause"));
        assertEquals("0.25000000", fund(first).get("change"));
        // two: the same position later; its liquidation finds only a 98.75 bid and the fund pays the shortfall
        h.run("index XBT 100", "order mm XBT sell limit 1 100", "order two XBT buy limit 1 100",
            "order mm XBT buy limit 1 98.75");
        final var second = h.run("index XBT 99.3");
        final var secondFill = only(second, "LIQUIDATION");
        assertEquals("99.00", secondFill.get("bankruptcyPrice"));
        assertEquals("98.75", secondFill.get("price"));
        assertEquals("SHORTFALL", fund(second).get("cause"));
        assertEquals("-0.25000000", fund(second).get("change"));
        assertEquals("10.00000000", fund(second).get("balance"), "net 0: the fund is back where it started");
    }

    @Test
    void whatTheBookCannotTakeTheFundTakesOver() {
        // no bids at all: the fund (with room under its cap) takes alice's position at her bankruptcy price
        final EngineHarness h = setUp("insurance BTCUSDT 5000");
        final var events = h.run("index BTCUSDT 98300");
        final var liquidation = only(events, "LIQUIDATION");
        assertEquals("INSURANCE", liquidation.get("stage"));
        assertEquals("98000.0", liquidation.get("price"));
        final var takeover = fund(events);
        assertEquals("TAKEOVER", takeover.get("cause"));
        // the fund bought 0.5 at 98,000 with the mark at 98,300: +150 at the mark
        assertEquals("150.00000000", takeover.get("change"));
        final var fundPosition = ofType(events, "POSITION").stream()
            .filter(e -> "$insurance-BTCUSDT".equals(e.get("account"))).findFirst().orElseThrow();
        assertEquals("0.500", fundPosition.get("positionAmt"));
        assertEquals("98000.0", fundPosition.get("entryPrice"));
        assertEquals(null, h.engine().account("$insurance-BTCUSDT"), "no command can name a fund");
    }

    /**
     * BitMEX's ADL example (RISK-REFERENCES.md): six longs (account: size, rank) 1:(10,3) 2:(10,6) 3:(20,1) 4:(30,4)
     * 5:(20,5) 6:(10,2); a short of 20 is liquidated and cannot be closed in the book: account 2 closes 10,
     * account 5 closes 10, both at the bankruptcy price. All longs entered at the same price, so their PnL% is equal
     * and their rank follows their effective leverage, set here by their deposits.
     */
    @Test
    void autoDeleverageFollowsTheRankingQueue() {
        final EngineHarness h = new EngineHarness();
        h.run("time 2025-10-10T20:00:00Z",
            "market X tick=0.01 step=1 makerFee=0 takerFee=0 priceBand=0 marketBand=0.05 insuranceCap=0",
            "deposit victim 220", "deposit other 100000", "leverage victim X 10", "leverage other X 10",
            "index X 100");
        // sizes and effective leverage (notional / deposit): rank 6 highest
        final String[][] longs = {{"l1", "10", "3"}, {"l2", "10", "6"}, {"l3", "20", "1"}, {"l4", "30", "4"},
            {"l5", "20", "5"}, {"l6", "10", "2"}};
        for (String[] l : longs) {
            final int size = Integer.parseInt(l[1]);
            final int rank = Integer.parseInt(l[2]);
            h.run("deposit " + l[0] + " " + (size * 100 / rank), "leverage " + l[0] + " X " + (rank + 1));
        }
        h.run("order victim X sell limit 20 100", "order other X sell limit 80 100");
        for (String[] l : longs) {
            h.run("order " + l[0] + " X buy limit " + l[1] + " 100");
        }
        final var events = h.run("index X 110.8"); // victim: liquidation price 110.56, bankruptcy 111
        final var adl = ofType(events, "ADL");
        assertEquals(List.of("l2:10", "l5:10"), adl.stream().map(e -> e.get("account") + ":" + e.get("qty")).toList());
        adl.forEach(e -> assertEquals("victim", e.get("counterparty")));
        final String bankruptcy = ofType(events, "LIQUIDATION").get(0).get("bankruptcyPrice");
        adl.forEach(e -> assertEquals(bankruptcy, e.get("price")));
        assertEquals("111.00", bankruptcy, "victim: 220 on a short of 20 at 100");
        final var adlOrders = ofType(events, "ORDER").stream().filter(o -> "ADL".equals(o.get("orderType"))).toList();
        assertTrue(adlOrders.stream().allMatch(o -> "adl_autoclose".equals(o.get("clientOrderId"))));
        assertEquals(4, adlOrders.size(), "an ORDER event for each side of each ADL fill");
    }

    @Test
    void partialLiquidationReducesToALowerTier() {
        // tier 0 to 50,000 at 1 %, tier 1 at 5 % (cum 2,000): a 0.6 long at 100,000 with 3,000 is below
        // maintenance at 96,400 (margin 840, MM 0.6 x 96,400 x 5 % - 2,000 = 892) but back above once under 50,000
        // (MM 1 %: about 500 against 840 less the 1 % fee on what is sold)
        final EngineHarness h = new EngineHarness();
        h.run("time 2025-10-10T20:00:00Z",
            "market BTCUSDT tick=0.1 step=0.001 makerFee=0 takerFee=0 priceBand=0.3 liquidationFee=0.01",
            "bracket BTCUSDT 0 0.01 100", "bracket BTCUSDT 50000 0.05 20",
            "deposit bob 3000", "deposit mm 10000000", "index BTCUSDT 100000", "leverage bob BTCUSDT 20",
            "insurance BTCUSDT 100",
            "order mm BTCUSDT sell limit 0.6 100000", "order bob BTCUSDT buy limit 0.6 100000",
            "order mm BTCUSDT buy limit 1 96300");
        final var events = h.run("index BTCUSDT 96400");
        final var liquidation = only(events, "LIQUIDATION");
        assertEquals("PARTIAL", liquidation.get("phase"));
        assertTrue(dec(liquidation, "qty").compareTo(new BigDecimal("0.6")) < 0, liquidation.toString());
        assertEquals("LIQUIDATION_FEE", fund(events).get("cause"));
        final var position = only(h.run("query position bob BTCUSDT"), "POSITION");
        assertTrue(dec(position, "notional").compareTo(new BigDecimal("50000")) < 0, position.toString());
        assertTrue(dec(position, "positionAmt").signum() > 0, "a position is left");
        final var account = only(h.run("query account bob"), "ACCOUNT");
        assertTrue(dec(account, "marginBalance").compareTo(dec(account, "maintMargin")) > 0, account.toString());
    }

    @Test
    void oneLiquidationsFillsPushTheNextAccountIntoItsTrigger() {
        // no index: positions are valued at the last trade, so the first liquidation's fill at 98,000 moves the
        // price into the second account's liquidation price (about 98,253) in the same command
        final EngineHarness h = new EngineHarness();
        h.run("time 2025-10-10T20:00:00Z",
            "market BTCUSDT tick=0.1 step=0.001 makerFee=0 takerFee=0 priceBand=0.3",
            "insurance BTCUSDT 100000", "deposit a 1000", "deposit b 1070", "deposit mm 10000000",
            "leverage a BTCUSDT 100", "leverage b BTCUSDT 100",
            "order mm BTCUSDT sell limit 1 100000", "order a BTCUSDT buy limit 0.5 100000",
            "order b BTCUSDT buy limit 0.5 100000",
            "order mm BTCUSDT buy limit 0.5 98200", "order mm BTCUSDT buy limit 0.5 97000");
        final var events = h.run("deposit x 100000", "order mm BTCUSDT sell limit 0.001 98300",
            "order x BTCUSDT buy limit 0.001 98300");
        final List<String> liquidated = ofType(events, "LIQUIDATION").stream().map(e -> e.get("account")).toList();
        assertEquals(List.of("a", "b"), liquidated.stream().distinct().toList(), events.toString());
    }

    @Test
    void crossAccountWithTwoMarketsIsLiquidatedAsAWhole() {
        final EngineHarness h = new EngineHarness();
        h.run("time 2025-10-10T20:00:00Z",
            "market BTCUSDT tick=0.1 step=0.001 makerFee=0 takerFee=0 priceBand=0.3",
            "market ETHUSDT tick=0.01 step=0.01 makerFee=0 takerFee=0 priceBand=0.3",
            "insurance BTCUSDT 100000", "insurance ETHUSDT 100000",
            "deposit t 2000", "deposit mm 10000000", "leverage t BTCUSDT 50", "leverage t ETHUSDT 50",
            "index BTCUSDT 100000", "index ETHUSDT 4000",
            "order mm BTCUSDT sell limit 0.5 100000", "order t BTCUSDT buy limit 0.5 100000",
            "order mm ETHUSDT sell limit 10 4000", "order t ETHUSDT buy limit 10 4000",
            "order mm BTCUSDT buy limit 1 99000", "order mm ETHUSDT buy limit 20 3700");
        // ETH falls 6 %: the cross account (both positions) goes below maintenance; BTC unchanged
        final var events = h.run("index ETHUSDT 3760");
        only(events, "MARGIN_CALL");
        final List<String> symbols = ofType(events, "LIQUIDATION").stream().map(e -> e.get("symbol")).distinct()
            .toList();
        // BTC's maintenance margin (200) is larger than ETH's (150.4): it goes first
        assertEquals(List.of("BTCUSDT", "ETHUSDT"), symbols, "largest maintenance margin first, then the rest");
        assertEquals("0.000", only(h.run("query position t BTCUSDT"), "POSITION").get("positionAmt"));
        assertEquals("0.00", only(h.run("query position t ETHUSDT"), "POSITION").get("positionAmt"));
    }

    @Test
    void circuitBreakerHaltsNewRiskButNotCancelsReduceOnlyOrLiquidations() {
        final EngineHarness h = setUp("market BTCUSDT haltMove=0.05 haltWindow=1m haltFor=5m",
            "deposit carol 100000", "order carol BTCUSDT buy limit 0.1 90000 id=c1");
        h.run("index BTCUSDT 99000");
        final var halt = only(h.run("index BTCUSDT 94000"), "HALT");
        assertEquals("MARK_MOVE", halt.get("reason"));
        assertEquals("-9006", only(h.run("order carol BTCUSDT buy limit 0.1 90000"), "REJECT").get("code"));
        assertEquals("CANCELED", only(h.run("cancel carol BTCUSDT c1"), "ORDER").get("status"));
        // alice was liquidated in the move anyway (halts never stop liquidations)
        assertEquals("0.000", only(h.run("query position alice BTCUSDT"), "POSITION").get("positionAmt"));
        final var resumed = only(h.run("advance 5m"), "HALT");
        assertEquals("RESUMED", resumed.get("reason"));
        assertEquals(0, ofType(h.run("order carol BTCUSDT buy limit 0.1 90000"), "REJECT").size());
    }

    @Test
    void aFundWhoseTakenOverPositionLosesPastItsEquityIsDeleveragedAndTheDeficitIsBadDebt() {
        // the fund takes alice's 0.5 long at 98,000 (no bids); mm is the only short
        final EngineHarness h = setUp("insurance BTCUSDT 5000");
        h.run("index BTCUSDT 98300");
        // at 80,000 the fund's long has lost 9,000 against its 5,000 (and 150 of gains): its equity is below zero
        final var events = h.run("index BTCUSDT 80000");
        final var adl = only(events, "ADL");
        assertEquals("mm", adl.get("account"));
        assertEquals("$insurance-BTCUSDT", adl.get("counterparty"));
        assertEquals("0.500", adl.get("qty"));
        final var deleverage = ofType(events, "INSURANCE").stream()
            .filter(e -> "DELEVERAGE".equals(e.get("cause"))).findFirst().orElseThrow();
        final var badDebt = only(events, "BAD_DEBT");
        assertEquals("$insurance-BTCUSDT", badDebt.get("account"));
        assertEquals(dec(deleverage, "balance").negate(), dec(badDebt, "uncovered"), "the deficit, recorded");
        assertTrue(dec(badDebt, "uncovered").compareTo(new BigDecimal("3800")) > 0, badDebt.toString());
        assertEquals("0.000", only(h.run("query position mm BTCUSDT"), "POSITION").get("positionAmt"));
    }

    @Test
    void aWalletLeftNegativeByTheAccountsOwnTradeIsBadDebtCoveredByTheFund() {
        // dave's isolated long (margin 1,000) is closed by his own sell at 90,500 with the mark at 100,000:
        // a loss of 1,900 against 1,000 of isolated margin and 100 in his wallet
        final EngineHarness h = setUp("insurance BTCUSDT 5000", "deposit dave 1100",
            "margin dave BTCUSDT isolated", "leverage dave BTCUSDT 20",
            "order mm BTCUSDT sell limit 0.2 100000", "order dave BTCUSDT buy limit 0.2 100000",
            "order mm BTCUSDT buy limit 0.2 90500");
        final var events = h.run("order dave BTCUSDT sell limit 0.2 90500 reduceOnly");
        final var badDebt = only(events, "BAD_DEBT");
        assertEquals("dave", badDebt.get("account"));
        assertEquals("800.00000000", badDebt.get("amount"));
        assertEquals("0.00000000", badDebt.get("uncovered"), "the fund had enough");
        assertEquals("0.00000000", only(h.run("query account dave"), "ACCOUNT").get("walletBalance"));
        assertEquals("4200.00000000", fund(events).get("balance"));
    }
}
