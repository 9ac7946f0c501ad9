package org.perpcore.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.perpcore.gateway.binance.ApiKey;

/**
 * An unmodified ccxt (pinned in src/test/js/package-lock.json, installed by the gateway's build: {@code npm ci} through
 * src/test/js/ensure-installed.mjs in generate-test-resources) trades against the gateway on loopback through
 * binanceusdm, REST and WebSocket: it sees its own position liquidated (bot.mjs), and places, cancels and sees fire
 * its stop-losses and take-profits (stops.mjs). Each script prints a line per step; these tests assert on them.
 */
class CcxtBotTest {
    static final Path JS = Path.of("src/test/js");

    @Test
    void ccxtTradesAndIsLiquidated() throws Exception {
        final List<String> lines = runScript("bot.mjs");
        assertStep(lines, "loadMarkets", "\"BTC/USDT:USDT\"", "\"tick\":0.1", "\"step\":0.001");
        assertStep(lines, "setLeverage", "\"leverage\":50");
        assertStep(lines, "setMarginModeAgain", "MarginModeAlreadySet");
        assertStep(lines, "fetchBalance", "\"total\":1000");
        assertStep(lines, "fetchOrder", "\"status\":\"open\"", "\"price\":95000");
        assertStep(lines, "cancelOrder", "\"status\":\"canceled\"");
        assertStep(lines, "cancelAgain", "OrderNotFound");
        assertStep(lines, "tooBig", "\"code\":\"-2019\"");
        assertStep(lines, "marketBuy", "\"filled\":0.4", "\"average\":100100");
        assertStep(lines, "fetchPositions", "\"contracts\":0.4", "\"side\":\"long\"", "\"marginMode\":\"cross\"");
        assertStep(lines, "watchOrdersLiquidation", "\"clientOrderId\":\"autoclose-", "\"type\":\"liquidation\"",
            "\"side\":\"sell\"", "\"filled\":0.4");
        assertStep(lines, "watchLiquidations", "\"symbol\":\"BTC/USDT:USDT\"", "\"contracts\":0.4", "\"side\":\"SELL\"");
        assertStep(lines, "fetchPositionsAfter", "\"contracts\":0");
    }

    /**
     * ccxt's conditional orders ({@code stopLossPrice}, {@code takeProfitPrice}, {@code triggerPrice}, which ccxt
     * 4.5 sends to the algo API): placed, listed, fetched and cancelled; then a stop that fires on another trader's
     * sell and fills, seen by fetchOrder, fetchMyTrades, watchOrders and fetchPositions (src/test/js/stops.mjs).
     */
    @Test
    void ccxtPlacesCancelsAndFillsStops() throws Exception {
        final List<String> lines = runScript("stops.mjs");
        assertStep(lines, "long", "\"status\":\"closed\"", "\"filled\":0.1");
        assertStep(lines, "stopLoss", "\"status\":\"open\"", "\"exchangeType\":\"STOP_MARKET\"", "\"triggerPrice\":99000",
            "\"side\":\"sell\"");
        assertStep(lines, "takeProfit", "\"status\":\"open\"", "\"exchangeType\":\"TAKE_PROFIT_MARKET\"",
            "\"triggerPrice\":105000");
        assertStep(lines, "openTriggerOrders", "\"STOP_MARKET\"", "\"TAKE_PROFIT_MARKET\"");
        assertStep(lines, "fetchStopLoss", "\"status\":\"open\"", "\"triggerPrice\":99000", "\"reduceOnly\":true");
        assertStep(lines, "cancelStopLoss", "\"code\":\"200\"", "\"msg\":\"success\"");
        assertStep(lines, "cancelTakeProfit", "\"code\":\"200\"");
        assertStep(lines, "fetchStopLossAfterCancel", "\"status\":\"canceled\"");
        assertStep(lines, "openTriggerOrdersAfterCancel", "\"count\":0");
        assertStep(lines, "cancelAgain", "OrderNotFound");
        assertStep(lines, "triggerStop", "\"status\":\"open\"", "\"triggerPrice\":99900");
        assertStep(lines, "priceMoved", "\"stopFired\":true");
        assertStep(lines, "fetchFiredStop", "\"status\":\"closed\"", "\"algoStatus\":\"FINISHED\"");
        assertStep(lines, "fetchFilledOrder", "\"status\":\"closed\"", "\"type\":\"market\"", "\"filled\":0.1",
            "\"average\":99900", "\"origType\":\"STOP_MARKET\"");
        assertStep(lines, "fetchMyTrades", "\"count\":1", "\"side\":\"sell\"", "\"price\":99900", "\"amount\":0.1");
        assertStep(lines, "watchOrdersStopFill", "\"status\":\"closed\"", "\"filled\":0.1");
        assertStep(lines, "fetchPositionsAfter", "\"contracts\":0");
    }

    /**
     * Runs a ccxt script against a fresh gateway (BTCUSDT with a maker's two-sided book, ETHUSDT) on a wall clock
     * (ccxt signs with its own), asserts it ended with "BOT OK", and returns its output lines.
     */
    private static List<String> runScript(String script) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("perpcore.skipCcxt"), "-Dperpcore.skipCcxt=true");
        if (!Files.isDirectory(JS.resolve("node_modules/ccxt"))) {
            fail("ccxt is not installed: the build installs it (`node src/test/js/ensure-installed.mjs`, which runs npm"
                + " ci; needs Node.js and npm), or skip this test with -Dperpcore.skipCcxt=true");
        }
        try (TestGateway t = new TestGateway(ApiKey.RateLimits.BINANCE, 10)) {
            t.clock.set(System.currentTimeMillis()); // ccxt signs with its own clock
            final Thread clock = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    t.clock.set(System.currentTimeMillis());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "test-clock");
            clock.setDaemon(true);
            clock.start();
            t.setup(List.of(
                "market BTCUSDT tick=0.1 step=0.001 minQty=0.001 maxQty=1000 minNotional=5 makerFee=0.0002"
                    + " takerFee=0.0005 maxLeverage=125",
                "bracket BTCUSDT 0 0.004 125",
                "bracket BTCUSDT 50000 0.005 100",
                "market ETHUSDT tick=0.01 step=0.001",
                "index BTCUSDT 100000",
                "index ETHUSDT 4000",
                "insurance BTCUSDT 1000000",
                "deposit maker 10000000",
                "order maker BTCUSDT sell limit 1 100100 id=ask1",
                "order maker BTCUSDT buy limit 1 99900 id=bid1"));
            final ProcessBuilder pb = new ProcessBuilder("node", script, t.base(), t.adminBase(), TestGateway.TOKEN)
                .directory(JS.toFile()).redirectErrorStream(true);
            final Process p = pb.start();
            final List<String> lines = new ArrayList<>();
            final Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            });
            reader.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                synchronized (lines) {
                    fail(script + " did not finish within 120 s; output so far:\n" + String.join("\n", lines));
                }
            }
            reader.join(5000);
            clock.interrupt();
            final String out = String.join("\n", lines);
            assertEquals(0, p.exitValue(), out);
            assertTrue(lines.contains("BOT OK"), out);
            assertEquals(null, t.gateway.failure());
            return lines;
        }
    }

    private static void assertStep(List<String> lines, String step, String... parts) {
        for (String l : lines) {
            if (l.startsWith("STEP " + step + " ")) {
                for (String part : parts) {
                    assertTrue(l.contains(part), "step " + step + " lacks " + part + ": " + l);
                }
                return;
            }
        }
        fail("no step " + step + " in:\n" + String.join("\n", lines));
    }
}
