package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.perpcore.core.testkit.EngineHarness.ofType;
import static org.perpcore.core.testkit.EngineHarness.only;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.perpcore.core.testkit.EngineHarness;

/** Order book behaviour, driven by commands: priority, time in force, market orders, cancels, amends, STP, fees. */
class MatchingTest {
    private EngineHarness h;

    @BeforeEach
    void setUp() {
        h = new EngineHarness();
        h.run("time 2025-10-10T20:00:00Z",
            "market BTCUSDT tick=0.1 step=0.001 makerFee=0.0002 takerFee=0.0005",
            "deposit mm1 1000000", "deposit mm2 1000000", "deposit alice 100000", "deposit bob 100000");
    }

    private static List<String> fills(List<Map<String, String>> events) {
        return ofType(events, "TRADE").stream()
            .map(t -> t.get("maker") + "@" + t.get("price") + "x" + t.get("qty")).toList();
    }

    @Test
    void priceThenTimePriorityAcrossAndWithinLevels() {
        h.run("order mm1 BTCUSDT sell limit 1 100.2 id=a",
            "order mm2 BTCUSDT sell limit 1 100.1 id=b",
            "order mm1 BTCUSDT sell limit 1 100.1 id=c");
        final var events = h.run("order alice BTCUSDT buy limit 2.5 100.2 id=t");
        // best price first; at 100.1 mm2 was first in time
        assertEquals(List.of("mm2@100.1x1.000", "mm1@100.1x1.000", "mm1@100.2x0.500"), fills(events));
        final var last = ofType(events, "ORDER").get(ofType(events, "ORDER").size() - 1);
        assertEquals("FILLED", last.get("status"));
        assertEquals("t", last.get("clientOrderId"));
        assertEquals("2.500", last.get("executedQty"));
        assertEquals("100.12", last.get("avgPrice")); // (100.1 + 100.1 + 0.5 x 100.2) / 2.5
        assertEquals(1, h.engine().openOrderCount(), "the rest of order a stays on the book");
    }

    @Test
    void gtcRemainderRestsAndIocRemainderExpires() {
        h.run("order mm1 BTCUSDT sell limit 1 100 id=a");
        final var gtc = h.run("order alice BTCUSDT buy limit 3 100 id=g");
        assertEquals("PARTIALLY_FILLED", ofType(gtc, "ORDER").get(ofType(gtc, "ORDER").size() - 1).get("status"));
        assertEquals(1, h.engine().openOrderCount());

        h.run("order mm1 BTCUSDT sell limit 1 101 id=b");
        final var ioc = h.run("order bob BTCUSDT buy limit 5 101 tif=IOC id=i");
        final var last = ofType(ioc, "ORDER").get(ofType(ioc, "ORDER").size() - 1);
        assertEquals("EXPIRED", last.get("status"));
        assertEquals("IOC", last.get("expireReason"));
        assertEquals("1.000", last.get("executedQty"));
    }

    @Test
    void fokFillsCompletelyOrChangesNothing() {
        h.run("order mm1 BTCUSDT sell limit 1 100 id=a", "order mm2 BTCUSDT sell limit 1 100.5 id=b");
        final long before = h.engine().stateHash();
        final var rejected = h.run("order alice BTCUSDT buy limit 2.5 101 tif=FOK id=f");
        assertEquals("-5021", only(rejected, "REJECT").get("code"));
        assertEquals(before, h.engine().stateHash(), "a rejected FOK changes nothing");

        final var filled = h.run("order alice BTCUSDT buy limit 2 101 tif=FOK id=f");
        assertEquals(2, ofType(filled, "TRADE").size());
        assertEquals(0, h.engine().openOrderCount());
    }

    @Test
    void postOnlyRestsOrIsRejected() {
        h.run("order mm1 BTCUSDT sell limit 1 100 id=a");
        final long before = h.engine().stateHash();
        assertEquals("-5022", only(h.run("order alice BTCUSDT buy limit 1 100 tif=GTX"), "REJECT").get("code"));
        assertEquals(before, h.engine().stateHash());
        final var rests = h.run("order alice BTCUSDT buy limit 1 99.9 tif=GTX id=p");
        assertEquals("NEW", only(rests, "ORDER").get("status"));
        assertEquals(2, h.engine().openOrderCount());
    }

