package org.perpcore.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.perpcore.gateway.TestGateway.Res;
import org.perpcore.gateway.binance.ApiKeys;
import org.perpcore.journal.Replayer;

/**
 * {@code serve --journal DIR}: a gateway session (admin setup, keys, signed orders, a stop waiting, a snapshot taken
 * through the admin API, more orders after it) is journaled through the journal module, so that {@code replay DIR}
 * rebuilds its final state, and a gateway restarted on the directory comes back in that state: the same state hash,
 * the same answers to every account query (orders, positions, balances, trades, depth), the same API keys, and it
 * carries on.
 */
@Timeout(120)
class JournaledGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAROL_KEY = "carolKey000000000000000000000000000000000000000000000000000000";
    private static final String CAROL_SECRET = "carolSecret0000000000000000000000000000000000000000000000000";

    private static JsonNode ok(Res r) throws Exception {
        assertEquals(200, r.status(), r::toString);
        return JSON.readTree(r.body());
    }

    /** The answers a client sees, by name: everything the restart must give back unchanged. */
    private static Map<String, String> views(TestGateway t) {
        final Map<String, String> v = new LinkedHashMap<>();
        v.put("state", t.admin("GET", "/admin/state", null).body().replaceAll(",\"seq\":\\d+", ""));
        v.put("keys", t.admin("GET", "/admin/keys", null).body());
        v.put("openOrders", t.alice("GET", "/fapi/v1/openOrders", "symbol=BTCUSDT").body());
        v.put("allOrders", t.alice("GET", "/fapi/v1/allOrders", "symbol=BTCUSDT").body());
        v.put("positionRisk", t.alice("GET", "/fapi/v3/positionRisk", "symbol=BTCUSDT").body());
        v.put("account", t.alice("GET", "/fapi/v3/account", "").body());
        v.put("userTrades", t.alice("GET", "/fapi/v1/userTrades", "symbol=BTCUSDT").body());
        v.put("carolBalance", t.signed("GET", "/fapi/v2/balance", "", CAROL_KEY, CAROL_SECRET).body());
        v.put("depth", t.get("/fapi/v1/depth?symbol=BTCUSDT&limit=20").body());
        v.put("trades", t.get("/fapi/v1/trades?symbol=BTCUSDT").body());
        v.put("premiumIndex", t.get("/fapi/v1/premiumIndex?symbol=BTCUSDT").body());
        return v;
    }

    @Test
    void aJournaledSessionReplaysAndRestartsIntoTheSameState(@TempDir Path dir) throws Exception {
        final Map<String, String> before;
        final long snapshotSeq;
        final long endMs;
        try (TestGateway t = new TestGateway(dir, TestGateway.START_MS)) {
            t.setup(TestGateway.SETUP);
            t.key("alice", TestGateway.ALICE_KEY, TestGateway.ALICE_SECRET);
            ok(t.admin("POST", "/admin/accounts", "{\"account\":\"carol\",\"apiKey\":\"" + CAROL_KEY
                + "\",\"secret\":\"" + CAROL_SECRET + "\",\"deposit\":\"5000\"}"));
            t.clock.addAndGet(1_000);
            ok(t.alice("POST", "/fapi/v1/order",
                "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.020&newClientOrderId=m1"));
            ok(t.alice("POST", "/fapi/v1/order",
                "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=95000&newClientOrderId=l1"));
            ok(t.admin("POST", "/admin/commands", "order alice BTCUSDT sell stop_market 0.02 stopPrice=90000"
                + " reduceOnly id=sl1"));
            t.clock.addAndGet(1_000);
            final JsonNode snapshot = ok(t.admin("POST", "/admin/snapshot", null));
            snapshotSeq = snapshot.get("seq").asLong();
            assertTrue(Files.isRegularFile(dir.resolve(snapshot.get("file").asText())), snapshot::toString);
            // after the snapshot: more trading, a cancel, an index move
            t.clock.addAndGet(1_000);
            ok(t.alice("POST", "/fapi/v1/order",
                "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.005&price=101000&newClientOrderId=l2"));
            ok(t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=l1"));
            ok(t.admin("POST", "/admin/index", "{\"symbol\":\"BTCUSDT\",\"price\":\"100050\"}"));
            ok(t.signed("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.010",
                CAROL_KEY, CAROL_SECRET));
            before = views(t);
            endMs = t.clock.get();
        }
        assertTrue(before.get("openOrders").contains("\"clientOrderId\":\"l2\"")
            && before.get("openOrders").contains("\"clientOrderId\":\"sl1\""), before.get("openOrders"));
        final String hash = JSON.readTree(before.get("state")).get("stateHash").asText();

        // replay DIR: the same final state, every event verified against the event journal
        final Replayer.Result replayed = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true)
            .withFromStart(true));
        assertNull(replayed.divergence());
        assertEquals(1, replayed.snapshotsChecked());
        assertEquals(hash, String.format("%016x", replayed.stateHash()));
        assertEquals(hash, String.format("%016x", Replayer.replay(dir, Replayer.Options.ALL).stateHash()));
        assertTrue(Files.isRegularFile(dir.resolve(ApiKeys.FILE)));
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(0, org.perpcore.gateway.cli.Main.run(new String[] {"replay", dir.toString(), "--verify"},
            new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)), err::toString);
        assertTrue(out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("stateHash=" + hash), out::toString);

        // restarted: from the snapshot and the tail, with the same answers and keys
        try (TestGateway t = new TestGateway(dir, endMs)) {
            assertEquals(snapshotSeq, t.gateway.journal().recovery().snapshotSeq());
            assertEquals(List.of(), t.gateway.journal().recovery().repairs());
            final Map<String, String> after = views(t);
            for (String name : before.keySet()) {
                assertEquals(before.get(name), after.get(name), name);
            }
            // and it carries on: the restored order is cancelled, carol trades, a new key works
            t.clock.addAndGet(1_000);
            assertEquals("CANCELED", ok(t.alice("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=l2"))
                .get("status").asText());
            assertEquals("FILLED", ok(t.signed("POST", "/fapi/v1/order",
                "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&newOrderRespType=RESULT", CAROL_KEY, CAROL_SECRET))
                .get("status").asText());
            t.key("bob", TestGateway.BOB_KEY, TestGateway.BOB_SECRET);
            assertEquals(200, t.signed("GET", "/fapi/v2/balance", "", TestGateway.BOB_KEY, TestGateway.BOB_SECRET)
                .status());
        }
        // a removed key stays removed, a new one stays
        try (TestGateway t = new TestGateway(dir, endMs + 2_000)) {
            assertEquals(200, t.admin("DELETE", "/admin/keys?apiKey=" + CAROL_KEY, null).status());
            assertEquals(200, t.signed("GET", "/fapi/v2/balance", "", TestGateway.BOB_KEY, TestGateway.BOB_SECRET)
                .status());
        }
        try (TestGateway t = new TestGateway(dir, endMs + 3_000)) {
            assertEquals(401, t.signed("GET", "/fapi/v2/balance", "", CAROL_KEY, CAROL_SECRET).status());
            assertEquals(200, t.alice("GET", "/fapi/v2/balance", "").status());
        }
    }

    @Test
    void anAdminSnapshotSitsAtItsPlaceInTheSequence(@TempDir Path dir) throws Exception {
        try (TestGateway t = new TestGateway(dir, TestGateway.START_MS)) {
            t.setup(TestGateway.SETUP);
            final JsonNode state = ok(t.admin("GET", "/admin/state", null));
            final JsonNode snapshot = ok(t.admin("POST", "/admin/snapshot", null));
            // the command right after the state query, holding exactly that state
            assertEquals(state.get("seq").asLong() + 1, snapshot.get("seq").asLong());
            assertEquals(state.get("stateHash").asText(), snapshot.get("stateHash").asText());
            assertEquals(TestGateway.START_MS, snapshot.get("time").asLong());
            final JsonNode second = ok(t.admin("POST", "/admin/snapshot", null));
            assertEquals(snapshot.get("seq").asLong() + 1, second.get("seq").asLong());
            assertEquals(snapshot.get("stateHash").asText(), second.get("stateHash").asText());
        }
        final Replayer.Result r = Replayer.replay(dir, Replayer.Options.ALL.withVerify(true).withFromStart(true));
        assertNull(r.divergence());
        assertEquals(2, r.snapshotsChecked());
    }

    @Test
    void withoutAJournalASnapshotIsRefused() throws Exception {
        try (TestGateway t = new TestGateway()) {
            final Res r = t.admin("POST", "/admin/snapshot", null);
            assertEquals(400, r.status());
            assertEquals(-1020, JSON.readTree(r.body()).get("code").asInt());
        }
    }
}
