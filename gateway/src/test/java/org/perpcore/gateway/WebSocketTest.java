package org.perpcore.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Market streams and user data streams, through java.net.http WebSockets, in Binance's payloads. */
class WebSocketTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String ws(TestGateway t, String path) {
        return "ws://127.0.0.1:" + t.gateway.port() + path;
    }

    @Test
    void subscribeAggTradeDepthAndBookTicker() throws Exception {
        try (TestGateway t = TestGateway.standard(); WsClient c = new WsClient(t.http, ws(t, "/ws"))) {
            c.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\",\"btcusdt@depth@100ms\","
                + "\"btcusdt@depth5\",\"btcusdt@bookTicker\",\"btcusdt@trade\"],\"id\":1}");
            assertEquals("{\"result\":null,\"id\":1}", c.await("\"id\":1"));
            c.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":2}");
            final String list = c.await("\"id\":2");
            assertTrue(list.contains("btcusdt@aggtrade") && list.contains("btcusdt@depth@100ms"), list);
            final long before = JSON.readTree(t.get("/fapi/v1/depth?symbol=BTCUSDT").body()).get("lastUpdateId").asLong();
            // a market buy sweeping two levels: two trades, one aggregated trade per price
            assertEquals(200, t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1.5")
                .status());
            final JsonNode agg = JSON.readTree(c.await("\"aggTrade\""));
            assertEquals("BTCUSDT", agg.get("s").asText());
            assertEquals("100100.0", agg.get("p").asText());
            assertEquals("1.000", agg.get("q").asText());
            assertEquals(false, agg.get("m").asBoolean()); // the buyer took
            final JsonNode agg2 = JSON.readTree(c.await("\"aggTrade\""));
            assertEquals("100200.0", agg2.get("p").asText());
            assertEquals("0.500", agg2.get("q").asText());
            assertEquals(agg.get("a").asLong() + 1, agg2.get("a").asLong());
            final JsonNode diff = JSON.readTree(c.await(m -> m.contains("depthUpdate") && m.contains("\"pu\""), 5000));
            assertEquals(diff.get("U").asLong(), diff.get("u").asLong());
            assertEquals(before, diff.get("pu").asLong());
            assertTrue(diff.get("a").toString().contains("[\"100100.0\",\"0.000\"]"), diff.toString());
            assertTrue(diff.get("a").toString().contains("[\"100200.0\",\"1.500\"]"), diff.toString());
            final JsonNode top = JSON.readTree(c.await(m -> m.contains("bookTicker"), 5000));
            assertEquals("100200.0", top.get("a").asText());
            assertEquals(diff.get("u").asLong(),
                JSON.readTree(t.get("/fapi/v1/depth?symbol=BTCUSDT").body()).get("lastUpdateId").asLong());
        }
    }

    @Test
    void combinedStreamsAndMarkPriceEverySecond() throws Exception {
        try (TestGateway t = TestGateway.standard();
             WsClient c = new WsClient(t.http, ws(t, "/stream?streams=btcusdt@markPrice@1s/ethusdt@markPrice"))) {
            Thread.sleep(200);
            t.gateway.tick();
            final JsonNode m = JSON.readTree(c.await("markPriceUpdate"));
            assertEquals("btcusdt@markPrice@1s", m.get("stream").asText());
            final JsonNode d = m.get("data");
            assertEquals("markPriceUpdate", d.get("e").asText());
            assertEquals("BTCUSDT", d.get("s").asText());
            assertEquals("100000.0", d.get("p").asText());
            assertEquals("100000.0", d.get("i").asText());
            assertTrue(d.has("r") && d.has("T"));
            // the plain stream every third second
            t.gateway.tick();
            t.gateway.tick();
            final JsonNode eth = JSON.readTree(c.await(x -> x.contains("ethusdt@markPrice\""), 5000));
            assertEquals("ETHUSDT", eth.get("data").get("s").asText());
        }
    }

    @Test
    void userDataStreamAndLiquidation() throws Exception {
        try (TestGateway t = TestGateway.standard()) {
            final String key = JSON.readTree(t.raw("POST", "/fapi/v1/listenKey", "", TestGateway.ALICE_KEY, true).body())
                .get("listenKey").asText();
            try (WsClient user = new WsClient(t.http, ws(t, "/private/ws?listenKey=" + key));
                 WsClient path = new WsClient(t.http, ws(t, "/ws/" + key));
                 WsClient market = new WsClient(t.http, ws(t, "/market/ws/0"))) {
                market.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@forceOrder\",\"!forceOrder@arr\"],\"id\":7}");
                assertNotNull(market.await("\"id\":7"));
                Thread.sleep(100);
                assertEquals(200, t.alice("POST", "/fapi/v1/leverage", "symbol=BTCUSDT&leverage=100").status());
                assertEquals("ACCOUNT_CONFIG_UPDATE", JSON.readTree(user.await("ACCOUNT_CONFIG_UPDATE")).get("e").asText());
                assertEquals(200, t.alice("POST", "/fapi/v1/order",
                    "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&newClientOrderId=long1").status());
                final JsonNode neu = JSON.readTree(user.await("\"x\":\"NEW\""));
                assertEquals("ORDER_TRADE_UPDATE", neu.get("e").asText());
                assertEquals("long1", neu.get("o").get("c").asText());
                final JsonNode fill = JSON.readTree(user.await("\"x\":\"TRADE\""));
                assertEquals("FILLED", fill.get("o").get("X").asText());
                assertEquals("1.000", fill.get("o").get("l").asText());
                assertEquals("100100.0", fill.get("o").get("L").asText());
                assertTrue(fill.get("o").get("t").asLong() > 0);
                final JsonNode acct = JSON.readTree(user.await("ACCOUNT_UPDATE"));
                assertEquals("ORDER", acct.get("a").get("m").asText());
                assertEquals("1.000", acct.get("a").get("P").get(0).get("pa").asText());
                assertEquals("USDT", acct.get("a").get("B").get(0).get("a").asText());
                assertNotNull(path.await("long1"), "the path form of the user stream gets the same events");

                // the index falls below alice's liquidation price: margin call, then the liquidation
                final JsonNode risk = JSON.readTree(t.alice("GET", "/fapi/v3/positionRisk", "symbol=BTCUSDT").body());
                final double liq = risk.get(0).get("liquidationPrice").asDouble();
                assertTrue(liq > 90_000 && liq < 100_100, risk.toString());
                assertEquals(200, t.admin("POST", "/admin/commands",
                    "order maker BTCUSDT buy limit 5 " + (long) (liq - 300)).status());
                final var pushed = t.admin("POST", "/admin/index", "{\"symbol\":\"BTCUSDT\",\"price\":\""
                    + (long) (liq - 1000) + "\"}");
                assertEquals(200, pushed.status(), pushed.toString());
                assertTrue(pushed.body().contains("\"type\":\"LIQUIDATION\""), pushed.body());
                final JsonNode call = JSON.readTree(user.await("MARGIN_CALL"));
                assertEquals("CROSSED", call.get("p").get(0).get("mt").asText());
                final JsonNode liquidation = JSON.readTree(user.await("autoclose-"));
                assertEquals("LIQUIDATION", liquidation.get("o").get("o").asText());
                assertEquals("SELL", liquidation.get("o").get("S").asText());
                final JsonNode force = JSON.readTree(market.await("forceOrder"));
                assertEquals("BTCUSDT", force.get("o").get("s").asText());
                assertEquals("SELL", force.get("o").get("S").asText());
                assertEquals("FILLED", force.get("o").get("X").asText());
                assertNotNull(market.await("forceOrder"), "and on !forceOrder@arr");
                final JsonNode after = JSON.readTree(t.alice("GET", "/fapi/v3/positionRisk", "symbol=BTCUSDT").body());
                assertEquals(0, after.size(), after.toString());
            }
        }
    }

    @Test
    void badFramesGetBinanceErrorsAndTheSessionGoesOn() throws Exception {
        try (TestGateway t = TestGateway.standard(); WsClient c = new WsClient(t.http, ws(t, "/ws"))) {
            c.send("not json");
            assertTrue(c.await("\"code\":3").contains("Invalid JSON"));
            c.send("{\"method\":\"PUBLISH\",\"params\":[],\"id\":4}");
            assertTrue(c.await("\"code\":2").contains("\"id\":4"));
            c.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@nothing\"],\"id\":5}");
            assertTrue(c.await("\"code\":2").contains("invalid stream"));
            c.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\"],\"id\":-1}");
            assertTrue(c.await("\"code\":2").contains("request ID"));
            c.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\"],\"id\":6,\"extra\":1}");
            assertTrue(c.await("\"code\":0").contains("Unknown property"));
            c.send("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":8}");
            assertEquals("{\"result\":null,\"id\":8}", c.await("\"id\":8"));
            c.send("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":9}");
            assertEquals("{\"result\":true,\"id\":9}", c.await("\"id\":9"));
        }
    }

    @Test
    void tooManyMessagesDisconnectAndABadListenKeyIsRefused() throws Exception {
        try (TestGateway t = TestGateway.standard(); WsClient c = new WsClient(t.http, ws(t, "/ws"))) {
            // up to 200 back to back: on a loaded machine even a slow sender puts more than 10 into one second
            for (int i = 0; i < 200 && !c.closed; i++) {
                try {
                    c.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":" + i + "}");
                } catch (CompletionException e) {
                    break; // the server closed the session: what this test expects
                }
            }
            assertNotNull(c.await("Too many requests"));
            final long deadline = System.currentTimeMillis() + 5000;
            while (!c.closed && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(c.closed, "the session is closed");
            try {
                new WsClient(t.http, ws(t, "/private/ws?listenKey=" + "k".repeat(64)));
                throw new AssertionError("a bad listen key was accepted");
            } catch (CompletionException e) {
                assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, e.toString());
                assertEquals(400, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
            }
            assertEquals(200, t.get("/fapi/v1/ping").status());
        }
    }
}
