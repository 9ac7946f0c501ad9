package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.perpcore.core.testkit.EngineHarness.ofType;
import static org.perpcore.core.testkit.EngineHarness.only;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.perpcore.core.testkit.EngineHarness;

/**
 * Conditional orders through scenario commands: each type and direction, both working prices, trailing activation
 * and callback, closePosition, reduce-only, priceProtect, the order of many orders at one price, triggers fired by a
 * liquidation's own fills, cancels, expiry and Binance's rejects.
 */
class ConditionalOrdersTest {
    /** alice long 0.5 at 100,000; bob and carol funded; mm quotes nothing yet. No fees, wide bands. */
    private static final String SETUP = """
        time 2025-10-10T20:00:00Z
        market BTCUSDT tick=0.1 step=0.001 makerFee=0 takerFee=0 priceBand=0.2 marketBand=0.1
        deposit alice 100000
        deposit bob 100000
        deposit carol 100000
        deposit mm 10000000
        order mm BTCUSDT sell limit 0.5 100000 id=ask0
        order alice BTCUSDT buy market 0.5
        """;

    private static EngineHarness setUp(String... more) {
        final EngineHarness h = new EngineHarness();
        h.run(SETUP.lines().toArray(String[]::new));
        h.run(more);
        return h;
    }

    /** The ORDER events of one client order id, in order. */
    private static List<Map<String, String>> orderEvents(List<Map<String, String>> events, String clientId) {
        return ofType(events, "ORDER").stream().filter(e -> clientId.equals(e.get("clientOrderId"))).toList();
    }

    private static List<String> statuses(List<Map<String, String>> events, String clientId) {
        return orderEvents(events, clientId).stream().map(e -> e.get("status")).toList();
    }

    /** The client ids of the TRIGGERED events, in order. */
    private static List<String> triggered(List<Map<String, String>> events) {
        return ofType(events, "ORDER").stream().filter(e -> "TRIGGERED".equals(e.get("status")))
            .map(e -> e.get("clientOrderId")).toList();
    }

    private static Map<String, String> reject(EngineHarness h, String line) {
        final long before = h.engine().stateHash();
        final var events = h.run(line);
        assertEquals(before, h.engine().stateHash(), "a rejected order changes nothing: " + line);
        final var order = only(events, "ORDER");
        assertEquals("REJECTED", order.get("status"));
        return only(events, "REJECT");
    }

    private static String code(EngineHarness h, String line) {
        return reject(h, line).get("code");
    }

    // ------------------------------------------------------------------------------------------ each type

    @Test
    void stopMarketSellFiresWhenATradeReachesItsStopAndFillsAsAMarketOrder() {
        final EngineHarness h = setUp();
        final var placed = h.run("order alice BTCUSDT sell stop_market 0.5 stopPrice=99000 reduceOnly id=sl");
        assertEquals(List.of("NEW"), statuses(placed, "sl"));
        assertEquals("99000.0", only(placed, "ORDER").get("stopPrice"));
        assertTrue(ofType(placed, "ACCOUNT").isEmpty(), "a waiting order moves no money and reserves no margin");
        h.run("order mm BTCUSDT buy limit 0.5 99500", "order mm BTCUSDT buy limit 1 99000");
        // a trade at 99,500 does not reach it
        assertTrue(triggered(h.run("order bob BTCUSDT sell market 0.5")).isEmpty());
        // a trade at 99,000 does: the stop sells alice's 0.5 in the same command
        final var events = h.run("order bob BTCUSDT sell market 0.1");
        assertEquals(List.of("TRIGGERED", "FILLED"), statuses(events, "sl"));
        final var trigger = orderEvents(events, "sl").get(0);
        assertEquals("STOP_MARKET", trigger.get("orderType"));
        assertEquals("99000.0", trigger.get("stopPrice"));
        assertEquals("99000.0", trigger.get("triggerPrice"));
        assertEquals("CONTRACT_PRICE", trigger.get("workingType"));
        final var fill = orderEvents(events, "sl").get(1);
        assertEquals("0.500", fill.get("executedQty"));
        assertEquals("99000.0", fill.get("avgPrice"));
        final var position = ofType(events, "POSITION").stream()
            .filter(p -> "alice".equals(p.get("account"))).findFirst().orElseThrow();
        assertEquals("0.000", position.get("positionAmt"));
        // the triggered order's events come after the trade that fired it
        final int tradeAt = events.indexOf(ofType(events, "TRADE").get(0));
        assertTrue(events.indexOf(trigger) > tradeAt);
    }

