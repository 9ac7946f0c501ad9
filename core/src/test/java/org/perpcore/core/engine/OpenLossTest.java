package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.perpcore.core.testkit.EngineHarness.ofType;
import static org.perpcore.core.testkit.EngineHarness.only;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.perpcore.core.testkit.EngineHarness;

/**
 * The margin an order opening exposure needs covers its initial margin at the prices it fills at, its loss against
 * the mark (Binance's "open loss") and its taker fee: without them an order filling far from the mark could take
 * more from the wallet than the account has.
 */
class OpenLossTest {
    private static EngineHarness market(String deposit) {
        final EngineHarness h = new EngineHarness();
        h.run("time 2025-10-10T20:00:00Z",
            "market BTCUSDT tick=0.1 step=0.001 makerFee=0 takerFee=0.0005 priceBand=0.3 marketBand=0.1",
            "deposit mm 10000000", "deposit dave " + deposit, "leverage dave BTCUSDT 20", "index BTCUSDT 100000");
        return h;
    }

    private static List<Map<String, String>> rejects(List<Map<String, String>> events) {
        return ofType(events, "REJECT");
    }

    @Test
    void aSellFillingFarBelowTheMarkPaysItsLossAgainstTheMark() {
        // 0.1 sold into a bid at 95,000 with the mark at 100,000: margin 475 at the fill, open loss 500, fee 4.75
        final EngineHarness poor = market("975");
        poor.run("order mm BTCUSDT buy limit 0.1 95000");
        assertEquals("-2019", only(poor.run("order dave BTCUSDT sell market 0.1"), "REJECT").get("code"));
        final EngineHarness enough = market("980");
        enough.run("order mm BTCUSDT buy limit 0.1 95000");
        assertEquals(0, rejects(enough.run("order dave BTCUSDT sell market 0.1")).size());
        final var account = only(enough.run("query account dave"), "ACCOUNT");
        assertEquals("975.25000000", account.get("walletBalance"), "980 less the 4.75 fee");
    }

    @Test
    void aRestingBuyAboveTheMarkPaysItsLossAgainstTheMark() {
        // a buy resting at 104,000 with the mark at 100,000: margin 520 and open loss 400
        final EngineHarness h = market("900");
        assertEquals("-2019", only(h.run("order dave BTCUSDT buy limit 0.1 104000"), "REJECT").get("code"));
        assertEquals(0, rejects(h.run("order dave BTCUSDT buy limit 0.1 100000")).size(), "margin 500 only");
    }

    @Test
    void aSellFillingAboveItsLimitIsMarginedAtItsFillPrice() {
        // a sell limit at 90,000 fills at the 100,000 bid: its margin is 500 (at the fill), not 450 (at the limit)
        final EngineHarness h = market("480");
        h.run("order mm BTCUSDT buy limit 0.1 100000");
        assertEquals("-2019", only(h.run("order dave BTCUSDT sell limit 0.1 90000"), "REJECT").get("code"));
    }

    @Test
    void thePositionLimitHoldsWhateverTheLeverage() {
        final EngineHarness h = market("100000");
        h.run("market BTCUSDT maxPosition=50000", "leverage dave BTCUSDT 2", "order mm BTCUSDT sell limit 1 100000");
        assertEquals("-2027", only(h.run("order dave BTCUSDT buy limit 0.6 100000"), "REJECT").get("code"));
        assertEquals(0, rejects(h.run("order dave BTCUSDT buy limit 0.5 100000")).size());
        assertEquals("-2027", only(h.run("order dave BTCUSDT buy limit 0.001 100000"), "REJECT").get("code"));
        assertEquals(0, rejects(h.run("order dave BTCUSDT sell limit 0.1 100000")).size(), "reducing is allowed");
    }
}
