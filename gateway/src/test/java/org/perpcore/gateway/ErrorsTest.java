package org.perpcore.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.perpcore.gateway.TestGateway.Res;
import org.perpcore.gateway.binance.ApiKey;

/**
 * Security and bad input: every refusal has Binance's code and HTTP status, and changes nothing (the engine's state
 * hash is the same before and after).
 */
class ErrorsTest {
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

    static void refused(Res r, int status, int code) throws Exception {
        assertEquals(status, r.status(), r.toString());
        final JsonNode j = JSON.readTree(r.body());
        assertEquals(code, j.get("code").asInt(), r.toString());
        assertTrue(j.get("msg").asText().length() > 5, r.toString());
    }

    static final String ORDER = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=95000";

    @Test
    void authentication() throws Exception {
        final String before = t.stateHash();
        refused(t.raw("POST", "/fapi/v1/order", ORDER + "&timestamp=" + t.clock.get() + "&signature=00", null, true),
            401, -2014);
        refused(t.raw("POST", "/fapi/v1/order", ORDER, "bad key!", true), 401, -2014);
        refused(t.signed("POST", "/fapi/v1/order", ORDER, "unknownKey", TestGateway.ALICE_SECRET), 401, -2015);
        // alice's key with a wrong secret: the signature does not match
        refused(t.signed("POST", "/fapi/v1/order", ORDER, TestGateway.ALICE_KEY, "wrong"), 400, -1022);
        refused(t.raw("POST", "/fapi/v1/order", ORDER + "&timestamp=" + t.clock.get() + "&signature=zz",
            TestGateway.ALICE_KEY, true), 400, -1022);
        refused(t.raw("POST", "/fapi/v1/order", ORDER + "&timestamp=" + t.clock.get(), TestGateway.ALICE_KEY, true),
            400, -1102);
        refused(t.signed("POST", "/fapi/v1/order", ORDER + "&recvWindow=70000", TestGateway.ALICE_KEY,
            TestGateway.ALICE_SECRET), 400, -1130);
        // a stale and a future timestamp
        final long now = t.clock.get();
        t.clock.set(now - 10_000);
        final String stale = ORDER + "&timestamp=" + t.clock.get();
        t.clock.set(now);
        refused(t.raw("POST", "/fapi/v1/order", stale + "&signature=" + sign(stale), TestGateway.ALICE_KEY, true), 400,
            -1021);
        final String future = ORDER + "&timestamp=" + (now + 5_000);
        refused(t.raw("POST", "/fapi/v1/order", future + "&signature=" + sign(future), TestGateway.ALICE_KEY, true),
            400, -1021);
        assertEquals(before, t.stateHash());
        // within a longer recvWindow the stale one is fine
        final String windowed = ORDER + "&recvWindow=20000&timestamp=" + (now - 10_000);
        assertEquals(200, t.raw("POST", "/fapi/v1/order", windowed + "&signature=" + sign(windowed),
            TestGateway.ALICE_KEY, true).status());
        final JsonNode open = JSON.readTree(t.alice("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT").body());
        assertEquals(1, open.size());
        t.alice("DELETE", "/fapi/v1/allOpenOrders", "symbol=BTCUSDT");
    }

    static String sign(String payload) {
        return new ApiKey("x", TestGateway.ALICE_SECRET, "x", ApiKey.RateLimits.BINANCE).sign(payload);
    }