    @Test
    void markPriceStopsWatchTheMarkNotTrades() {
        final EngineHarness h = setUp("index BTCUSDT 100000",
            "order alice BTCUSDT sell stop_market 0.5 stopPrice=99000 workingType=MARK_PRICE reduceOnly id=sl",
            "order mm BTCUSDT buy limit 0.1 98000", "order mm BTCUSDT buy limit 2 97000");
        // a trade far below the stop: the mark (the median with the index) stays near 100,000
        final var trade = h.run("order bob BTCUSDT sell market 0.1");
        assertEquals("98000.0", only(trade, "TRADE").get("price"));
        assertTrue(triggered(trade).isEmpty(), trade.toString());
        // an index tick moves the mark to or below the stop: it fires, after the MARK event
        final var tick = h.run("index BTCUSDT 98500");
        final var mark = only(tick, "MARK");
        assertTrue(Double.parseDouble(mark.get("markPrice")) <= 99000, mark.toString());
        assertEquals(List.of("TRIGGERED", "FILLED"), statuses(tick, "sl"));
        assertEquals("MARK_PRICE", orderEvents(tick, "sl").get(0).get("workingType"));
        assertTrue(tick.indexOf(mark) < tick.indexOf(orderEvents(tick, "sl").get(0)));
    }

    @Test
    void takeProfitsFireTheOtherWay() {
        final EngineHarness h = setUp("mark BTCUSDT 100000",
            "order alice BTCUSDT sell take_profit_market 0.2 stopPrice=101000 workingType=MARK_PRICE id=tp",
            "order bob BTCUSDT buy take_profit_market 0.1 stopPrice=99000 workingType=MARK_PRICE id=tpb",
            "order mm BTCUSDT buy limit 1 100900", "order mm BTCUSDT sell limit 1 99100");
        assertTrue(triggered(h.run("mark BTCUSDT 100999.9")).isEmpty());
        assertEquals(List.of("tp"), triggered(h.run("mark BTCUSDT 101000")));
        assertTrue(triggered(h.run("mark BTCUSDT 99000.1")).isEmpty());
        final var events = h.run("mark BTCUSDT 98000");
        assertEquals(List.of("tpb"), triggered(events));
        assertEquals(List.of("TRIGGERED", "FILLED"), statuses(events, "tpb"));
    }

    @Test
    void aTriggeredStopLimitOrderRestsAsALimitOrderAndIsCancelledAsOne() {
        final EngineHarness h = setUp("mark BTCUSDT 100000",
            "order bob BTCUSDT buy stop 0.2 100600 stopPrice=100500 workingType=MARK_PRICE id=sb",
            "order mm BTCUSDT sell limit 0.1 100550");
        final var events = h.run("mark BTCUSDT 100500");
        assertEquals(List.of("TRIGGERED", "PARTIALLY_FILLED"), statuses(events, "sb"));
        final var filled = orderEvents(events, "sb").get(1);
        assertEquals("STOP", filled.get("orderType"));
        assertEquals("GTC", filled.get("timeInForce"));
        assertEquals("100600.0", filled.get("price"));
        assertEquals("100550.0", filled.get("lastFilledPrice"));
        // it rests at its limit price: a later sell at 100,600 fills it
        final var rest = h.run("order mm BTCUSDT sell limit 0.05 100600");
        assertEquals("100600.0", only(rest, "TRADE").get("price"));
        // only LIMIT orders can be amended (Binance); cancel works
        assertEquals("-5025", only(h.run("amend bob BTCUSDT sb qty=0.15"), "REJECT").get("code"));
        assertEquals(List.of("CANCELED"), statuses(h.run("cancel bob BTCUSDT sb"), "sb"));
    }

    // ------------------------------------------------------------------------------------------ trailing stops

