package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.perpcore.core.testkit.EngineHarness;

/** The read-only queries a front door uses: all positions of an account, and the state hash. */
class QueryTest {
    private static final String[] SETUP = {
        "time 2025-10-10T20:00:00Z",
        "market BTCUSDT tick=0.1 step=0.001 makerFee=0 takerFee=0",
        "market ETHUSDT tick=0.01 step=0.01 makerFee=0 takerFee=0",
        "deposit alice 10000",
        "deposit bob 10000",
        "index BTCUSDT 100000",
        "index ETHUSDT 4000",
        "leverage alice ETHUSDT 10",
        "order bob BTCUSDT sell limit 0.1 100000 id=b1",
        "order alice BTCUSDT buy market 0.05",
    };

    @Test
    void positionsListsEveryMarketWithTheAccountFirst() {
        final EngineHarness h = new EngineHarness();
        h.run(SETUP);
        final List<Map<String, String>> events = h.run("query positions alice");
        assertEquals(3, events.size(), events.toString());
        assertEquals("ACCOUNT", events.get(0).get("type"));
        assertEquals("QUERY", events.get(0).get("reason"));
        final Map<String, String> btc = events.get(1);
        assertEquals("POSITION", btc.get("type"));
        assertEquals("BTCUSDT", btc.get("symbol"));
        assertEquals("0.050", btc.get("positionAmt"));
        final Map<String, String> eth = events.get(2);
        assertEquals("ETHUSDT", eth.get("symbol"));
        assertEquals("10", eth.get("leverage"));
    }

    @Test
    void queriesChangeNothingNotEvenForUntouchedMarkets() {
        final EngineHarness h = new EngineHarness();
        h.run(SETUP);
        final long before = h.engine().stateHash();
        // bob never touched ETHUSDT: it is reported at the defaults without creating a position
        final List<Map<String, String>> events = h.run("query positions bob");
        assertEquals("20", events.get(2).get("leverage"));
        assertEquals("0.00", events.get(2).get("positionAmt"));
        h.run("query state");
        assertEquals(before, h.engine().stateHash());
    }

    @Test
    void stateReportsTheHashAndSizes() {
        final EngineHarness h = new EngineHarness();
        h.run(SETUP);
        final Map<String, String> state = EngineHarness.only(h.run("query state"), "STATE");
        assertEquals(String.format("%016x", h.engine().stateHash()), state.get("stateHash"));
        assertEquals("2", state.get("markets"));
        assertEquals("2", state.get("accounts"));
        assertEquals("1", state.get("openOrders"));
        h.run("order bob BTCUSDT sell limit 0.1 100100 id=b2");
        assertNotEquals(state.get("stateHash"), EngineHarness.only(h.run("query state"), "STATE").get("stateHash"));
    }

    @Test
    void unknownAccountIsRejected() {
        final EngineHarness h = new EngineHarness();
        h.run(SETUP);
        final Map<String, String> r = EngineHarness.only(h.run("query positions nobody"), "REJECT");
        assertEquals("-1109", r.get("code"));
    }
}
