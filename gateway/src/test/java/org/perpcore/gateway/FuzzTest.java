package org.perpcore.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.perpcore.gateway.TestGateway.Res;
import org.perpcore.gateway.binance.ApiKey;

/**
 * Hostile input, seeded: more than 10,000 malformed or refused requests and frames (signed requests with one
 * defect each, bad paths, raw bytes that are not HTTP, WebSocket frames that are not Binance requests, commands
 * the engine refuses). The server stays up, answers every one with a Binance error, and the engine's state hash
 * is the same at the end as at the start; then it still serves a good request.
 */
class FuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long SEED = Long.getLong("perpcore.fuzz.seed", 20251010L);
    static final int HTTP_CASES = 8000;
    static final int RAW_CASES = 600;
    static final int WS_CASES = 3000;

    static final String[] BAD_NUMBERS = {"NaN", "Infinity", "-Infinity", "1e5", "1E-3", "0x10", "-1", "+1", "-0",
        ".5", "5.", "1.2.3", " 1", "1 ", "1,000", "１", "%00", "0.000000001", "99999999999999999999",
        "123456789012345678901", "", "null", "true", "[1]", "{}", "1/2", "1;2", "½", "0.0000000001",
        "184467440737095516160", "9".repeat(40)};
    static final String[] BAD_WORDS = {"", "%FF", "%", "%G1", "x%00y", "<script>", "'; DROP TABLE", "../../etc",
        "\u00e9", "A".repeat(300), "btc usdt", "BTC\u0000USDT", "%0d%0aX-Injected:1"};

    @Test
    void hostileInputChangesNothingAndIsAnsweredWithBinanceErrors() throws Exception {
        final ApiKey.RateLimits unlimited = new ApiKey.RateLimits(1 << 30, 1 << 30, 1 << 30);
        try (TestGateway t = new TestGateway(unlimited, 1 << 20)) {
            t.setup(TestGateway.SETUP);
            t.key("alice", TestGateway.ALICE_KEY, TestGateway.ALICE_SECRET);
            t.setup(List.of("order alice BTCUSDT buy limit 0.01 95000 id=resting", "leverage alice BTCUSDT 10"));
            final String before = t.stateHash();
            final SplittableRandom rnd = new SplittableRandom(SEED);
            final Map<Integer, Integer> codes = new TreeMap<>();
            for (int i = 0; i < HTTP_CASES; i++) {
                final Res r = httpCase(t, rnd);
                final JsonNode j = error(r, "http case " + i);
                codes.merge(j.get("code").asInt(), 1, Integer::sum);
            }
            for (int i = 0; i < RAW_CASES; i++) {
                final String resp = rawCase(t, rnd);
                assertTrue(resp.startsWith("HTTP/1.1 4"), "raw case " + i + ": " + resp);
                final JsonNode j = JSON.readTree(resp.substring(resp.indexOf("\r\n\r\n") + 4));
                assertTrue(j.get("code").asInt() < 0, resp);
                codes.merge(j.get("code").asInt(), 1, Integer::sum);
            }
            int wsErrors = 0;
            try (WsClient c = new WsClient(t.http, "ws://127.0.0.1:" + t.gateway.port() + "/ws")) {
                for (int i = 0; i < WS_CASES; i++) {
                    wsCase(c, rnd);
                    final String reply = c.messages.poll(5, java.util.concurrent.TimeUnit.SECONDS);
                    assertNotNull(reply, "ws case " + i + ": no answer");
                    final JsonNode j = JSON.readTree(reply);
                    assertTrue(j.has("code") && j.has("msg") && j.get("code").asInt() >= 0 && j.get("code").asInt() <= 3,
                        "ws case " + i + ": " + reply);
                    wsErrors++;
                }
                assertTrue(!c.closed, "the session survived");
            }
            final int total = HTTP_CASES + RAW_CASES + wsErrors;
            System.out.println("FuzzTest seed " + SEED + ": " + total + " hostile requests and frames, every one"
                + " refused; error codes " + codes);
            assertTrue(total >= 10_000);
            assertEquals(before, t.stateHash(), "bad input changed the state");
            assertNull(t.gateway.failure());
            // and it still serves
            assertEquals(200, t.get("/fapi/v1/ping").status());
            assertEquals(200, t.alice("POST", "/fapi/v1/order",
                "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=95100").status());
        }
    }

    static JsonNode error(Res r, String what) throws Exception {
        assertTrue(r.status() >= 400 && r.status() < 600, what + ": " + r);
        final JsonNode j = JSON.readTree(r.body());
        assertTrue(j.get("code").asInt() < 0 && j.get("msg").isTextual(), what + ": " + r);
        return j;
    }

    static String pick(SplittableRandom rnd, String[] a) {
        return a[rnd.nextInt(a.length)];
    }

    /** A signed or public request with exactly one defect chosen at random. */
    static Res httpCase(TestGateway t, SplittableRandom rnd) {
        final String good = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=95000";
        switch (rnd.nextInt(18)) {
            case 0 -> { // a bad number in a field
                final String field = rnd.nextBoolean() ? "quantity" : "price";
                return t.alice("POST", "/fapi/v1/order", good.replaceAll(field + "=[^&]*", field + "="
                    + enc(pick(rnd, BAD_NUMBERS))));
            }
            case 1 -> { // a bad word where a name goes (suffixed, so that no word can be valid by chance)
                final String[] fields = {"symbol", "side", "type", "timeInForce", "newClientOrderId",
                    "newOrderRespType", "reduceOnly", "positionSide", "selfTradePreventionMode"};
                final String f = pick(rnd, fields);
                final String v = f.equals("newClientOrderId")
                    ? (rnd.nextBoolean() ? "x".repeat(37) : enc(pick(rnd, new String[] {"<a>", "a b", "\u00e9", "a;b"})))
                    : enc(pick(rnd, BAD_WORDS)) + "Z";
                return t.alice("POST", "/fapi/v1/order", good.contains(f + "=") ? good.replaceAll(f + "=[^&]*",
                    f + "=" + v) : good + "&" + f + "=" + v);
            }
            case 2 -> { // a parameter twice
                return t.alice("POST", "/fapi/v1/order", good + "&price=" + (90000 + rnd.nextInt(1000)));
            }
            case 3 -> { // a parameter missing
                final String[] parts = good.split("&");
                final StringBuilder sb = new StringBuilder();
                final int skip = rnd.nextInt(parts.length);
                for (int k = 0; k < parts.length; k++) {
                    if (k != skip) {
                        sb.append(sb.length() == 0 ? "" : "&").append(parts[k]);
                    }
                }
                return t.alice("POST", "/fapi/v1/order", sb.toString());
            }
            case 4 -> { // a forged signature
                final String q = good + "&timestamp=" + t.clock.get();
                final StringBuilder sig = new StringBuilder();
                for (int k = 0; k < 64; k++) {
                    sig.append("0123456789abcdef".charAt(rnd.nextInt(16)));
                }
                return t.raw("POST", "/fapi/v1/order", q + "&signature=" + sig, TestGateway.ALICE_KEY, rnd.nextBoolean());
            }
            case 5 -> { // a stale or future timestamp, correctly signed
                final long ts = t.clock.get() + (rnd.nextBoolean() ? 1000 + rnd.nextInt(100_000) : -5001 - rnd.nextInt(1_000_000));
                final String q = good + "&timestamp=" + ts;
                return t.raw("POST", "/fapi/v1/order", q + "&signature=" + ErrorsTest.sign(q), TestGateway.ALICE_KEY, true);
            }
            case 6 -> { // an unknown or malformed key
                final String[] badKeys = {"bad key", "<k>", "k".repeat(200), "k%20k", "k;drop", "k\"q", "k/../x"};
                final String key = rnd.nextBoolean() ? "K" + rnd.nextInt(1_000_000) : pick(rnd, badKeys);
                return t.signed("GET", "/fapi/v3/positionRisk", "", key, "whatever");
            }
            case 7 -> { // an unknown path
                final String[] paths = {"/fapi/v1/orders", "/fapi/v9/order", "/sapi/v1/capital/config/getall",
                    "/api/v3/order", "/fapi/v1/order/../../admin/state", "/", "/fapi", "/fapi/v1/ping/x"};
                return t.get(pick(rnd, paths) + "?a=" + rnd.nextInt());
            }
            case 8 -> { // the engine refuses: price off the tick, quantity off the step
                final String bad = rnd.nextBoolean() ? "price=95000.05" : "quantity=0.0105";
                return t.alice("POST", "/fapi/v1/order", good.replaceAll(bad.split("=")[0] + "=[^&]*", bad));
            }
            case 9 -> { // the engine refuses: unknown symbol, too big for the margin, post-only that would take
                final String[] cases = {good.replace("BTCUSDT", "XYZ" + rnd.nextInt(1000) + "USDT"),
                    "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=" + (5 + rnd.nextInt(100)),
                    "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.01&price=99000",
                    "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=FOK&quantity=50&price=100200",
                    "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0"};
                return t.alice("POST", "/fapi/v1/order", pick(rnd, cases));
            }
            case 10 -> { // the engine refuses: cancel or query an order that is not there
                final String id = "orderId=" + (1_000_000 + rnd.nextInt(1_000_000));
                return rnd.nextBoolean() ? t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&" + id)
                    : t.alice("GET", "/fapi/v1/order", "symbol=BTCUSDT&" + id);
            }
            case 11 -> { // the engine refuses settings
                final String[] cases = {"/fapi/v1/leverage|symbol=BTCUSDT&leverage=" + (126 + rnd.nextInt(800)),
                    "/fapi/v1/leverage|symbol=BTCUSDT&leverage=0",
                    "/fapi/v1/marginType|symbol=BTCUSDT&marginType=CROSSED",
                    "/fapi/v1/positionMargin|symbol=ETHUSDT&amount=" + (1 + rnd.nextInt(100)) + "&type=1",
                    "/fapi/v1/marginType|symbol=BTCUSDT&marginType=" + enc(pick(rnd, BAD_WORDS)) + "Q"};
                final String[] c = pick(rnd, cases).split("\\|");
                return t.alice("POST", c[0], c[1]);
            }
            case 12 -> { // public endpoints with bad parameters
                final String[] cases = {"/fapi/v1/depth?symbol=BTCUSDT&limit=" + enc(pick(rnd, BAD_NUMBERS)) + "x",
                    "/fapi/v1/depth?symbol=" + enc(pick(rnd, BAD_WORDS)) + "q",
                    "/fapi/v1/klines?symbol=BTCUSDT&interval=" + rnd.nextInt(100) + "y",
                    "/fapi/v1/klines?symbol=BTCUSDT",
                    "/fapi/v1/aggTrades?symbol=BTCUSDT&fromId=-" + rnd.nextInt(),
                    "/fapi/v1/depth?symbol=BTCUSDT&symbol=ETHUSDT",
                    "/fapi/v1/trades",
                    "/fapi/v1/depth?symbol=NOPE" + rnd.nextInt(99)};
                return t.get(pick(rnd, cases));
            }
            case 13 -> { // recvWindow out of range or malformed
                final String rw = rnd.nextBoolean() ? String.valueOf(60_001 + rnd.nextInt(1_000_000)) : "0";
                return t.alice("POST", "/fapi/v1/order", good + "&recvWindow=" + rw);
            }
            case 14 -> { // random percent-encoded bytes as the whole query
                final StringBuilder q = new StringBuilder();
                for (int k = 0, n = 1 + rnd.nextInt(60); k < n; k++) {
                    q.append('%').append(String.format("%02X", rnd.nextInt(256)));
                }
                return t.raw("POST", "/fapi/v1/order", q.toString(), TestGateway.ALICE_KEY, rnd.nextBoolean());
            }
            case 16, 17 -> {
                return conditionalCase(t, rnd, rnd.nextBoolean());
            }
            default -> { // a body too large
                final String body = "a=" + "b".repeat(65 * 1024 + rnd.nextInt(10_000));
                return t.raw("POST", "/fapi/v1/order", body, TestGateway.ALICE_KEY, true);
            }
        }
    }

    /**
     * A conditional order (the order API or the algo API) that would be accepted but for one defect: a bad number
     * where one is required, a bad working type, a parameter its type does not take, closePosition where it does
     * not belong, a required parameter missing, a value the engine refuses, or (algo) a missing or bad algoType.
     */
    static Res conditionalCase(TestGateway t, SplittableRandom rnd, boolean algo) {
        final String stop = algo ? "triggerPrice" : "stopPrice";
        final String[] goods = {
            "symbol=BTCUSDT&side=BUY&type=STOP_MARKET&quantity=0.010&" + stop + "=101000",
            "symbol=BTCUSDT&side=BUY&type=TAKE_PROFIT&quantity=0.010&price=94000&" + stop + "=94000",
            "symbol=BTCUSDT&side=BUY&type=TRAILING_STOP_MARKET&quantity=0.010&callbackRate=1"};
        final int kind = rnd.nextInt(goods.length);
        final String good = goods[kind];
        final boolean trailing = kind == 2;
        final String required = pick(rnd, trailing ? new String[] {"quantity", "callbackRate"}
            : kind == 1 ? new String[] {"quantity", "price", stop} : new String[] {"quantity", stop});
        final String bad = switch (rnd.nextInt(algo ? 7 : 6)) {
            case 0 -> good.replaceAll(required + "=[^&]*", required + "=" + enc(pick(rnd, BAD_NUMBERS)));
            case 1 -> good + "&workingType=" + enc(pick(rnd, BAD_WORDS)) + "_PRICE";
            case 2 -> good + (trailing ? pick(rnd, new String[] {"&" + stop + "=101000", "&priceProtect=true",
                "&price=99000", "&" + (algo ? "stopPrice" : "triggerPrice") + "=101000"})
                : pick(rnd, new String[] {"&callbackRate=1", "&activationPrice=101000", "&activatePrice=101000",
                    kind == 0 ? "&price=99000" : "&" + (algo ? "stopPrice" : "triggerPrice") + "=99000"}));
            case 3 -> kind == 0 ? good + "&closePosition=true" : good + "&closePosition=TRUE";
            case 4 -> good.replaceAll("&?" + required + "=[^&]*", "");
            case 5 -> trailing ? good.replace("callbackRate=1", "callbackRate="
                + pick(rnd, new String[] {"10.01", "0.09", "1.001", "0", "100"}))
                : good.replace(stop + "=" + (kind == 0 ? "101000" : "94000"), stop + "="
                    + pick(rnd, new String[] {"101000.05", "0", "20000000"}));
            default -> good.replace("symbol=", "algoType=" + enc(pick(rnd, BAD_WORDS)) + "X&symbol=");
        };
        final String query = algo && !bad.contains("algoType=") ? (rnd.nextInt(8) == 0 ? bad
            : "algoType=CONDITIONAL&" + bad) : bad;
        return t.alice("POST", algo ? "/fapi/v1/algoOrder" : "/fapi/v1/order", query);
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Bytes that are not a valid HTTP request, over a raw socket; returns what the server answered. */
    static String rawCase(TestGateway t, SplittableRandom rnd) throws Exception {
        final String[] heads = {
            "GARBAGE\r\n\r\n",
            "GET\r\n\r\n",
            "GET /fapi/v1/ping HTTP/9.9\r\n\r\n",
            "GET /fapi/v1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            "GET /fapi/v1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /fapi/v1/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
            "GET /fapi/v1/ping HTTP/1.1\r\n: no name\r\n\r\n",
            "POST /fapi/v1/order HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "c".repeat(100_000),
        };
        final byte[] bytes;
        if (rnd.nextInt(4) == 0) {
            final byte[] noise = new byte[1 + rnd.nextInt(200)];
            rnd.nextBytes(noise);
            for (int k = 0; k < noise.length; k++) {
                if (noise[k] == '\r' || noise[k] == '\n') {
                    noise[k] = 'x';
                }
            }
            final ByteBuffer b = ByteBuffer.allocate(noise.length + 4);
            b.put(noise).put("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            bytes = b.array();
        } else {
            bytes = pick(rnd, heads).getBytes(StandardCharsets.ISO_8859_1);
        }
        try (Socket s = new Socket("127.0.0.1", t.gateway.port())) {
            s.setSoTimeout(5000);
            final OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            final InputStream in = s.getInputStream();
            final ByteArrayOutputStream got = new ByteArrayOutputStream();
            final byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                got.write(buf, 0, n);
                final String sofar = got.toString(StandardCharsets.ISO_8859_1);
                final int headEnd = sofar.indexOf("\r\n\r\n");
                if (headEnd > 0) {
                    final int cl = sofar.toLowerCase().indexOf("content-length: ");
                    if (cl > 0) {
                        final int len = Integer.parseInt(sofar.substring(cl + 16, sofar.indexOf("\r\n", cl)).trim());
                        if (got.size() >= headEnd + 4 + len) {
                            break;
                        }
                    }
                }
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    static void wsCase(WsClient c, SplittableRandom rnd) {
        final String[] frames = {
            "not json", "{", "}", "[]", "[1,2,3]", "null", "42", "\"SUBSCRIBE\"", "{\"method\":1,\"id\":1}",
            "{\"method\":\"SUBSCRIBE\",\"params\":\"btcusdt@aggTrade\",\"id\":1}",
            "{\"method\":\"SUBSCRIBE\",\"params\":[1,2],\"id\":1}",
            "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\"],\"id\":1.5}",
            "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\"],\"id\":-3}",
            "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\"],\"id\":{}}",
            "{\"method\":\"SUBSCRIBE\",\"params\":[\"BTCUSDT@@depth\"],\"id\":2}",
            "{\"method\":\"SUBSCRIBE\",\"params\":[\"" + "x".repeat(500) + "@aggTrade\"],\"id\":2}",
            "{\"method\":\"UNSUBSCRIBE\",\"id\":3}",
            "{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",\"yes\"],\"id\":4}",
            "{\"method\":\"SET_PROPERTY\",\"params\":[\"other\",true],\"id\":4}",
            "{\"method\":\"GET_PROPERTY\",\"params\":[],\"id\":5}",
            "{\"method\":\"DELETE\",\"params\":[],\"id\":6}",
            "{\"params\":[],\"id\":7}",
            "{\"method\":\"SUBSCRIBE\",\"params\":[],\"id\":8,\"x\":1}",
            "[".repeat(2000) + "]".repeat(2000),
            "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\"],\"id\":99999999999999999999999}",
        };
        switch (rnd.nextInt(4)) {
            case 0 -> {
                final byte[] b = new byte[1 + rnd.nextInt(300)];
                rnd.nextBytes(b);
                c.socket.sendBinary(ByteBuffer.wrap(b), true).join();
            }
            case 1 -> {
                final StringBuilder sb = new StringBuilder();
                for (int k = 0, n = 1 + rnd.nextInt(200); k < n; k++) {
                    sb.append((char) (0x20 + rnd.nextInt(0x5f)));
                }
                final String s = sb.toString();
                // a random printable string that happens to be a valid request would not be an error: make sure
                c.send(s.startsWith("{") ? "x" + s : s);
            }
            default -> c.send(pick(rnd, frames));
        }
    }
}