    @Test
    void trailingSellActivatesAtItsPriceThenFollowsTheHighAndFiresOnTheCallback() {
        final EngineHarness h = setUp("mark BTCUSDT 100000", "order mm BTCUSDT buy limit 1 99000",
            "order alice BTCUSDT sell trailing_stop_market 0.5 callbackRate=1 activationPrice=101000"
                + " workingType=MARK_PRICE reduceOnly id=tr");
        // not active yet: a 1 % fall from 100,900 fires nothing
        h.run("mark BTCUSDT 100900");
        assertTrue(triggered(h.run("mark BTCUSDT 99800")).isEmpty());
        h.run("mark BTCUSDT 101000"); // active: high 101,000
        h.run("mark BTCUSDT 102000"); // high 102,000: trigger 100,980
        assertTrue(triggered(h.run("mark BTCUSDT 100980.1")).isEmpty());
        final var events = h.run("mark BTCUSDT 100980");
        assertEquals(List.of("TRIGGERED", "FILLED"), statuses(events, "tr"));
        final var trigger = orderEvents(events, "tr").get(0);
        assertEquals("100980.0", trigger.get("triggerPrice"));
        assertEquals("101000.0", trigger.get("activationPrice"));
        assertEquals("1", trigger.get("priceRate"));
        assertTrue(!trigger.containsKey("stopPrice"), "a trailing stop has no stop price: " + trigger);
    }

    @Test
    void trailingBuyWithoutActivationFollowsTheLowFromTheLatestPrice() {
        final EngineHarness h = setUp("order mm BTCUSDT buy limit 1 99900", "order bob BTCUSDT sell market 0.5",
            "order mm BTCUSDT sell limit 1 102000",
            "order bob BTCUSDT buy trailing_stop_market 0.5 callbackRate=2 reduceOnly id=tb");
        // the low moves with trades; the trigger is ceil(low x 1.02)
        trade(h, 99000);
        trade(h, 99500);
        assertTrue(triggered(trade(h, 100979.9)).isEmpty());
        final var events = trade(h, 100980);
        assertEquals(List.of("TRIGGERED", "FILLED"), statuses(events, "tb"));
        assertEquals("100980.0", orderEvents(events, "tb").get(0).get("triggerPrice"));
    }

    /**
     * One evaluation whose range went up and then down (as when one round fires buys and sells: a falling price fires
     * sell stops and buy take-profits together): a trailing stop's extreme moves to the range's high and it is
     * checked again where the range ended, and one activated inside the range starts from its high. White box: the
     * range is written into the market's book directly, then evaluated.
     */
    @Test
    void aRangeThatRoseThenFellFiresTrailingStopsAgainstItsHigh() {
        final EngineHarness h = setUp("order mm BTCUSDT buy limit 1 99000",
            "order alice BTCUSDT sell trailing_stop_market 0.1 callbackRate=1 reduceOnly id=tr",
            "order alice BTCUSDT sell trailing_stop_market 0.1 callbackRate=1 activationPrice=101000 reduceOnly"
                + " id=act");
        final Engine engine = h.engine();
        final Market m = engine.market("BTCUSDT");
        // up to 102,000 (tr: high 102,000, trigger 100,980; act: active at 102,000, the same trigger), then 100,950
        m.conditionals.onTrade(1_020_000);
        m.conditionals.onTrade(1_009_500);
        m.lastPriceTicks = 1_009_500;
        final org.perpcore.core.event.EventBuffer out = new org.perpcore.core.event.EventBuffer();
        engine.conditionals().run(out);
        final org.perpcore.core.event.EventView view = new org.perpcore.core.event.EventView();
        final List<String> fired = new java.util.ArrayList<>();
        for (int p = 0; p < out.length(); ) {
            p += view.decode(out.buffer(), p);
            if (view.type == org.perpcore.core.event.EventType.ORDER
                && view.status == org.perpcore.core.model.OrderStatus.TRIGGERED) {
                fired.add(view.clientId + "@" + view.triggerPriceE8 / 100_000_000.0);
            }
        }
        assertEquals(List.of("tr@100980.0", "act@100980.0"), fired);
    }

    /** A trade of 0.001 at {@code price} between mm and carol (mm quotes, carol takes), clear of other orders. */
    private static List<Map<String, String>> trade(EngineHarness h, double price) {
        final String p = String.format("%.1f", price);
        h.run("order mm BTCUSDT sell limit 0.001 " + p + " id=t" + p);
        return h.run("order carol BTCUSDT buy limit 0.001 " + p + " tif=IOC");
    }

