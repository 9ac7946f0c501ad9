package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.perpcore.core.testkit.EngineHarness.ofType;
import static org.perpcore.core.testkit.EngineHarness.only;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.OrderType;
import org.perpcore.core.model.Side;
import org.perpcore.core.testkit.EngineHarness;

/** Every command either applies fully or is rejected with a stable code, changing nothing. */
class RejectTest {
    private EngineHarness h;

    @BeforeEach
    void setUp() {
        h = new EngineHarness();
        h.run("time 2025-10-10T20:00:00Z",
            "market BTCUSDT tick=0.1 step=0.001 minQty=0.002 maxQty=100 maxPrice=1000000 minNotional=5 maxOpenOrders=3",
            "deposit alice 1000", "deposit bob 1000",
            "order bob BTCUSDT sell limit 1 100 id=ask", "order alice BTCUSDT buy limit 1 100",
            "order alice BTCUSDT buy limit 1 90 id=bid1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "order alice BTCUSDT buy limit 1 90.05              | -4014 | PRICE_NOT_INCREASED_BY_TICK_SIZE",
        "order alice BTCUSDT buy limit 1.0005 90            | -4023 | QTY_NOT_INCREASED_BY_STEP_SIZE",
        "order alice BTCUSDT buy limit 0.001 90             | -4004 | QTY_LESS_THAN_MIN_QTY",
        "order alice BTCUSDT buy limit 101 90               | -4005 | QTY_GREATER_THAN_MAX_QTY",
        "order alice BTCUSDT sell limit 1 1000000.1         | -4002 | PRICE_GREATER_THAN_MAX_PRICE",
        "order alice BTCUSDT buy limit 0 90                 | -4003 | QTY_LESS_THAN_ZERO",
        "order alice BTCUSDT buy limit 1 -90                | -4001 | PRICE_LESS_THAN_ZERO",
        "order alice ETHUSDT buy limit 1 90                 | -1121 | BAD_SYMBOL",
        "order carol BTCUSDT buy limit 1 90                 | -1109 | BAD_ACCOUNT",
        "order alice BTCUSDT buy limit 0.02 90              | -4164 | MIN_NOTIONAL",
        "order alice BTCUSDT buy limit 1 105.1              | -4016 | PRICE_HIGHER_THAN_MULTIPLIER_UP",
        "order alice BTCUSDT sell limit 1 94.9              | -4024 | PRICE_LOWER_THAN_MULTIPLIER_DOWN",
        "order alice BTCUSDT buy limit 1 90 id=bid1         | -4116 | DUPLICATED_CLIENT_ORDER_ID",
        "order alice BTCUSDT buy limit 1 90 id=0123456789012345678901234567890123456 | -4015 | INVALID_CL_ORD_ID_LEN",
        "cancel alice BTCUSDT nosuch                        | -2011 | CANCEL_REJECTED",
        "cancel alice BTCUSDT orderId=999                   | -2011 | CANCEL_REJECTED",
        "amend alice BTCUSDT nosuch qty=1                   | -2013 | NO_SUCH_ORDER",
        "amend alice BTCUSDT bid1 qty=1                     | -5027 | SAME_ORDER",
        "amend alice BTCUSDT bid1 price=90.01               | -4014 | PRICE_NOT_INCREASED_BY_TICK_SIZE",
        "withdraw alice 1000000                             | -2018 | BALANCE_NOT_SUFFICIENT",
        "withdraw alice 0                                   | -4055 | AMOUNT_MUST_BE_POSITIVE",
        "withdraw carol 1                                   | -1109 | BAD_ACCOUNT",
        "deposit alice -5                                   | -4055 | AMOUNT_MUST_BE_POSITIVE",
        "deposit alice 92233720368                          | -9001 | OVERFLOW",
        "market BTCUSDT tick=0.05                           | -9003 | MARKET_SPEC_LOCKED",
        "market BTCUSDT takerFee=0.2                        | -9002 | INVALID_MARKET_SPEC",
        "market ETHUSDT step=0.01                           | -9002 | INVALID_MARKET_SPEC",
        "market XRPUSDT tick=0.00000001 step=0.1            | -9002 | INVALID_MARKET_SPEC",
        "market BTCUSDT makerFee=-0.002 takerFee=0.001      | -9002 | INVALID_MARKET_SPEC",
        "query account carol                                | -1109 | BAD_ACCOUNT",
    })
    void rejectedCommandsChangeNothing(String line, int code, String reason) {
        final long before = h.engine().stateHash();
        final int orders = h.engine().openOrderCount();
        final List<Map<String, String>> events = h.run(line);
        final Map<String, String> reject = only(events, "REJECT");
        assertEquals(String.valueOf(code), reject.get("code"), line);
        assertEquals(reason, reject.get("reason"), line);
        assertEquals(before, h.engine().stateHash(), "state changed by a rejected " + line);
        assertEquals(orders, h.engine().openOrderCount());
        ofType(events, "ORDER").forEach(o -> assertEquals("REJECTED", o.get("status")));
    }

