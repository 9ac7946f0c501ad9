package org.perpcore.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.perpcore.gateway.TestGateway.Res;
import org.perpcore.gateway.config.ConfigFile;

/** The admin API and the configuration file, each through the engine's commands and events. */
class AdminApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode ok(Res r) throws Exception {
        assertEquals(200, r.status(), r.toString());
        return JSON.readTree(r.body());
    }

    static String types(JsonNode answer) {
        final StringBuilder sb = new StringBuilder();
        for (JsonNode e : answer.get("events")) {
            sb.append(e.get("type").asText()).append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void marketsAccountsMoneyPricesAndKeys() throws Exception {
        try (TestGateway t = new TestGateway()) {
            final JsonNode m = ok(t.admin("POST", "/admin/markets", "{\"symbol\":\"SOLUSDT\",\"tick\":\"0.01\","
                + "\"step\":\"0.1\",\"maxLeverage\":50,\"fundingInterval\":\"4h\",\"brackets\":[{\"floor\":\"0\","
                + "\"mmr\":\"0.01\",\"maxLeverage\":50},{\"floor\":\"100000\",\"mmr\":\"0.02\",\"maxLeverage\":25}],"
                + "\"index\":\"200\",\"insurance\":\"5000\"}"));
            assertEquals("MARKET BRACKET BRACKET MARK ACCOUNT_CREATED INSURANCE", types(m));
            assertEquals("4h", m.get("events").get(0).get("fundingInterval").asText());
            assertEquals("1000", m.get("events").get(2).get("cum").asText());

            final JsonNode acct = ok(t.admin("POST", "/admin/accounts", "{\"account\":\"carol\",\"deposit\":1000,"
                + "\"rateLimits\":{\"ordersPer10s\":5}}"));
            assertEquals("carol", acct.get("account").asText());
            assertEquals(64, acct.get("apiKey").asText().length());
            assertEquals(64, acct.get("secret").asText().length());
            assertEquals("ACCOUNT_CREATED ACCOUNT", types(acct));
            final String key = acct.get("apiKey").asText();
            final String secret = acct.get("secret").asText();
            assertEquals("1000.00000000", JSON.readTree(t.signed("GET", "/fapi/v2/balance", "", key, secret).body())
                .get(0).get("balance").asText());

            assertEquals("ACCOUNT", types(ok(t.admin("POST", "/admin/deposit", "{\"account\":\"carol\",\"amount\":\"500\"}"))));
            assertEquals("ACCOUNT", types(ok(t.admin("POST", "/admin/withdraw", "{\"account\":\"carol\",\"amount\":\"200\"}"))));
            final Res tooMuch = t.admin("POST", "/admin/withdraw", "{\"account\":\"carol\",\"amount\":\"5000\"}");
            assertEquals(400, tooMuch.status());
            assertEquals(-2018, JSON.readTree(tooMuch.body()).get("code").asInt());
            assertEquals("1300.00000000", JSON.readTree(t.signed("GET", "/fapi/v2/balance", "", key, secret).body())
                .get(0).get("balance").asText());

            // index in three forms, a forced mark, the insurance fund
            ok(t.admin("POST", "/admin/index", "{\"symbol\":\"SOLUSDT\",\"price\":\"201\"}"));
            ok(t.admin("POST", "/admin/index", "{\"prices\":[{\"symbol\":\"SOLUSDT\",\"price\":\"202\"}]}"));
            ok(t.admin("POST", "/admin/index", "{\"prices\":{\"SOLUSDT\":\"203\"}}"));
            assertEquals("203.00", JSON.readTree(t.get("/fapi/v1/premiumIndex?symbol=SOLUSDT").body())
                .get("indexPrice").asText());
            ok(t.admin("POST", "/admin/mark", "{\"symbol\":\"SOLUSDT\",\"price\":\"210\"}"));
            assertEquals("210.00", JSON.readTree(t.get("/fapi/v1/premiumIndex?symbol=SOLUSDT").body())
                .get("markPrice").asText());
            final JsonNode ins = ok(t.admin("POST", "/admin/insurance", "{\"symbol\":\"SOLUSDT\",\"amount\":\"100\"}"));
            assertEquals("5100.00000000", ins.get("events").get(0).get("balance").asText());
            final JsonNode unknown = JSON.readTree(t.admin("POST", "/admin/index",
                "{\"symbol\":\"NOPE\",\"price\":\"1\"}").body());
            assertEquals(-1121, unknown.get("code").asInt());

            // any scenario line; clock lines refused
            assertTrue(types(ok(t.admin("POST", "/admin/commands", "leverage carol SOLUSDT 10\n# a comment\n")))
                .contains("POSITION"));
            assertEquals(-1130, JSON.readTree(t.admin("POST", "/admin/commands", "advance 8h").body()).get("code").asInt());
            assertEquals(-1130, JSON.readTree(t.admin("POST", "/admin/commands", "order carol SOLUSDT").body())
                .get("code").asInt());
            ok(t.admin("POST", "/admin/tick", null));

            // keys: listed without secrets, removed
            final String keys = t.admin("GET", "/admin/keys", null).body();
            assertTrue(keys.contains(key) && !keys.contains(secret), keys);
            assertEquals(200, t.admin("DELETE", "/admin/keys?apiKey=" + key, null).status());
            assertEquals(401, t.signed("GET", "/fapi/v2/balance", "", key, secret).status());
            assertEquals(400, t.admin("DELETE", "/admin/keys?apiKey=" + key, null).status());

            final JsonNode state = ok(t.admin("GET", "/admin/state", null));
            assertEquals(16, state.get("stateHash").asText().length());
            assertEquals(1, state.get("markets").asInt());
        }
    }

    @Test
    void badAdminInputIsRefusedAndCannotInjectCommands() throws Exception {
        try (TestGateway t = new TestGateway()) {
            t.setup(TestGateway.SETUP);
            final String before = t.stateHash();
            assertEquals(-1102, JSON.readTree(t.admin("POST", "/admin/deposit", "{not json").body()).get("code").asInt());
            assertEquals(-1102, JSON.readTree(t.admin("POST", "/admin/deposit", "[1]").body()).get("code").asInt());
            assertEquals(-1102, JSON.readTree(t.admin("POST", "/admin/deposit", "{\"account\":\"alice\"}").body())
                .get("code").asInt());
            // a value with a space or a newline would add tokens or lines to the command: refused
            assertEquals(-1100, JSON.readTree(t.admin("POST", "/admin/deposit",
                "{\"account\":\"alice\",\"amount\":\"1\\nwithdraw maker 1000\"}").body()).get("code").asInt());
            assertEquals(-1100, JSON.readTree(t.admin("POST", "/admin/markets",
                "{\"symbol\":\"BTCUSDT\",\"tick\":\"0.1 step=1\"}").body()).get("code").asInt());
            assertEquals(-1100, JSON.readTree(t.admin("POST", "/admin/accounts", "{\"account\":\"$insurance\"}").body())
                .get("code").asInt());
            assertEquals(404, t.admin("GET", "/admin/nothing", null).status());
            assertEquals(before, t.stateHash());
        }
    }

    @Test
    void theExampleConfigurationFileApplies() throws Exception {
        final ConfigFile c = ConfigFile.load(Path.of("../config/gateway.json"), GatewayConfig.defaults());
        assertEquals(8080, c.server().port());
        assertEquals("change-me", c.server().adminToken());
        assertEquals(2, c.keys().size());
        assertTrue(c.lines().get(0).startsWith("market BTCUSDT "), c.lines().get(0));
        try (TestGateway t = new TestGateway()) {
            final String applied = t.setup(c.lines());
            assertFalse(applied.startsWith("{\"code\""), applied);
            final JsonNode depth = JSON.readTree(t.get("/fapi/v1/depth?symbol=BTCUSDT").body());
            assertEquals("[\"100100.0\",\"1.000\"]", depth.get("asks").get(0).toString());
            assertEquals(2, JSON.readTree(t.get("/fapi/v1/exchangeInfo").body()).get("symbols").size());
        }
    }
}