    @Test
    void badCallbackRatesAndActivationPricesAreRefused() {
        final EngineHarness h = setUp("mark BTCUSDT 100000");
        assertEquals("-1130", code(h, "order alice BTCUSDT sell trailing_stop_market 0.1 callbackRate=0.09"));
        assertEquals("-1130", code(h, "order alice BTCUSDT sell trailing_stop_market 0.1 callbackRate=10.01"));
        assertEquals("-1130", code(h, "order alice BTCUSDT sell trailing_stop_market 0.1 callbackRate=1.005"));
        assertEquals("-1102", code(h, "order alice BTCUSDT sell trailing_stop_market 0.1"));
        assertEquals("-4135", code(h,
            "order alice BTCUSDT sell trailing_stop_market 0.1 callbackRate=1 activationPrice=100000.05"));
        // a sell's activation price must be above the latest price, a buy's below (else it would activate at once)
        assertEquals("-2021", code(h,
            "order alice BTCUSDT sell trailing_stop_market 0.1 callbackRate=1 activationPrice=99000"));
        assertEquals("-2021", code(h,
            "order bob BTCUSDT buy trailing_stop_market 0.1 callbackRate=1 activationPrice=100000"));
        assertEquals("-1106", code(h, "order alice BTCUSDT sell trailing_stop_market 0.1 callbackRate=1"
            + " stopPrice=99000"));
        assertEquals("NEW", only(h.run("order alice BTCUSDT sell trailing_stop_market 0.1 callbackRate=10"
            + " activationPrice=100000.1"), "ORDER").get("status"));
    }

    // ------------------------------------------------------------------------------------ closePosition, reduce-only

    @Test
    void closePositionClosesTheWholePositionWhenItFires() {
        final EngineHarness h = setUp("order alice BTCUSDT buy limit 0.3 100000",
            "order mm BTCUSDT sell limit 0.3 100000",
            "mark BTCUSDT 100000",
            "order alice BTCUSDT sell stop_market stopPrice=99000 closePosition workingType=MARK_PRICE id=cp",
            "order mm BTCUSDT buy limit 2 98900");
        final var placed = h.run("query position alice BTCUSDT");
        assertEquals("0.800", only(placed, "POSITION").get("positionAmt"));
        final var events = h.run("mark BTCUSDT 99000");
        assertEquals(List.of("TRIGGERED", "FILLED"), statuses(events, "cp"));
        final var fill = orderEvents(events, "cp").get(1);
        assertEquals("0.800", fill.get("origQty"));
        assertEquals("true", fill.get("closePosition"));
        assertEquals("true", fill.get("reduceOnly"));
        assertEquals("0.000", only(h.run("query position alice BTCUSDT"), "POSITION").get("positionAmt"));
    }

    @Test
    void reduceOnlyAndClosePositionOrdersExpireWhenThePositionCloses() {
        final EngineHarness h = setUp("mark BTCUSDT 100000",
            "order alice BTCUSDT sell stop_market stopPrice=99000 closePosition workingType=MARK_PRICE id=cp",
            "order alice BTCUSDT sell take_profit_market 0.5 stopPrice=105000 reduceOnly id=tp",
            "order alice BTCUSDT sell stop_market 0.1 stopPrice=98000 id=plain",
            "order mm BTCUSDT buy limit 1 100000");
        final var events = h.run("order alice BTCUSDT sell market 0.5");
        assertEquals(List.of("EXPIRED"), statuses(events, "cp"));
        assertEquals("REDUCE_ONLY", orderEvents(events, "cp").get(0).get("expireReason"));
        assertEquals(List.of("EXPIRED"), statuses(events, "tp"));
        assertTrue(statuses(events, "plain").isEmpty(), "an order that may open a position stays");
        assertEquals(List.of("CANCELED"), statuses(h.run("cancel-all alice BTCUSDT"), "plain"));
    }

    @Test
    void aReduceOnlyStopIsCutToThePositionWhenItFires() {
        final EngineHarness h = setUp("mark BTCUSDT 100000",
            "order alice BTCUSDT sell stop_market 2 stopPrice=99000 workingType=MARK_PRICE reduceOnly id=sl",
            "order mm BTCUSDT buy limit 3 98000");
        final var events = h.run("mark BTCUSDT 98500");
        assertEquals(List.of("TRIGGERED", "FILLED"), statuses(events, "sl"));
        assertEquals("2.000", orderEvents(events, "sl").get(0).get("origQty"));
        assertEquals("0.500", orderEvents(events, "sl").get(1).get("origQty"));
        assertEquals("0.500", orderEvents(events, "sl").get(1).get("executedQty"));
    }