    @Test
    void maxOpenOrdersPerAccountAndMarket() {
        h.run("order alice BTCUSDT buy limit 1 80", "order alice BTCUSDT buy limit 1 81");
        final long before = h.engine().stateHash();
        assertEquals("-2025", only(h.run("order alice BTCUSDT buy limit 1 82"), "REJECT").get("code"));
        assertEquals(before, h.engine().stateHash());
        // an IOC never rests, so the limit does not apply to it
        assertEquals(0, ofType(h.run("order alice BTCUSDT buy limit 1 82 tif=IOC"), "REJECT").size());
    }

    @Test
    void overflowingNotionalIsRejected() {
        h.run("market BIG tick=1 step=1 maxQty=10000000 maxPrice=10000000", "deposit whale 1");
        final long before = h.engine().stateHash();
        // 10,000,000 x 10,000,000 = 1e14 USDT does not fit in E8 longs
        assertEquals("-9001", only(h.run("order whale BIG buy limit 10000000 10000000"), "REJECT").get("code"));
        assertEquals(before, h.engine().stateHash());
    }

    @Test
    void commandsWithMissingOrIllegalFieldsAreRejectedNotThrown() {
        final Engine engine = h.engine();
        final long before = engine.stateHash();
        final Command c = new Command();
        engine.apply(c.clear()); // no type at all
        engine.apply(c.clear().param(org.perpcore.core.model.MarketParam.TICK, 1)); // still no type
        c.clear();
        c.type = CommandType.PLACE_ORDER; // no side, no type, no names
        engine.apply(c);
        c.side = Side.BUY;
        engine.apply(c);
        c.orderType = OrderType.STOP_MARKET;
        c.account.set("alice");
        c.symbol.set("BTCUSDT");
        engine.apply(c);
        c.orderType = OrderType.LIMIT; // no quantity, no price
        engine.apply(c);
        c.type = CommandType.DEPOSIT;
        c.account.set("bad name\"");
        c.amountE8 = 100;
        engine.apply(c);
        assertEquals(1, c.events().count());
        c.type = CommandType.MARKET;
        c.symbol.set("");
        engine.apply(c);
        c.type = CommandType.CANCEL_ORDER;
        c.symbol.set("BTCUSDT");
        c.account.set("alice");
        engine.apply(c);
        assertEquals(before, engine.stateHash());
    }

    @Test
    void unitsAreLockedOnceTheMarketHasTraded() {
        // bug found by the differential test: the last price is kept in ticks, so a tick change after a trade
        // would have moved the band reference tenfold; now the change is refused
        final EngineHarness fresh = new EngineHarness();
        fresh.run("market BTCUSDT tick=0.1 step=0.001 makerFee=0 takerFee=0", "deposit a 100000", "deposit b 100000",
            "order a BTCUSDT sell limit 1 100.0", "order b BTCUSDT buy limit 1 100.0");
        assertEquals("-9003", only(fresh.run("market BTCUSDT tick=1"), "REJECT").get("code"));
        assertEquals(0, ofType(fresh.run("order a BTCUSDT sell limit 1 100.0"), "REJECT").size());
    }

    @Test
    void moneyInTheSystemIsCappedSoNoWalletCanWrap() {
        // bug found by the golden scenarios: a maker rebate credited to a wallet at the top of the long range
        // wrapped it; with total deposits capped at 2^61 E8 no wallet or total gets near the range
        final EngineHarness fresh = new EngineHarness();
        fresh.run("market XUSDT tick=1 step=1 makerFee=-0.0001 takerFee=0.0001");
        assertEquals("-9001", only(fresh.run("deposit whale 92233720368"), "REJECT").get("code"));
        fresh.run("deposit whale 23000000000", "deposit t 58430092");
        assertEquals("-9001", only(fresh.run("deposit t 1"), "REJECT").get("code"));
        fresh.run("order whale XUSDT sell limit 1000 1000", "order t XUSDT buy limit 1000 1000");
        final var account = only(fresh.run("query account whale"), "ACCOUNT");
        assertEquals("23000000100.00000000", account.get("walletBalance"));
    }

    @Test
    void anAmendCannotLetTheExecutedQuoteWrap() {
        // bug found by the differential test: the quote already executed at a high price plus the rest at the
        // new price could leave the long range
        final EngineHarness fresh = new EngineHarness();
        fresh.run("market X tick=1 step=1 makerFee=0 takerFee=0 priceBand=0", "deposit a 10000000000",
            "deposit b 10000000000", "leverage a X 125", "leverage b X 125",
            "order a X sell limit 90000 1024000 id=s", "order b X buy limit 45000 1024000 id=b1");
        assertEquals("-9001", only(fresh.run("amend a X s qty=90400 price=1020000"), "REJECT").get("code"));
    }
}
