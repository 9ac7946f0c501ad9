package org.perpcore.core.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.model.MarketParam;
import org.perpcore.core.model.TimeInForce;

class ScenarioParserTest {
    @Test
    void commandsCarryTheScriptClock() throws Exception {
        final ScenarioParser p = new ScenarioParser();
        final Command c = new Command();
        assertFalse(p.parse("time 2025-10-10T14:00:00Z  # the first leg", 1, c));
        assertFalse(p.parse("   ", 2, c));
        assertFalse(p.parse("# only a comment", 3, c));
        assertTrue(p.parse("order alice BTCUSDT buy limit 0.5 121000 tif=FOK reduceOnly id=c1", 4, c));
        assertEquals(1_760_104_800_000L, c.timestampMs);
        assertEquals(TimeInForce.FOK, c.timeInForce);
        assertTrue(c.reduceOnly);
        assertEquals("c1", c.clientId.toString());
        assertTrue(p.parse("advance 8h", 5, c));
        assertEquals(CommandType.TICK, c.type);
        assertEquals(1_760_104_800_000L + 8 * 3_600_000L, c.timestampMs);
        assertTrue(p.parse("market BTCUSDT tick=0.1 step=0.001 fundingInterval=4h maxLeverage=20", 6, c));
        assertEquals(4 * 3_600_000L, c.param(MarketParam.FUNDING_INTERVAL));
        assertEquals(20, c.param(MarketParam.MAX_LEVERAGE));
        assertEquals(10_000_000L, c.param(MarketParam.TICK));
    }

    @Test
    void conditionalOrdersCarryTheirFields() throws Exception {
        final ScenarioParser p = new ScenarioParser();
        final Command c = new Command();
        assertTrue(p.parse("order a BTCUSDT sell stop 0.5 99 stopPrice=100 tif=IOC workingType=MARK_PRICE priceProtect"
            + " reduceOnly id=s", 1, c));
        assertEquals(org.perpcore.core.model.OrderType.STOP, c.orderType);
        assertEquals(50_000_000L, c.qtyE8);
        assertEquals(99 * 100_000_000L, c.priceE8);
        assertEquals(100 * 100_000_000L, c.stopPriceE8);
        assertEquals(TimeInForce.IOC, c.timeInForce);
        assertEquals(org.perpcore.core.model.WorkingType.MARK_PRICE, c.workingType);
        assertTrue(c.priceProtect && c.reduceOnly && !c.closePosition);
        assertTrue(p.parse("order a BTCUSDT buy take_profit_market stopPrice=90 closePosition", 2, c));
        assertEquals(org.perpcore.core.model.OrderType.TAKE_PROFIT_MARKET, c.orderType);
        assertEquals(Command.ABSENT, c.qtyE8);
        assertTrue(c.closePosition);
        assertEquals(null, c.workingType);
        assertTrue(p.parse("order a BTCUSDT buy trailing_stop_market 1 callbackRate=0.25 activationPrice=95", 3, c));
        assertEquals(org.perpcore.core.model.OrderType.TRAILING_STOP_MARKET, c.orderType);
        assertEquals(25_000_000L, c.callbackRateE8);
        assertEquals(95 * 100_000_000L, c.activationPriceE8);
        assertEquals(Command.ABSENT, c.stopPriceE8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "frobnicate alice                                | unknown command 'frobnicate'",
        "deposit alice                                   | expected: deposit ACCOUNT AMOUNT",
        "deposit alice 1e5                               | amount: '1e5' is not a plain decimal number",
        "deposit alice 1,000                             | amount: '1,000' is not a plain decimal number",
        "order alice BTCUSDT hold limit 1 100            | side must be buy or sell",
        "order alice BTCUSDT buy limit 1                 | expected: order ACCOUNT SYMBOL SIDE limit QTY PRICE",
        "order alice BTCUSDT buy limit 1 100 tif=DAY     | tif 'DAY' is not one of GTC, IOC, FOK, GTX",
        "order alice BTCUSDT buy limit 1 100 colour=red  | unknown option 'colour=red'",
        "order alice BTCUSDT buy market 1 tif=IOC        | tif= applies to limit orders only",
        "order al\"ice BTCUSDT buy market 1              | account 'al\"ice' has a character outside",
        "time yesterday                                  | 'yesterday' is not an ISO-8601 UTC timestamp",
        "advance 5 minutes                               | expected: advance DURATION",
        "advance 5min                                    | '5min' is not a duration",
        "market BTCUSDT tick=                            | option 'tick' has no value",
        "cancel alice BTCUSDT                            | name the order by client id or orderId=",
        "amend alice BTCUSDT x                           | amend needs qty= or price=",
        "query orders alice BTCUSDT                      | unknown query 'orders'",
        "order alice BTCUSDT sell stop 1 stopPrice=100   | expected: order ACCOUNT SYMBOL SIDE stop QTY PRICE stopPrice=P",
        "order alice BTCUSDT sell stop_market 1 2 stopPrice=9 | expected: order ACCOUNT SYMBOL SIDE stop_market [QTY]",
        "order a BTCUSDT sell stop_market 1 stopPrice=9 workingType=INDEX | workingType 'INDEX' is not one of CONTRACT_PRICE, MARK_PRICE",
        "order a BTCUSDT sell stop_market 1 stopPrice=9 tif=GTC | tif= applies to limit orders only",
        "order a BTCUSDT sell stop_market 1 stopPrice=abc | stopPrice: 'abc' is not a plain decimal number",
        "order a BTCUSDT sell limit 1 100 stopPrice=90   | unknown option 'stopPrice=90'",
        "order a BTCUSDT sell trailing 1 callbackRate=1  | order type 'trailing' is not supported",
    })
    void badLinesSayWhichLineAndWhy(String line, String why) {
        final ScenarioException e = assertThrows(ScenarioException.class,
            () -> new ScenarioParser().parse(line, 7, new Command()));
        assertTrue(e.getMessage().startsWith("line 7: "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void timeOnlyMovesForward() throws Exception {
        final ScenarioParser p = new ScenarioParser();
        p.parse("time 2025-10-10T14:00:00Z", 1, new Command());
        final ScenarioException e = assertThrows(ScenarioException.class,
            () -> p.parse("time 2025-10-10T13:59:59Z", 2, new Command()));
        assertTrue(e.getMessage().startsWith("line 2: time may only move forward"), e.getMessage());
        assertEquals(1_760_104_800_000L, p.clockMs());
    }

    @Test
    void aScriptWithABadLineRunsNothing() {
        final ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioRunner.run(
            "market BTCUSDT tick=0.1 step=0.001\ndeposit alice 10\norder alice BTCUSDT buy sideways 1\n"));
        assertEquals(3, e.line());
    }
}