    @Test
    void closePositionMisuseIsRefusedWithBinancesCodes() {
        final EngineHarness h = setUp("mark BTCUSDT 100000");
        assertEquals("-4137", code(h, "order alice BTCUSDT sell stop_market 0.5 stopPrice=99000 closePosition"));
        assertEquals("-1106", code(h, "order alice BTCUSDT sell stop_market stopPrice=99000 closePosition reduceOnly"));
        assertEquals("-1106", code(h, "order alice BTCUSDT sell stop 0.5 98900 stopPrice=99000 closePosition"));
        assertEquals("-1106", code(h, "order alice BTCUSDT sell trailing_stop_market callbackRate=1 closePosition"));
        // nothing to close: a buy closePosition against a long, and bob with no position
        assertEquals("-2022", code(h, "order alice BTCUSDT buy stop_market stopPrice=101000 closePosition"));
        assertEquals("-2022", code(h, "order bob BTCUSDT sell stop_market stopPrice=99000 closePosition"));
        assertEquals("-2022", code(h, "order bob BTCUSDT sell stop_market 0.1 stopPrice=99000 reduceOnly"));
    }

    // ------------------------------------------------------------------------------------------ rejects

    @Test
    void stopsOnTheWrongSideWouldTriggerAtOnceAndAreRefused() {
        final EngineHarness h = setUp("mark BTCUSDT 100000");
        // CONTRACT_PRICE: the last trade is 100,000
        assertEquals("-2021", code(h, "order alice BTCUSDT sell stop_market 0.1 stopPrice=100000"));
        assertEquals("-2021", code(h, "order bob BTCUSDT buy stop_market 0.1 stopPrice=99999.9"));
        assertEquals("-2021", code(h, "order alice BTCUSDT sell take_profit_market 0.1 stopPrice=99000"));
        assertEquals("-2021", code(h, "order bob BTCUSDT buy take_profit_market 0.1 stopPrice=100000"));
        assertEquals("-2021", code(h, "order bob BTCUSDT buy stop 0.1 100000 stopPrice=100000"));
        assertEquals("-2021", code(h, "order alice BTCUSDT sell take_profit 0.1 99000 stopPrice=99000"));
        // MARK_PRICE: against the mark
        h.run("mark BTCUSDT 95000");
        assertEquals("-2021", code(h,
            "order alice BTCUSDT sell stop_market 0.1 stopPrice=96000 workingType=MARK_PRICE"));
        assertEquals("NEW", only(h.run("order alice BTCUSDT sell stop_market 0.1 stopPrice=96000"), "ORDER")
            .get("status"), "the same stop on the last price (100,000) waits");
    }

    @Test
    void malformedConditionalOrdersAreRefusedWithBinancesCodes() {
        final EngineHarness h = setUp("market BTCUSDT maxPrice=1000000");
        assertEquals("-1102", code(h, "order alice BTCUSDT sell stop_market 0.1"));
        assertEquals("-1102", code(h, "order alice BTCUSDT sell stop_market stopPrice=99000"), "no quantity");
        assertEquals("-4006", code(h, "order alice BTCUSDT sell stop_market 0.1 stopPrice=-1"));
        assertEquals("-4006", code(h, "order alice BTCUSDT sell stop_market 0.1 stopPrice=0"));
        assertEquals("-4014", code(h, "order alice BTCUSDT sell stop_market 0.1 stopPrice=99000.05"));
        assertEquals("-4007", code(h, "order bob BTCUSDT buy stop_market 0.1 stopPrice=1000000.1"));
        assertEquals("-1106", code(h, "order alice BTCUSDT sell stop_market 0.1 stopPrice=99000 callbackRate=1"));
        assertEquals("-1106", code(h, "order alice BTCUSDT sell take_profit_market 0.1 stopPrice=101000"
            + " activationPrice=101000"));
        assertEquals("-4023", code(h, "order alice BTCUSDT sell stop_market 0.0005 stopPrice=99000"));
        // a STOP's limit price within its stop price x (1 +/- priceBand 0.2)
        assertEquals("-4183", code(h, "order bob BTCUSDT buy stop 0.1 120120.1 stopPrice=100100"));
        assertEquals("-4184", code(h, "order alice BTCUSDT sell stop 0.1 79199.9 stopPrice=99000"));
        assertEquals("NEW", only(h.run("order alice BTCUSDT sell stop 0.1 79200 stopPrice=99000 id=ok"), "ORDER")
            .get("status"));
        // client ids are unique among conditional and plain open orders alike
        assertEquals("-4116", code(h, "order alice BTCUSDT sell limit 0.1 101000 id=ok"));
        h.run("order alice BTCUSDT sell limit 0.1 101000 id=plain");
        assertEquals("-4116", code(h, "order alice BTCUSDT sell stop_market 0.1 stopPrice=98000 id=plain"));
    }

