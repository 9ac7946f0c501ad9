package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioRunner;

/**
 * Engine bugs found while writing the golden scenarios, each as the smallest script that shows it and the
 * behaviour the engine should have. Disabled until the engine is fixed; the golden files leave these cases out.
 */
class EngineBugReproductionTest {

    @Test
    @Disabled("engine bug: Market.lastPriceTicks stays in the old tick's units when a market's tick changes, so the"
        + " price band and the market band use a reference 10x off (here 1000 instead of 100): a sell at the last"
        + " trade price is rejected with -4024")
    void tickChangeKeepsTheBandReference() throws ScenarioException {
        final String out = ScenarioRunner.run("""
            time 2025-10-10T14:00:00Z
            market BTCUSDT tick=0.1 step=0.001 makerFee=0 takerFee=0
            deposit a 100000
            deposit b 100000
            order a BTCUSDT sell limit 1 100.0
            order b BTCUSDT buy limit 1 100.0
            market BTCUSDT tick=1
            order a BTCUSDT sell limit 1 100
            """);

        assertFalse(out.contains("\"type\":\"REJECT\""),
            () -> "a sell at the last trade price (100) is inside the 5 % band after the tick change:\n" + out);
    }

    @Test
    @Disabled("engine bug: Matcher.fill credits a maker rebate to the wallet (and adds fees to feesCollected) without"
        + " an overflow check, although deposits are checked: a wallet near the top of the money range wraps to a"
        + " large negative balance")
    void makerRebateCannotWrapTheWallet() throws ScenarioException {
        final String out = ScenarioRunner.run("""
            time 2025-10-10T14:00:00Z
            market XUSDT tick=1 step=1 makerFee=-0.0001 takerFee=0.0001
            deposit whale 92233720368
            deposit t 1000
            order whale XUSDT sell limit 1000 1000
            order t XUSDT buy limit 1000 1000
            query account whale
            """);

        assertFalse(out.contains("\"account\":\"whale\",\"reason\":\"QUERY\",\"walletBalance\":\"-"),
            () -> "the whale's wallet must not wrap below zero (reject the order or the credit instead):\n" + out);
    }
}
