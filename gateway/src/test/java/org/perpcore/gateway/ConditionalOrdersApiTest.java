package org.perpcore.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.perpcore.gateway.TestGateway.Res;

/**
 * Conditional orders over REST, both of Binance's APIs: {@code /fapi/v1/order} with the conditional types and
 * {@code /fapi/v1/algoOrder}, placing, querying, listing, cancelling, a stop that fires and fills, and the refusals
 * (each with Binance's code and status, none changing the engine's state).
 *
 * <p>The standard setup's book is asks 100,100 (1) and 100,200 (2), bids 99,900 (1) and 99,800 (2), index 100,000;
 * each test starts with alice long 0.05 bought at 100,100, the last price, carol funded to sell into the bids and
 * bob with a deposit and no position.
 */
class ConditionalOrdersApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    TestGateway t;

    @BeforeEach
    void start() throws Exception {
        t = TestGateway.standard();
        ok(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.05"));
        t.setup(List.of("deposit carol 100000", "deposit bob 1000"));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    static JsonNode ok(Res r) throws Exception {
        assertEquals(200, r.status(), r.toString());
        return JSON.readTree(r.body());
    }

    private JsonNode order(String params) throws Exception {
        return ok(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&" + params));
    }

    private JsonNode algo(String params) throws Exception {
        return ok(t.alice("POST", "/fapi/v1/algoOrder", "algoType=CONDITIONAL&symbol=BTCUSDT&" + params));
    }

    private static List<String> ids(JsonNode orders, String field) {
        final List<String> l = new ArrayList<>();
        orders.forEach(o -> l.add(o.get(field).asText()));
        return l;
    }

    @Test
    void theOrderEndpointPlacesQueriesListsAndCancelsEveryConditionalType() throws Exception {
        final String depthBefore = t.get("/fapi/v1/depth?symbol=BTCUSDT").body();
        final JsonNode sl = order("side=SELL&type=STOP_MARKET&quantity=0.05&stopPrice=99000&workingType=MARK_PRICE"
            + "&reduceOnly=true&newClientOrderId=sl1&newOrderRespType=RESULT");
        assertEquals("NEW", sl.get("status").asText());
        assertEquals("STOP_MARKET", sl.get("type").asText());
        assertEquals("STOP_MARKET", sl.get("origType").asText());
        assertEquals("99000.0", sl.get("stopPrice").asText());
        assertEquals("MARK_PRICE", sl.get("workingType").asText());
        assertTrue(sl.get("reduceOnly").asBoolean());
        assertFalse(sl.get("closePosition").asBoolean());
        assertEquals("0.050", sl.get("origQty").asText());

        final JsonNode tp = order("side=SELL&type=TAKE_PROFIT&quantity=0.05&price=101900&stopPrice=102000"
            + "&priceProtect=TRUE&newClientOrderId=tp1");
        assertEquals("TAKE_PROFIT", tp.get("type").asText());
        assertEquals("101900.0", tp.get("price").asText());
        assertEquals("GTC", tp.get("timeInForce").asText());
        assertTrue(tp.get("priceProtect").asBoolean());
        assertEquals("CONTRACT_PRICE", tp.get("workingType").asText());

        final JsonNode close = order("side=SELL&type=TAKE_PROFIT_MARKET&stopPrice=103000&closePosition=true"
            + "&newClientOrderId=cp1");
        assertTrue(close.get("closePosition").asBoolean());
        assertEquals("0.000", close.get("origQty").asText());

        final JsonNode trail = order("side=SELL&type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=1.5"
            + "&activationPrice=101000&newClientOrderId=tr1");
        assertEquals("101000.0", trail.get("activatePrice").asText());
        assertEquals("1.5", trail.get("priceRate").asText());

        // waiting orders are open orders of the account, and hold nothing in the book
        assertEquals(List.of("sl1", "tp1", "cp1", "tr1"),
            ids(ok(t.alice("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT")), "clientOrderId"));
        assertEquals(depthBefore.replaceAll("\"E\":\\d+,\"T\":\\d+", ""),
            t.get("/fapi/v1/depth?symbol=BTCUSDT").body().replaceAll("\"E\":\\d+,\"T\":\\d+", ""));
        final JsonNode byId = ok(t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + sl.get("orderId")));
        assertEquals("sl1", byId.get("clientOrderId").asText());
        assertEquals("99000.0", byId.get("stopPrice").asText());
        assertEquals("NEW", ok(t.alice("GET", "/fapi/v1/openOrder", "symbol=BTCUSDT&origClientOrderId=tr1"))
            .get("status").asText());

        final JsonNode canceled = ok(t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=sl1"));
        assertEquals("CANCELED", canceled.get("status").asText());
        assertEquals("STOP_MARKET", canceled.get("type").asText());
        ok(t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + tp.get("orderId")));
        assertEquals(List.of("cp1", "tr1"),
            ids(ok(t.alice("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT")), "clientOrderId"));
        final JsonNode all = ok(t.alice("GET", "/fapi/v1/allOrders", "symbol=BTCUSDT"));
        assertEquals(List.of("MARKET", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"),
            ids(all, "origType"));
        assertEquals(List.of("FILLED", "CANCELED", "CANCELED", "NEW", "NEW"), ids(all, "status"));
        // cancel-all takes the conditional orders too
        ok(t.alice("DELETE", "/fapi/v1/allOpenOrders", "symbol=BTCUSDT"));
        assertEquals(0, ok(t.alice("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT")).size());
    }

    @Test
    void aStopFiresOnATradeAndFillsAsAMarketOrder() throws Exception {
        final JsonNode sl = order("side=SELL&type=STOP_MARKET&quantity=0.05&stopPrice=99900&reduceOnly=true"
            + "&newClientOrderId=sl2");
        final long id = sl.get("orderId").asLong();
        // a market sell of 0.5 trades at 99,900: the last price reaches the stop, which sells into the same bid
        ok(t.admin("POST", "/admin/commands", "order carol BTCUSDT sell market 0.5"));
        final JsonNode filled = ok(t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + id));
        assertEquals("FILLED", filled.get("status").asText());
        assertEquals("MARKET", filled.get("type").asText(), "it shows as the order it became");
        assertEquals("STOP_MARKET", filled.get("origType").asText());
        assertEquals("0.050", filled.get("executedQty").asText());
        assertEquals("99900.0", filled.get("avgPrice").asText());
        final JsonNode trades = ok(t.alice("GET", "/fapi/v1/userTrades", "symbol=BTCUSDT&orderId=" + id));
        assertEquals(1, trades.size());
        assertEquals("SELL", trades.get(0).get("side").asText());
        final JsonNode asAlgo = ok(t.alice("GET", "/fapi/v1/algoOrder", "algoId=" + id));
        assertEquals("FINISHED", asAlgo.get("algoStatus").asText());
        assertEquals(Long.toString(id), asAlgo.get("actualOrderId").asText());
        assertEquals("99900.0", asAlgo.get("actualPrice").asText());
        assertTrue(asAlgo.get("triggerTime").asLong() > 0);
        final JsonNode risk = ok(t.alice("GET", "/fapi/v3/positionRisk", "symbol=BTCUSDT"));
        assertEquals(0, risk.size(), "the position is closed: " + risk);
    }

    /** A trailing stop on the mark, active at once from the mark at placement, fires on a forced mark 1 % lower. */
    @Test
    void aMarkPriceTrailingStopFiresWhenTheMarkFallsByItsCallbackRate() throws Exception {
        ok(t.admin("POST", "/admin/mark", "{\"symbol\":\"BTCUSDT\",\"price\":\"100000\"}"));
        final JsonNode tr = algo("side=SELL&type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=1"
            + "&workingType=MARK_PRICE&reduceOnly=true&clientAlgoId=trail");
        assertEquals("MARK_PRICE", tr.get("workingType").asText());
        ok(t.admin("POST", "/admin/mark", "{\"symbol\":\"BTCUSDT\",\"price\":\"99100\"}"));
        assertEquals("NEW", ok(t.alice("GET", "/fapi/v1/algoOrder", "clientAlgoId=trail")).get("algoStatus").asText(),
            "0.9 % below its high: still waiting");
        ok(t.admin("POST", "/admin/mark", "{\"symbol\":\"BTCUSDT\",\"price\":\"99000\"}"));
        final JsonNode fired = ok(t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=trail"));
        assertEquals("FILLED", fired.get("status").asText());
        assertEquals("MARKET", fired.get("type").asText());
        assertEquals("TRAILING_STOP_MARKET", fired.get("origType").asText());
        assertEquals("1", fired.get("priceRate").asText());
        assertEquals("99900.0", fired.get("avgPrice").asText());
        assertEquals("FINISHED", ok(t.alice("GET", "/fapi/v1/algoOrder", "clientAlgoId=trail")).get("algoStatus")
            .asText());
    }

    @Test
    void aTriggeredStopLimitRestsInTheBookUntilItTrades() throws Exception {
        final JsonNode st = order("side=SELL&type=STOP&quantity=0.05&price=100000&stopPrice=99900&newClientOrderId=st");
        ok(t.admin("POST", "/admin/commands", "order carol BTCUSDT sell market 1"));
        final JsonNode resting = ok(t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + st.get("orderId")));
        assertEquals("NEW", resting.get("status").asText());
        assertEquals("LIMIT", resting.get("type").asText());
        assertEquals("STOP", resting.get("origType").asText());
        final JsonNode asks = ok(t.get("/fapi/v1/depth?symbol=BTCUSDT")).get("asks");
        assertEquals("100000.0", asks.get(0).get(0).asText(), asks.toString());
        assertEquals("0.050", asks.get(0).get(1).asText());
        assertEquals("TRIGGERED", ok(t.alice("GET", "/fapi/v1/algoOrder", "clientAlgoId=st")).get("algoStatus").asText());
        assertEquals(0, ok(t.alice("GET", "/fapi/v1/openAlgoOrders", "")).size(), "no longer waiting");
        final JsonNode c = ok(t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=st"));
        assertEquals("CANCELED", c.get("status").asText());
        assertEquals("FINISHED", ok(t.alice("GET", "/fapi/v1/algoOrder", "clientAlgoId=st")).get("algoStatus").asText());
        assertFalse(t.get("/fapi/v1/depth?symbol=BTCUSDT").body().contains("100000.0"));
    }

    /**
     * Bob (1,000 of margin) places a stop far too big for it: accepted while it waits (no margin is reserved), refused
     * as a new order (-2019) when it fires. It leaves the open orders; the order API shows it REJECTED, the algo API
     * REJECTED with the reason; a closePosition take-profit of alice's fires in the same move and closes her long.
     */
    @Test
    void aStopRefusedWhenItFiresEndsRejectedAndLeavesTheOpenOrders() throws Exception {
        final JsonNode big = ok(t.signed("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=STOP_MARKET"
            + "&quantity=1&stopPrice=100200&newClientOrderId=big", TestGateway.BOB_KEY, TestGateway.BOB_SECRET));
        final JsonNode cp = order("side=SELL&type=TAKE_PROFIT_MARKET&stopPrice=100200&closePosition=true"
            + "&newClientOrderId=cp");
        assertEquals("0.000", cp.get("origQty").asText());
        // carol buys 1: the 0.95 left at 100,100, then 0.05 at 100,200, the last price
        ok(t.admin("POST", "/admin/commands", "order carol BTCUSDT buy market 1"));
        final JsonNode refused = ok(t.signed("GET", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + big.get("orderId"),
            TestGateway.BOB_KEY, TestGateway.BOB_SECRET));
        assertEquals("REJECTED", refused.get("status").asText());
        final JsonNode asAlgo = ok(t.signed("GET", "/fapi/v1/algoOrder", "clientAlgoId=big", TestGateway.BOB_KEY,
            TestGateway.BOB_SECRET));
        assertEquals("REJECTED", asAlgo.get("algoStatus").asText());
        assertEquals(0, ok(t.signed("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT", TestGateway.BOB_KEY,
            TestGateway.BOB_SECRET)).size());
        final JsonNode closed = ok(t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=cp"));
        assertEquals("FILLED", closed.get("status").asText());
        assertEquals("0.050", closed.get("origQty").asText(), "sized to the whole position when it fired");
        assertEquals("MARKET", closed.get("type").asText());
        assertTrue(closed.get("closePosition").asBoolean());
        assertEquals(0, ok(t.alice("GET", "/fapi/v3/positionRisk", "symbol=BTCUSDT")).size());
    }

    @Test
    void theAlgoEndpointPlacesQueriesListsAndCancels() throws Exception {
        final JsonNode sl = algo("side=SELL&type=STOP_MARKET&quantity=0.05&triggerPrice=99000&clientAlgoId=a-sl"
            + "&newOrderRespType=RESULT");
        assertEquals("a-sl", sl.get("clientAlgoId").asText());
        assertEquals("CONDITIONAL", sl.get("algoType").asText());
        assertEquals("STOP_MARKET", sl.get("orderType").asText());
        assertEquals("NEW", sl.get("algoStatus").asText());
        assertEquals("99000.0", sl.get("triggerPrice").asText());
        assertEquals("", sl.get("actualOrderId").asText());
        assertEquals("0.050", sl.get("quantity").asText());
        final long id = sl.get("algoId").asLong();
        final JsonNode tp = algo("side=SELL&type=TAKE_PROFIT&quantity=0.05&price=102000&triggerPrice=102000"
            + "&workingType=MARK_PRICE&clientAlgoId=a-tp");
        assertEquals("102000.0", tp.get("price").asText());
        assertEquals("MARK_PRICE", tp.get("workingType").asText());
        final JsonNode tr = algo("side=SELL&type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=2"
            + "&activatePrice=101500&clientAlgoId=a-tr");
        assertEquals("101500.0", tr.get("activatePrice").asText());
        assertEquals("2", tr.get("callbackRate").asText());
        // ccxt's name for the activation price
        assertEquals("101600.0", algo("side=SELL&type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=2"
            + "&activationPrice=101600&clientAlgoId=a-tr2").get("activatePrice").asText());
        final JsonNode limit = order("side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=95000"
            + "&newClientOrderId=plain");

        assertEquals("a-sl", ok(t.alice("GET", "/fapi/v1/algoOrder", "algoId=" + id)).get("clientAlgoId").asText());
        assertEquals(id, ok(t.alice("GET", "/fapi/v1/algoOrder", "symbol=BTCUSDT&clientAlgoId=a-sl")).get("algoId")
            .asLong());
        assertEquals(List.of("a-sl", "a-tp", "a-tr", "a-tr2"),
            ids(ok(t.alice("GET", "/fapi/v1/openAlgoOrders", "symbol=BTCUSDT")), "clientAlgoId"));
        assertEquals(List.of("a-tp"), ids(ok(t.alice("GET", "/fapi/v1/openAlgoOrders",
            "algoType=CONDITIONAL&algoId=" + tp.get("algoId"))), "clientAlgoId"));
        // the same orders through the order API
        assertEquals(List.of("a-sl", "a-tp", "a-tr", "a-tr2", "plain"),
            ids(ok(t.alice("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT")), "clientOrderId"));

        final JsonNode canceled = ok(t.alice("DELETE", "/fapi/v1/algoOrder", "symbol=BTCUSDT&clientAlgoId=a-sl"));
        assertEquals(id, canceled.get("algoId").asLong());
        assertEquals("200", canceled.get("code").asText());
        assertEquals("success", canceled.get("msg").asText());
        assertEquals("CANCELED", ok(t.alice("GET", "/fapi/v1/algoOrder", "algoId=" + id)).get("algoStatus").asText());
        ok(t.alice("DELETE", "/fapi/v1/algoOrder", "symbol=BTCUSDT&algoid=" + tr.get("algoId")));

        // the algo API acts on conditional orders only: the plain limit order is not one
        final String before = t.stateHash();
        ErrorsTest.refused(t.alice("DELETE", "/fapi/v1/algoOrder", "symbol=BTCUSDT&algoId=" + limit.get("orderId")),
            400, -2011);
        ErrorsTest.refused(t.alice("GET", "/fapi/v1/algoOrder", "algoId=" + limit.get("orderId")), 400, -2013);
        assertEquals(before, t.stateHash());
        ok(t.alice("DELETE", "/fapi/v1/algoOpenOrders", "symbol=BTCUSDT"));
        assertEquals(List.of("plain"), ids(ok(t.alice("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT")),
            "clientOrderId"));
        final JsonNode history = ok(t.alice("GET", "/fapi/v1/allAlgoOrders", "symbol=BTCUSDT"));
        assertEquals(List.of("a-sl", "a-tp", "a-tr", "a-tr2"), ids(history, "clientAlgoId"));
        assertEquals(List.of("CANCELED", "CANCELED", "CANCELED", "CANCELED"), ids(history, "algoStatus"));
    }

    @Test
    void everyWrongParameterIsRefusedWithBinancesCodeAndChangesNothing() throws Exception {
        // the last price is 100,100
        final String before = t.stateHash();
        final String sell = "symbol=BTCUSDT&side=SELL&";
        final Object[][] orderCases = {
            {"type=STOP_MARKET&quantity=0.05", -1102},                                         // no stopPrice
            {"type=STOP&quantity=0.05&stopPrice=99000", -1102},                                // no price
            {"type=TRAILING_STOP_MARKET&quantity=0.05", -1102},                                // no callbackRate
            {"type=STOP_MARKET&stopPrice=99000", -1102},                                       // no quantity
            {"type=STOP&quantity=0.05&price=99000&stopPrice=99000&closePosition=true", -4136},
            {"type=TRAILING_STOP_MARKET&callbackRate=1&closePosition=true", -4136},
            {"type=MARKET&quantity=0.05&closePosition=true", -4136},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=99000&closePosition=true", -4137},
            {"type=STOP_MARKET&stopPrice=99000&closePosition=true&reduceOnly=true", -1106},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=99000&workingType=LAST_PRICE", -4031},
            {"type=LIMIT&timeInForce=GTC&quantity=0.05&price=101000&stopPrice=99000", -1106},
            {"type=MARKET&quantity=0.05&workingType=MARK_PRICE", -1106},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=99000&callbackRate=1", -1106},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=99000&price=98000", -1106},
            {"type=STOP_MARKET&quantity=0.05&triggerPrice=99000", -1106},
            {"type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=1&stopPrice=99000", -1106},
            {"type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=1&priceProtect=true", -1106},
            {"type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=1&activatePrice=101000", -1106},
            {"type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=12", -1130},
            {"type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=0.05", -1130},
            {"type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=1.005", -1130},
            {"type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=1&activationPrice=0", -4135},
            {"type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=1&activationPrice=100000", -2021},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=100100", -2021},                         // would fire now
            {"type=TAKE_PROFIT_MARKET&quantity=0.05&stopPrice=100000", -2021},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=99000.05", -4014},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=0", -4006},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=-1", -1100},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=9e4", -1100},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=99000&priceProtect=maybe", -1130},
            {"type=STOP_MARKET&quantity=0.0005&stopPrice=99000", -4023},
            {"type=STOP&quantity=0.05&price=99000&stopPrice=99000&timeInForce=GTD", -1115},
            {"type=STOP&quantity=0.05&price=50000&stopPrice=99000", -4184},                     // below stop x 0.95
            {"type=STOP_MARKET&quantity=0.05&stopPrice=99000&newClientOrderId=" + "x".repeat(37), -4015},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=99000&positionSide=LONG", -4061},
            {"type=STOP_MARKET&quantity=0.05&stopPrice=99000&stopPrice=98000", -1101},
        };
        for (Object[] c : orderCases) {
            ErrorsTest.refused(t.alice("POST", "/fapi/v1/order", sell + c[0]), 400, (Integer) c[1]);
        }
        // reduce-only and closePosition need a position to reduce: bob has none
        ErrorsTest.refused(t.signed("POST", "/fapi/v1/order", sell + "type=STOP_MARKET&stopPrice=99000&closePosition=true",
            TestGateway.BOB_KEY, TestGateway.BOB_SECRET), 400, -2022);
        final Object[][] algoCases = {
            {"symbol=BTCUSDT&side=SELL&type=STOP_MARKET&quantity=0.05&triggerPrice=99000", -1102},   // no algoType
            {"algoType=VP&symbol=BTCUSDT&side=SELL&type=STOP_MARKET&quantity=0.05&triggerPrice=99000", -1130},
            {"algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=LIMIT&quantity=0.05&price=101000", -1116},
            {"algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.05", -1116},
            {"algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=STOP_MARKET&quantity=0.05&stopPrice=99000", -1106},
            {"algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=STOP_MARKET&quantity=0.05", -1102},
            {"algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=TRAILING_STOP_MARKET&quantity=0.05&callbackRate=1"
                + "&activatePrice=101000&activationPrice=101000", -1101},
            {"algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=STOP_MARKET&quantity=0.05&triggerPrice=99000"
                + "&clientAlgoId=bad*id", -4015},
            {"algoType=CONDITIONAL&symbol=NOPE&side=SELL&type=STOP_MARKET&quantity=0.05&triggerPrice=99000", -1121},
            {"algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=STOP_MARKET&quantity=0.05&triggerPrice=100200", -2021},
        };
        for (Object[] c : algoCases) {
            ErrorsTest.refused(t.alice("POST", "/fapi/v1/algoOrder", (String) c[0]), 400, (Integer) c[1]);
        }
        ErrorsTest.refused(t.alice("GET", "/fapi/v1/algoOrder", ""), 400, -1102);
        ErrorsTest.refused(t.alice("GET", "/fapi/v1/algoOrder", "algoId=999"), 400, -2013);
        ErrorsTest.refused(t.alice("GET", "/fapi/v1/algoOrder", "algoId=abc"), 400, -1100);
        ErrorsTest.refused(t.alice("DELETE", "/fapi/v1/algoOrder", "algoId=1"), 400, -1102);   // no symbol
        ErrorsTest.refused(t.alice("DELETE", "/fapi/v1/algoOrder", "symbol=BTCUSDT&algoId=999"), 400, -2011);
        ErrorsTest.refused(t.alice("GET", "/fapi/v1/openAlgoOrders", "algoType=TWAP"), 400, -1130);
        ErrorsTest.refused(t.alice("GET", "/fapi/v1/allAlgoOrders", ""), 400, -1102);
        assertEquals(before, t.stateHash());
        assertEquals(0, ok(t.alice("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT")).size());
    }

    /**
     * The user data stream: ALGO_UPDATE and ORDER_TRADE_UPDATE for placement (NEW), the trigger (ALGO_UPDATE
     * TRIGGERED; the stop EXPIRED with expiry reason 8, then NEW as the MARKET order it became), its fill (TRADE,
     * FILLED; FINISHED), a cancel, and a reduce-only order expiring once its position is closed.
     */
    @Test
    void theUserStreamReportsPlacementTriggerFillCancelAndExpiry() throws Exception {
        final String key = JSON.readTree(t.raw("POST", "/fapi/v1/listenKey", "", TestGateway.ALICE_KEY, true).body())
            .get("listenKey").asText();
        try (WsClient user = new WsClient(t.http, WebSocketTest.ws(t, "/private/ws?listenKey=" + key))) {
            Thread.sleep(100);
            order("side=SELL&type=STOP_MARKET&quantity=0.02&stopPrice=99900&workingType=CONTRACT_PRICE"
                + "&newClientOrderId=ws-sl");
            final JsonNode algoNew = JSON.readTree(user.await("ALGO_UPDATE"));
            assertEquals("NEW", algoNew.get("o").get("X").asText());
            assertEquals("ws-sl", algoNew.get("o").get("caid").asText());
            assertEquals("99900.0", algoNew.get("o").get("tp").asText());
            assertEquals("", algoNew.get("o").get("ai").asText());
            final JsonNode neu = JSON.readTree(user.await("ORDER_TRADE_UPDATE")).get("o");
            assertEquals("NEW", neu.get("x").asText());
            assertEquals("STOP_MARKET", neu.get("o").asText());
            assertEquals("STOP_MARKET", neu.get("ot").asText());
            assertEquals("99900.0", neu.get("sp").asText());
            assertEquals("CONTRACT_PRICE", neu.get("wt").asText());
            final long id = neu.get("i").asLong();

            final JsonNode trail = order("side=SELL&type=TRAILING_STOP_MARKET&quantity=0.03&callbackRate=5"
                + "&reduceOnly=true&newClientOrderId=ws-tr");
            final JsonNode trailNew = JSON.readTree(user.await(m -> m.contains("ORDER_TRADE_UPDATE")
                && m.contains("ws-tr"), 5000)).get("o");
            assertEquals("5", trailNew.get("cr").asText());
            assertEquals(trail.get("orderId").asLong(), trailNew.get("i").asLong());

            // carol's sell trades at 99,900: the stop fires and sells 0.02 into the same bid
            ok(t.admin("POST", "/admin/commands", "order carol BTCUSDT sell market 0.5"));
            final JsonNode triggered = JSON.readTree(user.await(m -> m.contains("ALGO_UPDATE")
                && m.contains("\"X\":\"TRIGGERED\""), 5000)).get("o");
            assertEquals(Long.toString(id), triggered.get("ai").asText());
            assertEquals("MARKET", triggered.get("act").asText());
            assertTrue(triggered.get("tt").asLong() > 0);
            final JsonNode expired = JSON.readTree(user.await("ORDER_TRADE_UPDATE")).get("o");
            assertEquals("EXPIRED", expired.get("x").asText());
            assertEquals(8, expired.get("er").asInt());
            assertEquals("STOP_MARKET", expired.get("o").asText());
            final JsonNode became = JSON.readTree(user.await("ORDER_TRADE_UPDATE")).get("o");
            assertEquals("NEW", became.get("x").asText());
            assertEquals("MARKET", became.get("o").asText());
            assertEquals("STOP_MARKET", became.get("ot").asText());
            assertEquals(id, became.get("i").asLong());
            final JsonNode finished = JSON.readTree(user.await("ALGO_UPDATE")).get("o");
            assertEquals("FINISHED", finished.get("X").asText());
            assertEquals("0.020", finished.get("aq").asText());
            final JsonNode fill = JSON.readTree(user.await("ORDER_TRADE_UPDATE")).get("o");
            assertEquals("TRADE", fill.get("x").asText());
            assertEquals("FILLED", fill.get("X").asText());
            assertEquals("99900.0", fill.get("L").asText());
            assertEquals("0.020", fill.get("l").asText());

            // alice closes the rest of her long: the reduce-only trailing stop expires (Binance's expiry reason 4)
            order("side=SELL&type=MARKET&quantity=0.03");
            final JsonNode algoExpired = JSON.readTree(user.await(m -> m.contains("ALGO_UPDATE")
                && m.contains("ws-tr"), 5000)).get("o");
            assertEquals("EXPIRED", algoExpired.get("X").asText());
            final JsonNode trailExpired = JSON.readTree(user.await(m -> m.contains("ORDER_TRADE_UPDATE")
                && m.contains("ws-tr"), 5000)).get("o");
            assertEquals("EXPIRED", trailExpired.get("X").asText());
            assertEquals(4, trailExpired.get("er").asInt());

            algo("side=BUY&type=TAKE_PROFIT_MARKET&quantity=0.01&triggerPrice=95000&clientAlgoId=ws-tp");
            assertEquals("NEW", JSON.readTree(user.await(m -> m.contains("ALGO_UPDATE") && m.contains("ws-tp"), 5000))
                .get("o").get("X").asText());
            ok(t.alice("DELETE", "/fapi/v1/algoOrder", "symbol=BTCUSDT&clientAlgoId=ws-tp"));
            assertEquals("CANCELED", JSON.readTree(user.await(m -> m.contains("ALGO_UPDATE") && m.contains("ws-tp")
                && m.contains("CANCELED"), 5000)).get("o").get("X").asText());
            assertEquals("CANCELED", JSON.readTree(user.await(m -> m.contains("ORDER_TRADE_UPDATE")
                && m.contains("ws-tp"), 5000)).get("o").get("x").asText());
        }
    }

    @Test
    void exchangeInfoListsTheConditionalTypes() throws Exception {
        final JsonNode btc = ok(t.get("/fapi/v1/exchangeInfo")).get("symbols").get(0);
        assertEquals(List.of("LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET",
            "TRAILING_STOP_MARKET"), texts(btc.get("orderTypes")));
        assertEquals("0.0500", btc.get("triggerProtect").asText());
    }

    private static List<String> texts(JsonNode array) {
        final List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }
}