    @Test
    void conditionalOrdersCountAgainstTheOpenOrderLimitAndBlockAMarginTypeChange() {
        final EngineHarness h = setUp("market BTCUSDT maxOpenOrders=2",
            "order bob BTCUSDT buy stop_market 0.1 stopPrice=101000 id=a",
            "order bob BTCUSDT buy take_profit_market 0.1 stopPrice=99000 id=b");
        assertEquals("-2025", code(h, "order bob BTCUSDT buy stop_market 0.1 stopPrice=102000"));
        assertEquals("-2025", code(h, "order bob BTCUSDT buy limit 0.1 90000"));
        assertEquals("-4047", only(h.run("margin bob BTCUSDT isolated"), "REJECT").get("code"));
        h.run("cancel bob BTCUSDT a", "cancel bob BTCUSDT b");
        assertEquals("NEW", only(h.run("order bob BTCUSDT buy limit 0.1 90000"), "ORDER").get("status"));
    }

    // ------------------------------------------------------------------------------------------ margin

    @Test
    void aWaitingOrderReservesNoMarginAndIsCheckedAsANewOrderWhenItFires() {
        final EngineHarness h = setUp("mark BTCUSDT 100000", "order mm BTCUSDT sell limit 50 101000");
        final String before = only(h.run("query account bob"), "ACCOUNT").get("availableBalance");
        // 30 BTC at 20x is 150,000 of margin: far more than bob's 100,000
        h.run("order bob BTCUSDT buy stop_market 30 stopPrice=101000 workingType=MARK_PRICE id=big");
        assertEquals(before, only(h.run("query account bob"), "ACCOUNT").get("availableBalance"));
        final var events = h.run("mark BTCUSDT 101000");
        assertEquals(List.of("TRIGGERED", "REJECTED"), statuses(events, "big"));
        assertEquals("-2019", orderEvents(events, "big").get(1).get("code"));
        assertTrue(ofType(events, "REJECT").isEmpty(), "the mark command itself was not refused");
        assertTrue(ofType(events, "TRADE").isEmpty());
    }

    @Test
    void aTriggeredMarketOrderWithNoBookIsRejectedAsUnableToFill() {
        final EngineHarness h = setUp("mark BTCUSDT 100000",
            "order alice BTCUSDT sell stop_market 0.1 stopPrice=99000 workingType=MARK_PRICE id=sl");
        final var events = h.run("mark BTCUSDT 98000");
        assertEquals(List.of("TRIGGERED", "REJECTED"), statuses(events, "sl"));
        assertEquals("-2020", orderEvents(events, "sl").get(1).get("code"));
    }

    // ------------------------------------------------------------------------------------------ order

    @Test
    void manyOrdersAtOneTriggerPriceFireInPlacementOrderAndHigherStopsFirst() {
        final EngineHarness h = setUp("mark BTCUSDT 100000", "order mm BTCUSDT buy limit 5 90000",
            "deposit dave 100000", "deposit erin 100000");
        final String[] who = {"erin", "bob", "dave", "carol", "bob", "erin"};
        for (int i = 0; i < who.length; i++) {
            h.run("order " + who[i] + " BTCUSDT sell stop_market 0.01 stopPrice=99000 workingType=MARK_PRICE id=s" + i);
        }
        h.run("order dave BTCUSDT sell stop_market 0.01 stopPrice=99500 workingType=MARK_PRICE id=high");
        h.run("order carol BTCUSDT buy take_profit_market 0.01 stopPrice=99200 workingType=MARK_PRICE id=tp");
        final var events = h.run("mark BTCUSDT 98000");
        // a falling price meets 99,500 first, then the buy take-profit at 99,200, then the six at 99,000 by order id
        assertEquals(List.of("high", "tp", "s0", "s1", "s2", "s3", "s4", "s5"), triggered(events));
    }

    // ------------------------------------------------------------------------------------------ liquidation