    @Test
    void signatureOverQueryAndBodyTogether() throws Exception {
        final String query = "symbol=BTCUSDT&side=BUY&type=LIMIT";
        final String body = "timeInForce=GTC&quantity=0.010&price=95000&newClientOrderId=split1&timestamp="
            + t.clock.get();
        final HttpRequest req = HttpRequest.newBuilder(URI.create(t.base() + "/fapi/v1/order?" + query))
            .header("X-MBX-APIKEY", TestGateway.ALICE_KEY).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body + "&signature=" + sign(query + body))).build();
        final Res r = t.send(req);
        assertEquals(200, r.status(), r.toString());
        assertEquals("split1", JSON.readTree(r.body()).get("clientOrderId").asText());
        assertEquals(200, t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=split1").status());
    }

    @Test
    void malformedParameters() throws Exception {
        final String before = t.stateHash();
        final String base = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC";
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=0.01&price=1e5"), 400, -1100);
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=0.01&price=NaN"), 400, -1100);
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=-1&price=95000"), 400, -1100);
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=0.000000001&price=95000"), 400, -1111);
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=99999999999999999999&price=95000"), 400, -1130);
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=0.01&price=95000&price=96000"), 400, -1101);
        refused(t.alice("POST", "/fapi/v1/order", base + "&price=95000"), 400, -1102);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=UP&type=LIMIT&timeInForce=GTC&quantity=1&price=9"),
            400, -1117);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=ICEBERG&quantity=1"), 400, -1116);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTD&quantity=1&price=9"),
            400, -1115);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&price=9"), 400, -1106);
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=0.01&price=95000&newClientOrderId="
            + "x".repeat(37)), 400, -4015);
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=0.01&price=95000&positionSide=LONG"), 400, -4061);
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=0.01&price=95000&reduceOnly=maybe"), 400, -1130);
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=0.01&price=95000&newOrderRespType=FULL"), 400, -1130);
        refused(t.alice("POST", "/fapi/v1/order", base + "&quantity=0.01&price=95000&newClientOrderId=%ZZ"), 400, -1100);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=btc%20usdt&side=BUY&type=MARKET&quantity=1"), 400, -1100);
        refused(t.get("/fapi/v1/depth?symbol=BTCUSDT&limit=0"), 400, -1130);
        refused(t.get("/fapi/v1/depth"), 400, -1102);
        refused(t.get("/fapi/v1/klines?symbol=BTCUSDT&interval=7m"), 400, -1120);
        refused(t.get("/fapi/v1/nothing"), 404, -1020);
        refused(t.get("/elsewhere"), 404, -1020);
        assertEquals(before, t.stateHash());
    }

    @Test
    void theEngineDecidesAndRefusesWithItsCodes() throws Exception {
        final String before = t.stateHash();
        refused(t.get("/fapi/v1/depth?symbol=NOPEUSDT"), 400, -1121);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=NOPEUSDT&side=BUY&type=MARKET&quantity=1"), 400, -1121);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01"
            + "&price=95000.05"), 400, -4014);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0105"
            + "&price=95000"), 400, -4023);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0"), 400, -4003);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=5"), 400, -2019);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.01"
            + "&price=99000"), 400, -5022);
        refused(t.alice("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=FOK&quantity=50"
            + "&price=100200"), 400, -5021);
        refused(t.alice("POST", "/fapi/v1/leverage", "symbol=BTCUSDT&leverage=0"), 400, -4028);
        refused(t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&orderId=999999"), 400, -2011);
        refused(t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&orderId=999999"), 400, -2013);
        refused(t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT"), 400, -1102);
        assertEquals(before, t.stateHash());
    }

    @Test
    void aKeyActsOnlyOnItsOwnAccount() throws Exception {
        final JsonNode placed = JSON.readTree(t.alice("POST", "/fapi/v1/order", ORDER + "&newClientOrderId=mine").body());
        final long id = placed.get("orderId").asLong();
        final String before = t.stateHash();
        // bob cannot see, cancel or query alice's order, by id or by client id
        final Res cancel = t.signed("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + id, TestGateway.BOB_KEY,
            TestGateway.BOB_SECRET);
        assertEquals(400, cancel.status(), cancel.toString());
        refused(t.signed("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=mine", TestGateway.BOB_KEY,
            TestGateway.BOB_SECRET), 400, -1109);
        refused(t.signed("GET", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + id, TestGateway.BOB_KEY,
            TestGateway.BOB_SECRET), 400, -2013);
        assertEquals("[]", t.signed("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT", TestGateway.BOB_KEY,
            TestGateway.BOB_SECRET).body());
        // bob has no money yet: an empty account, not alice's
        final JsonNode bal = JSON.readTree(t.signed("GET", "/fapi/v2/balance", "", TestGateway.BOB_KEY,
            TestGateway.BOB_SECRET).body());
        assertEquals("0.00000000", bal.get(0).get("balance").asText());
        assertEquals("[]", t.signed("GET", "/fapi/v3/positionRisk", "", TestGateway.BOB_KEY, TestGateway.BOB_SECRET)
            .body());
        assertEquals(before, t.stateHash());
        assertEquals("NEW", JSON.readTree(t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + id).body())
            .get("status").asText());
        assertEquals(200, t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&orderId=" + id).status());
    }

    @Test
    void rateLimitsPerKey() throws Exception {
        final ApiKey slow = new ApiKey("aliceLimited", "limitedSecret", "alice", new ApiKey.RateLimits(2400, 3, 1200));
        t.gateway.keys().add(slow);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, t.signed("POST", "/fapi/v1/order", ORDER + "&newClientOrderId=rl" + i, "aliceLimited",
                "limitedSecret").status());
        }
        final String before = t.stateHash();
        final Res r = t.signed("POST", "/fapi/v1/order", ORDER + "&newClientOrderId=rl3", "aliceLimited",
            "limitedSecret");
        refused(r, 429, -1003);
        assertEquals(before, t.stateHash());
        // the other key of the same account, and everybody else, go on
        assertEquals(200, t.alice("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT").status());
        assertEquals(200, t.get("/fapi/v1/ping").status());
        t.alice("DELETE", "/fapi/v1/allOpenOrders", "symbol=BTCUSDT");
    }

    @Test
    void oversizeBodiesAndLines() throws Exception {
        final HttpRequest big = HttpRequest.newBuilder(URI.create(t.base() + "/fapi/v1/order"))
            .header("X-MBX-APIKEY", TestGateway.ALICE_KEY).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("a=" + "x".repeat(100_000))).build();
        final Res r = t.send(big);
        assertEquals(413, r.status(), r.toString());
        assertEquals(-1130, JSON.readTree(r.body()).get("code").asInt());
        final Res longUri = t.get("/fapi/v1/depth?symbol=" + "A".repeat(10_000));
        assertTrue(longUri.status() == 413 || longUri.status() == 400, longUri.toString());
        assertEquals(200, t.get("/fapi/v1/ping").status());
    }

    @Test
    void adminNeedsItsToken() throws Exception {
        final Res r = t.send(HttpRequest.newBuilder(URI.create(t.adminBase() + "/admin/state")).GET().build());
        refused(r, 401, -1002);
        final Res wrong = t.send(HttpRequest.newBuilder(URI.create(t.adminBase() + "/admin/state"))
            .header("Authorization", "Bearer nope").GET().build());
        refused(wrong, 401, -1002);
    }
}