    @Test
    void marketOrdersStopAtTheProtectionBand() {
        h.run("market BTCUSDT marketBand=0.01",
            "order mm1 BTCUSDT sell limit 1 100 id=a",
            "order mm1 BTCUSDT sell limit 1 100.9 id=b",
            "order mm1 BTCUSDT sell limit 1 101.1 id=c");
        final var events = h.run("order alice BTCUSDT buy market 3");
        // reference 100 (best ask, no trade or mark yet): limit 101.0; 101.1 is out of band
        assertEquals(List.of("mm1@100.0x1.000", "mm1@100.9x1.000"), fills(events));
        final var last = ofType(events, "ORDER").get(ofType(events, "ORDER").size() - 1);
        assertEquals("EXPIRED", last.get("status"));
        assertEquals("MARKET_BAND", last.get("expireReason"));

        // the last trade (100.9) is now the reference: limit 101.9 -> the 101.1 ask is reachable
        assertEquals(List.of("mm1@101.1x0.500"), fills(h.run("order bob BTCUSDT buy market 0.5")));
    }

    @Test
    void marketOrderOnAnEmptyOrFarBookIsRejected() {
        assertEquals("-2020", only(h.run("order alice BTCUSDT buy market 1"), "REJECT").get("code"));
        h.run("order mm1 BTCUSDT sell limit 1 100 id=a", "order bob BTCUSDT buy limit 1 100 id=t");
        h.run("order mm1 BTCUSDT sell limit 1 120 id=far");
        // last trade 100, band 5%: the best ask 120 is beyond 105
        assertEquals("-4131", only(h.run("order alice BTCUSDT buy market 1"), "REJECT").get("code"));
    }

    @Test
    void cancelByClientIdOrderIdAndAll() {
        final var placed = h.run("order alice BTCUSDT buy limit 1 90 id=x", "order alice BTCUSDT buy limit 1 91",
            "order alice BTCUSDT sell limit 1 110 id=y");
        final String secondId = ofType(placed, "ORDER").get(1).get("orderId");
        assertEquals("CANCELED", only(h.run("cancel alice BTCUSDT x"), "ORDER").get("status"));
        assertEquals("CANCELED", only(h.run("cancel alice BTCUSDT orderId=" + secondId), "ORDER").get("status"));
        assertEquals("-2011", only(h.run("cancel alice BTCUSDT x"), "REJECT").get("code"));
        assertEquals("-2011", only(h.run("cancel bob BTCUSDT y"), "REJECT").get("code"), "not bob's order");
        h.run("order alice BTCUSDT buy limit 1 92 id=z");
        final var all = h.run("cancel-all alice BTCUSDT");
        assertEquals(List.of("y", "z"), ofType(all, "ORDER").stream().map(e -> e.get("clientOrderId")).toList());
        assertEquals(0, h.engine().openOrderCount());
    }

    @Test
    void amendQuantityDownKeepsPriorityAndPriceChangeLosesIt() {
        h.run("order mm1 BTCUSDT sell limit 2 100 id=first", "order mm2 BTCUSDT sell limit 2 100 id=second");
        assertEquals("AMENDMENT", only(h.run("amend mm1 BTCUSDT first qty=1"), "ORDER").get("execType"));
        assertEquals(List.of("mm1@100.0x1.000"), fills(h.run("order alice BTCUSDT buy limit 1 100")));

        h.run("order mm1 BTCUSDT sell limit 2 100 id=third");
        // second is at the front; moving it away and back puts it behind third
        h.run("amend mm2 BTCUSDT second price=100.5", "amend mm2 BTCUSDT second price=100");
        assertEquals(List.of("mm1@100.0x2.000", "mm2@100.0x1.000"),
            fills(h.run("order alice BTCUSDT buy limit 3 100")));
    }

    @Test
    void amendQuantityUpLosesPriorityAndBelowExecutedCancels() {
        h.run("order mm1 BTCUSDT sell limit 1 100 id=a", "order mm2 BTCUSDT sell limit 1 100 id=b");
        h.run("amend mm1 BTCUSDT a qty=2");
        assertEquals(List.of("mm2@100.0x1.000"), fills(h.run("order alice BTCUSDT buy limit 1 100")));
        h.run("order bob BTCUSDT buy limit 1.5 100");
        final var cancel = h.run("amend mm1 BTCUSDT a qty=1.5");
        final var order = only(cancel, "ORDER");
        assertEquals("CANCELED", order.get("status"));
        assertEquals("AMEND", order.get("expireReason"));
        assertEquals("-5027", only(h.run("order mm1 BTCUSDT sell limit 1 100 id=c", "amend mm1 BTCUSDT c qty=1"),
            "REJECT").get("code"));
    }

    @Test
    void amendThatCrossesTrades() {
        h.run("order mm1 BTCUSDT sell limit 1 100 id=a", "order alice BTCUSDT buy limit 1 99 id=b");
        final var events = h.run("amend alice BTCUSDT b price=100");
        assertEquals(List.of("mm1@100.0x1.000"), fills(events));
        assertEquals(0, h.engine().openOrderCount());
    }