    /**
     * dave's stop is below the last price and above alice's bankruptcy price: the mark takes alice into liquidation,
     * her liquidation order sells through the bids, the last price falls through dave's stop, and it fires in the
     * same command, after the liquidation's fills. Alice's own waiting take-profit is cancelled with her other
     * orders.
     */
    @Test
    void aLiquidationsOwnFillsFireStopsInTheSameCommand() {
        final EngineHarness h = new EngineHarness();
        h.run("time 2025-10-10T20:00:00Z",
            "market BTCUSDT tick=0.1 step=0.001 makerFee=0 takerFee=0 priceBand=0.3 marketBand=0.05",
            "deposit alice 1000", "deposit dave 100000", "deposit mm 10000000",
            "index BTCUSDT 100000", "leverage alice BTCUSDT 100",
            "order mm BTCUSDT sell limit 0.6 100000", "order alice BTCUSDT buy limit 0.5 100000",
            "order dave BTCUSDT buy limit 0.1 100000",
            "order alice BTCUSDT sell take_profit_market 0.5 stopPrice=110000 reduceOnly id=atp",
            "order dave BTCUSDT sell stop_market 0.1 stopPrice=98300 reduceOnly id=dsl",
            "order mm BTCUSDT buy limit 0.2 98500", "order mm BTCUSDT buy limit 1 98000");
        final var events = h.run("index BTCUSDT 98300");
        assertTrue(!ofType(events, "LIQUIDATION").isEmpty(), "alice is liquidated");
        assertEquals(List.of("CANCELED"), statuses(events, "atp"));
        assertEquals(List.of("TRIGGERED", "FILLED"), statuses(events, "dsl"));
        final var lastLiquidation = ofType(events, "LIQUIDATION").get(ofType(events, "LIQUIDATION").size() - 1);
        assertTrue(events.indexOf(orderEvents(events, "dsl").get(0)) > events.indexOf(lastLiquidation));
        assertEquals("98000.0", orderEvents(events, "dsl").get(1).get("avgPrice"));
    }

    /**
     * BitMEX's ADL example (as in LiquidationTest): the short "victim" cannot be closed in the book and l2 (10) and
     * l5 (10 of 20) are deleveraged. l2's position is gone, so its reduce-only and closePosition orders expire;
     * l5 still holds 10, so its own stay; the victim's orders are cancelled with its liquidation.
     */
    @Test
    void aPositionClosedByAutoDeleverageExpiresItsReduceOnlyOrders() {
        final EngineHarness h = new EngineHarness();
        h.run("time 2025-10-10T20:00:00Z",
            "market X tick=0.01 step=1 makerFee=0 takerFee=0 priceBand=0 marketBand=0.05 insuranceCap=0",
            "deposit victim 220", "deposit other 100000", "leverage victim X 10", "leverage other X 10",
            "index X 100");
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
        h.run("order l2 X sell stop_market stopPrice=50 closePosition id=l2-cp",
            "order l2 X sell take_profit_market 10 stopPrice=150 reduceOnly id=l2-tp",
            "order l2 X sell stop_market 1 stopPrice=60 id=l2-plain",
            "order l5 X sell stop_market stopPrice=50 closePosition id=l5-cp",
            "order victim X buy stop_market stopPrice=150 closePosition id=v-cp");
        final var events = h.run("index X 110.8");
        assertEquals(List.of("l2:10", "l5:10"), ofType(events, "ADL").stream()
            .map(e -> e.get("account") + ":" + e.get("qty")).toList());
        assertEquals(List.of("EXPIRED"), statuses(events, "l2-cp"));
        assertEquals("REDUCE_ONLY", orderEvents(events, "l2-cp").get(0).get("expireReason"));
        assertEquals(List.of("EXPIRED"), statuses(events, "l2-tp"));
        assertTrue(statuses(events, "l2-plain").isEmpty(), "an order that may open a position stays");
        assertTrue(statuses(events, "l5-cp").isEmpty(), "l5 still holds 10");
        assertEquals(List.of("CANCELED"), statuses(events, "v-cp"));
        assertEquals(List.of("CANCELED"), statuses(h.run("cancel l5 X l5-cp"), "l5-cp"));
    }

    // ------------------------------------------------------------------------------------------ priceProtect

