package org.perpcore.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.perpcore.gateway.TestGateway.Res;

/** Every REST endpoint through java.net.http: what Binance would answer, field names and values. */
class RestApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestGateway t;

    @BeforeAll
    static void start() throws Exception {
        t = TestGateway.standard();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static JsonNode ok(Res r) throws Exception {
        assertEquals(200, r.status(), r.toString());
        return JSON.readTree(r.body());
    }

    @Test
    void pingTimeAndExchangeInfo() throws Exception {
        assertEquals("{}", ok(t.get("/fapi/v1/ping")).toString());
        assertEquals(t.clock.get(), ok(t.get("/fapi/v1/time")).get("serverTime").asLong());
        final JsonNode info = ok(t.get("/fapi/v1/exchangeInfo"));
        final JsonNode btc = info.get("symbols").get(0);
        assertEquals("BTCUSDT", btc.get("symbol").asText());
        assertEquals("PERPETUAL", btc.get("contractType").asText());
        assertEquals("BTC", btc.get("baseAsset").asText());
        assertEquals("USDT", btc.get("marginAsset").asText());
        assertEquals(1, btc.get("pricePrecision").asInt());
        assertEquals(3, btc.get("quantityPrecision").asInt());
        final JsonNode filters = btc.get("filters");
        assertEquals("PRICE_FILTER", filters.get(0).get("filterType").asText());
        assertEquals("0.1", filters.get(0).get("tickSize").asText());
        assertEquals("LOT_SIZE", filters.get(1).get("filterType").asText());
        assertEquals("0.001", filters.get(1).get("stepSize").asText());
        assertEquals("1000.000", filters.get(1).get("maxQty").asText());
        assertEquals("MARKET_LOT_SIZE", filters.get(2).get("filterType").asText());
        assertEquals("MIN_NOTIONAL", filters.get(4).get("filterType").asText());
        assertEquals("5.00000000", filters.get(4).get("notional").asText());
        assertEquals("ETHUSDT", info.get("symbols").get(1).get("symbol").asText());
    }

    @Test
    void depthFromTheOrderEvents() throws Exception {
        final JsonNode d = ok(t.get("/fapi/v1/depth?symbol=BTCUSDT&limit=5"));
        assertTrue(d.get("lastUpdateId").asLong() > 0);
        assertEquals("[\"99900.0\",\"1.000\"]", d.get("bids").get(0).toString());
        assertEquals("[\"99800.0\",\"2.000\"]", d.get("bids").get(1).toString());
        assertEquals("[\"100100.0\",\"1.000\"]", d.get("asks").get(0).toString());
        assertEquals(1, ok(t.get("/fapi/v1/depth?symbol=BTCUSDT&limit=1")).get("asks").size());
        assertEquals(0, ok(t.get("/fapi/v1/depth?symbol=ETHUSDT")).get("bids").size());
    }

    @Test
    void premiumIndexTickersAndBookTicker() throws Exception {
        final JsonNode p = ok(t.get("/fapi/v1/premiumIndex?symbol=BTCUSDT"));
        assertEquals("100000.0", p.get("markPrice").asText());
        assertEquals("100000.0", p.get("indexPrice").asText());
        assertTrue(p.get("nextFundingTime").asLong() > t.clock.get());
        assertEquals("0.00010000", p.get("interestRate").asText());
        assertEquals(2, ok(t.get("/fapi/v1/premiumIndex")).size());
        final JsonNode bt = ok(t.get("/fapi/v1/ticker/bookTicker?symbol=BTCUSDT"));
        assertEquals("99900.0", bt.get("bidPrice").asText());
        assertEquals("100100.0", bt.get("askPrice").asText());
        assertEquals(2, ok(t.get("/fapi/v1/ticker/24hr")).size());
        assertEquals("BTCUSDT", ok(t.get("/fapi/v1/ticker/price?symbol=BTCUSDT")).get("symbol").asText());
        assertEquals(2, ok(t.get("/fapi/v2/ticker/price")).size());
    }

    @Test
    void tradingRoundTrip() throws Exception {
        // a resting order: placed, queried, listed, canceled
        final JsonNode placed = ok(t.alice("POST", "/fapi/v1/order",
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=95000&newClientOrderId=rest1"));
        assertEquals("NEW", placed.get("status").asText());
        assertEquals("rest1", placed.get("clientOrderId").asText());
        assertEquals("95000.0", placed.get("price").asText());
        assertEquals("0.010", placed.get("origQty").asText());
        assertEquals("LIMIT", placed.get("type").asText());
        assertEquals("GTC", placed.get("timeInForce").asText());
        assertEquals("BOTH", placed.get("positionSide").asText());
        final long id = placed.get("orderId").asLong();
        final JsonNode q = ok(t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + id));
        assertEquals("NEW", q.get("status").asText());
        assertEquals(t.clock.get(), q.get("time").asLong());
        assertEquals(id, ok(t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=rest1")).get("orderId")
            .asLong());
        assertEquals(id, ok(t.alice("GET", "/fapi/v1/openOrder", "symbol=BTCUSDT&orderId=" + id)).get("orderId").asLong());
        final JsonNode open = ok(t.alice("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT"));
        assertTrue(open.toString().contains("\"orderId\":" + id), open.toString());
        assertEquals("[\"95000.0\",\"0.010\"]",
            ok(t.get("/fapi/v1/depth?symbol=BTCUSDT&limit=10")).get("bids").get(2).toString());
        final JsonNode canceled = ok(t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + id));
        assertEquals("CANCELED", canceled.get("status").asText());
        assertEquals("CANCELED", ok(t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + id)).get("status")
            .asText());
        final Res again = t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + id);
        assertEquals(400, again.status());
        assertEquals(-2011, JSON.readTree(again.body()).get("code").asInt());
        final Res notOpen = t.alice("GET", "/fapi/v1/openOrder", "symbol=BTCUSDT&orderId=" + id);
        assertEquals(-2013, JSON.readTree(notOpen.body()).get("code").asInt());
        final JsonNode all = ok(t.alice("GET", "/fapi/v1/allOrders", "symbol=BTCUSDT"));
        assertTrue(all.toString().contains("\"orderId\":" + id + ",") && all.toString().contains("CANCELED"),
            all.toString());
    }

    @Test
    void fillPositionsAccountAndTrades() throws Exception {
        final JsonNode filled = ok(t.alice("POST", "/fapi/v1/order",
            "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.020&newOrderRespType=RESULT&newClientOrderId=mkt1"));
        assertEquals("FILLED", filled.get("status").asText());
        assertEquals("0.020", filled.get("executedQty").asText());
        assertEquals("100100.0", filled.get("avgPrice").asText());
        assertEquals("2002.00000000", filled.get("cumQuote").asText());
        final JsonNode ack = ok(t.alice("POST", "/fapi/v1/order",
            "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.010&newClientOrderId=mkt2"));
        assertEquals("NEW", ack.get("status").asText()); // ACK, Binance's default: as accepted
        assertEquals("0.000", ack.get("executedQty").asText());

        final JsonNode risk = ok(t.alice("GET", "/fapi/v3/positionRisk", "symbol=BTCUSDT"));
        assertEquals(1, risk.size());
        final JsonNode p = risk.get(0);
        assertEquals("0.010", p.get("positionAmt").asText());
        assertEquals("BOTH", p.get("positionSide").asText());
        assertTrue(p.has("liquidationPrice") && p.has("maintMargin") && p.has("adl") && p.has("unRealizedProfit"));
        final JsonNode v2 = ok(t.alice("GET", "/fapi/v2/positionRisk", ""));
        assertEquals(2, v2.size(), v2.toString()); // every market, flat ones too
        assertEquals("0.000", v2.get(1).get("positionAmt").asText());
        assertEquals("20", v2.get(1).get("leverage").asText());
        assertEquals("cross", v2.get(1).get("marginType").asText());

        final JsonNode acct = ok(t.alice("GET", "/fapi/v3/account", ""));
        assertTrue(acct.get("totalWalletBalance").asText().startsWith("99"), acct.toString());
        assertEquals("USDT", acct.get("assets").get(0).get("asset").asText());
        assertEquals("BTCUSDT", acct.get("positions").get(0).get("symbol").asText());
        assertTrue(ok(t.alice("GET", "/fapi/v2/account", "")).has("canTrade"));
        final JsonNode bal = ok(t.alice("GET", "/fapi/v2/balance", ""));
        assertEquals("USDT", bal.get(0).get("asset").asText());
        assertEquals(acct.get("totalWalletBalance").asText(), bal.get(0).get("balance").asText());

        final JsonNode trades = ok(t.alice("GET", "/fapi/v1/userTrades", "symbol=BTCUSDT"));
        assertEquals(2, trades.size(), trades.toString());
        assertEquals("BUY", trades.get(0).get("side").asText());
        assertEquals("100100.0", trades.get(0).get("price").asText());
        assertEquals("0.020", trades.get(0).get("qty").asText());
        assertEquals(false, trades.get(0).get("maker").asBoolean());
        assertEquals("SELL", trades.get(1).get("side").asText());
        // selling 0.010 bought at 100100 for 99900 realises -2
        assertEquals("-2.00000000", trades.get(1).get("realizedPnl").asText());

        assertTrue(ok(t.get("/fapi/v1/trades?symbol=BTCUSDT")).size() >= 2);
        final JsonNode agg = ok(t.get("/fapi/v1/aggTrades?symbol=BTCUSDT"));
        assertTrue(agg.size() >= 2);
        assertTrue(agg.get(0).has("a") && agg.get(0).has("p") && agg.get(0).has("m"));
        final JsonNode k = ok(t.get("/fapi/v1/klines?symbol=BTCUSDT&interval=1m"));
        assertEquals(1, k.size());
        assertEquals(12, k.get(0).size());
        assertEquals("100100.0", k.get(0).get(1).asText()); // open
        final JsonNode day = ok(t.get("/fapi/v1/ticker/24hr?symbol=BTCUSDT"));
        assertEquals("99900.0", day.get("lastPrice").asText());
        assertTrue(day.get("count").asLong() >= 2);
    }

    @Test
    void settingsLeverageMarginTypeAndPositionMargin() throws Exception {
        final JsonNode lev = ok(t.alice("POST", "/fapi/v1/leverage", "symbol=ETHUSDT&leverage=10"));
        assertEquals(10, lev.get("leverage").asInt());
        assertEquals("ETHUSDT", lev.get("symbol").asText());
        assertEquals(-4028, JSON.readTree(t.alice("POST", "/fapi/v1/leverage", "symbol=ETHUSDT&leverage=200").body())
            .get("code").asInt());
        assertEquals(200, ok(t.alice("POST", "/fapi/v1/marginType", "symbol=ETHUSDT&marginType=ISOLATED"))
            .get("code").asInt());
        final Res again = t.alice("POST", "/fapi/v1/marginType", "symbol=ETHUSDT&marginType=ISOLATED");
        assertEquals(400, again.status());
        assertEquals(-4046, JSON.readTree(again.body()).get("code").asInt());
        final Res noPosition = t.alice("POST", "/fapi/v1/positionMargin", "symbol=ETHUSDT&amount=10&type=1");
        assertEquals(-4054, JSON.readTree(noPosition.body()).get("code").asInt(), noPosition.toString());
        assertEquals(-1130, JSON.readTree(t.alice("POST", "/fapi/v1/positionMargin", "symbol=ETHUSDT&amount=10&type=3")
            .body()).get("code").asInt());
        final JsonNode brackets = ok(t.alice("GET", "/fapi/v1/leverageBracket", "symbol=BTCUSDT"));
        final JsonNode b = brackets.get(0).get("brackets");
        assertEquals(2, b.size());
        assertEquals(125, b.get(0).get("initialLeverage").asInt());
        assertEquals("50000", b.get(0).get("notionalCap").asText());
        assertEquals("0.005", b.get(1).get("maintMarginRatio").asText());
        assertEquals("50", b.get(1).get("cum").asText());
        final JsonNode eth = ok(t.alice("GET", "/fapi/v1/leverageBracket", "symbol=ETHUSDT")).get(0).get("brackets");
        assertEquals(1, eth.size()); // the engine's default single tier
        final JsonNode fee = ok(t.alice("GET", "/fapi/v1/commissionRate", "symbol=BTCUSDT"));
        assertEquals("0.0002", fee.get("makerCommissionRate").asText());
        assertEquals("{\"dualSidePosition\":false}", t.alice("GET", "/fapi/v1/positionSide/dual", "").body());
        assertEquals("{\"multiAssetsMargin\":false}", t.alice("GET", "/fapi/v1/multiAssetsMargin", "").body());
    }

    @Test
    void cancelAllAndListenKeys() throws Exception {
        ok(t.alice("POST", "/fapi/v1/order", "symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=4100"));
        ok(t.alice("POST", "/fapi/v1/order", "symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=4110"));
        assertEquals(2, ok(t.alice("GET", "/fapi/v1/openOrders", "symbol=ETHUSDT")).size());
        assertEquals(200, ok(t.alice("DELETE", "/fapi/v1/allOpenOrders", "symbol=ETHUSDT")).get("code").asInt());
        assertEquals(0, ok(t.alice("GET", "/fapi/v1/openOrders", "symbol=ETHUSDT")).size());

        final JsonNode k = ok(t.raw("POST", "/fapi/v1/listenKey", "", TestGateway.ALICE_KEY, true));
        assertEquals(64, k.get("listenKey").asText().length());
        assertEquals(k, ok(t.raw("POST", "/fapi/v1/listenKey", "", TestGateway.ALICE_KEY, true)));
        assertEquals(k, ok(t.raw("PUT", "/fapi/v1/listenKey", "", TestGateway.ALICE_KEY, true)));
        ok(t.raw("DELETE", "/fapi/v1/listenKey", "", TestGateway.ALICE_KEY, false));
        final Res gone = t.raw("PUT", "/fapi/v1/listenKey", "", TestGateway.ALICE_KEY, true);
        assertEquals(-1125, JSON.readTree(gone.body()).get("code").asInt());
    }

    @Test
    void fundingHistoryAfterAFundingTime() throws Exception {
        try (TestGateway g = TestGateway.standard()) {
            final long next = ok(g.get("/fapi/v1/premiumIndex?symbol=BTCUSDT")).get("nextFundingTime").asLong();
            assertEquals(0, ok(g.get("/fapi/v1/fundingRate?symbol=BTCUSDT")).size());
            g.clock.set(next + 1);
            g.gateway.tick();
            final JsonNode f = ok(g.get("/fapi/v1/fundingRate?symbol=BTCUSDT"));
            assertEquals(1, f.size(), f.toString());
            assertEquals("BTCUSDT", f.get(0).get("symbol").asText());
            assertTrue(f.get(0).has("fundingRate") && f.get(0).has("markPrice"));
            assertFalse(ok(g.get("/fapi/v1/fundingRate")).isEmpty());
        }
    }
}