    @Test
    void selfTradePreventionModes() {
        h.run("order alice BTCUSDT sell limit 1 100 id=own", "order mm1 BTCUSDT sell limit 1 100 id=other");
        // default EXPIRE_MAKER: own resting order expires, matching continues with mm1
        final var maker = h.run("order alice BTCUSDT buy limit 1 100 id=t1");
        assertEquals("EXPIRED", ofType(maker, "ORDER").get(1).get("status"));
        assertEquals("SELF_TRADE", ofType(maker, "ORDER").get(1).get("expireReason"));
        assertEquals(List.of("mm1@100.0x1.000"), fills(maker));

        h.run("order alice BTCUSDT sell limit 1 100 id=own2");
        final var taker = h.run("order alice BTCUSDT buy limit 1 100 stp=EXPIRE_TAKER id=t2");
        assertEquals("EXPIRED", ofType(taker, "ORDER").get(1).get("status"));
        assertEquals("t2", ofType(taker, "ORDER").get(1).get("clientOrderId"));
        assertEquals(1, h.engine().openOrderCount(), "own2 still rests");

        final var both = h.run("order alice BTCUSDT buy limit 1 100 stp=EXPIRE_BOTH id=t3");
        assertEquals(List.of("own2", "t3"), ofType(both, "ORDER").stream().skip(1)
            .map(e -> e.get("clientOrderId")).toList());
        assertEquals(0, h.engine().openOrderCount());

        h.run("order alice BTCUSDT sell limit 1 100 id=own3");
        final var none = h.run("order alice BTCUSDT buy limit 1 100 stp=NONE id=t4");
        final var trade = only(none, "TRADE");
        assertEquals("alice", trade.get("buyer"));
        assertEquals("alice", trade.get("seller"));
    }

    @Test
    void feesRoundInTheExchangesFavourAndAreConserved() {
        h.run("market BTCUSDT makerFee=-0.0001 takerFee=0.0004");
        h.run("order mm1 BTCUSDT sell limit 0.003 100.1 id=a");
        final var trade = only(h.run("order alice BTCUSDT buy limit 0.003 100.1"), "TRADE");
        // notional 0.3003: taker 0.00012012, maker rebate 0.00003003
        assertEquals("0.00012012", trade.get("buyerCommission"));
        assertEquals("-0.00003003", trade.get("sellerCommission"));
        h.run("order mm1 BTCUSDT sell limit 0.001 100.1 id=b");
        final var small = only(h.run("order alice BTCUSDT buy limit 0.001 100.1"), "TRADE");
        // notional 0.1001: taker fee 0.00004004 exactly; rebate 0.00001001 exactly
        assertEquals("0.00004004", small.get("buyerCommission"));

        final Market m = h.engine().market("BTCUSDT");
        final long wallets = sumWallets();
        assertEquals(2_200_000 * 100_000_000L, wallets + m.feesCollectedE8(),
            "deposits = wallets + fees collected");
    }

    @Test
    void feeRoundingGoesUpForFeesAndTowardZeroForRebates() {
        h.run("market BTCUSDT makerFee=-0.00015 takerFee=0.00035");
        h.run("order mm1 BTCUSDT sell limit 0.001 100.1 id=a");
        final var trade = only(h.run("order alice BTCUSDT buy limit 0.001 100.1"), "TRADE");
        // notional 0.1001: taker 0.000035035 -> 0.00003504 (up); rebate 0.000015015 -> 0.00001501 (toward zero)
        assertEquals("0.00003504", trade.get("buyerCommission"));
        assertEquals("-0.00001501", trade.get("sellerCommission"));
    }

    private long sumWallets() {
        long sum = 0;
        for (int i = 0; i < h.engine().accountCount(); i++) {
            sum += h.engine().account(i).walletE8();
        }
        return sum;
    }

    @Test
    void sameScriptGivesSameEventsAndHash() {
        final String[] script = {
            "order mm1 BTCUSDT sell limit 1 100 id=a", "order mm2 BTCUSDT sell limit 2 100.5 id=b",
            "order alice BTCUSDT buy market 2", "amend mm2 BTCUSDT b price=101", "order bob BTCUSDT buy limit 1 99",
            "cancel-all mm1 BTCUSDT"};
        final EngineHarness other = new EngineHarness();
        other.run("time 2025-10-10T20:00:00Z",
            "market BTCUSDT tick=0.1 step=0.001 makerFee=0.0002 takerFee=0.0005",
            "deposit mm1 1000000", "deposit mm2 1000000", "deposit alice 100000", "deposit bob 100000");
        assertEquals(h.run(script), other.run(script));
        assertEquals(h.engine().stateHash(), other.engine().stateHash());
        assertTrue(h.engine().stateHash() != new EngineHarness().engine().stateHash());
    }
}