    @Test
    void aProtectedStopWaitsWhileMarkAndLastPriceAreFarApart() {
        final EngineHarness h = setUp("mark BTCUSDT 100000", "market BTCUSDT triggerProtect=0.05",
            "order alice BTCUSDT sell stop_market 0.2 stopPrice=99000 priceProtect reduceOnly id=pp",
            "order alice BTCUSDT sell stop_market 0.1 stopPrice=99000 reduceOnly id=plain",
            "order mm BTCUSDT buy limit 0.001 94000", "order mm BTCUSDT buy limit 1 93000");
        // a trade at 94,000 with the mark at 100,000: 6 % apart, more than 5 %: only the unprotected one fires
        final var events = h.run("order bob BTCUSDT sell market 0.001");
        assertEquals(List.of("plain"), triggered(events));
        // the mark comes within 5 % of the last price (93,000 after the plain stop's fill), still below the stop
        final var closer = h.run("mark BTCUSDT 97000");
        assertEquals(List.of("pp"), triggered(closer));
        assertEquals("true", orderEvents(closer, "pp").get(0).get("priceProtect"));
    }

    // ------------------------------------------------------------------------------------------ cancels

    /** A cancel naming a conditional type (the gateway's algo-order cancel) reaches waiting conditional orders only. */
    @Test
    void aConditionalOnlyCancelLeavesPlainAndTriggeredOrdersAlone() {
        final EngineHarness h = setUp("order bob BTCUSDT buy limit 0.1 90000 id=plain",
            "order bob BTCUSDT buy stop_market 0.1 stopPrice=101000 id=w1",
            "order bob BTCUSDT buy take_profit_market 0.1 stopPrice=99000 id=w2",
            "order alice BTCUSDT sell stop 0.1 100500 stopPrice=99500 id=rest",
            "order mm BTCUSDT buy limit 0.001 99500", "order carol BTCUSDT sell market 0.001");
        final var fired = only(h.run("query position alice BTCUSDT"), "POSITION");
        assertEquals("0.500", fired.get("positionAmt"), "alice's stop limit fired and rests at 100,500");
        final long before = h.engine().stateHash();
        for (String target : new String[] {"plain", "rest"}) {
            final var events = h.apply(conditionalOnly("cancel " + ("plain".equals(target) ? "bob" : "alice")
                + " BTCUSDT " + target, false));
            assertEquals("-2011", only(events, "REJECT").get("code"), target);
        }
        assertEquals(before, h.engine().stateHash(), "refused: nothing changed");
        assertEquals(List.of("CANCELED"), statuses(h.apply(conditionalOnly("cancel bob BTCUSDT w1", false)), "w1"));
        final var all = h.apply(conditionalOnly("cancel-all bob BTCUSDT", true));
        assertEquals(List.of("w2"), ofType(all, "ORDER").stream().map(e -> e.get("clientOrderId")).toList());
        assertEquals(List.of("CANCELED"), statuses(h.run("cancel-all bob BTCUSDT"), "plain"));
    }

    private static org.perpcore.core.command.Command conditionalOnly(String line, boolean all) {
        final org.perpcore.core.command.Command c = new org.perpcore.core.command.Command();
        try {
            new org.perpcore.core.scenario.ScenarioParser().parse(line, 1, c);
        } catch (org.perpcore.core.scenario.ScenarioException e) {
            throw new IllegalArgumentException(e);
        }
        assertEquals(all ? org.perpcore.core.model.CommandType.CANCEL_ALL : org.perpcore.core.model.CommandType.CANCEL_ORDER,
            c.type);
        c.orderType = org.perpcore.core.model.OrderType.STOP_MARKET;
        return c;
    }

    @Test
    void waitingOrdersAreCancelledByIdClientIdAndCancelAll() {
        final EngineHarness h = setUp(
            "order bob BTCUSDT buy stop_market 0.1 stopPrice=101000 id=a",
            "order bob BTCUSDT buy stop_market 0.1 stopPrice=102000 id=b",
            "order bob BTCUSDT buy trailing_stop_market 0.1 callbackRate=1 id=c",
            "order bob BTCUSDT buy limit 0.1 90000 id=d");
        assertEquals(List.of("CANCELED"), statuses(h.run("cancel bob BTCUSDT a"), "a"));
        assertEquals("-2011", only(h.run("cancel bob BTCUSDT a"), "REJECT").get("code"));
        final String id = orderEvents(h.run("cancel bob BTCUSDT orderId=4"), "b").get(0).get("orderId");
        assertEquals("4", id);
        final var all = h.run("cancel-all bob BTCUSDT");
        assertEquals(List.of("c", "d"), ofType(all, "ORDER").stream().map(e -> e.get("clientOrderId")).toList());
        // nothing fires once cancelled
        h.run("order mm BTCUSDT sell limit 1 103000");
        assertTrue(triggered(h.run("order carol BTCUSDT buy market 1")).isEmpty());
    }
}
