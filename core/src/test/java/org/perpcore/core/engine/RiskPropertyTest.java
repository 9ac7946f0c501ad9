package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.perpcore.core.book.BookSide;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventType;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;

/**
 * Invariants of the risk engine checked after every command of long random runs: money is conserved exactly, open
 * interest balances, a rejected command changes nothing, the book never crosses, open-order margin bookkeeping
 * matches the book, and the trigger index agrees with a brute-force scan of every account.
 *
 * <p>Runs 30,000 commands per seed by default; {@code -Dperpcore.risk.commands=N} runs N.
 */
class RiskPropertyTest {
    private static final int COMMANDS = Integer.getInteger("perpcore.risk.commands", 30_000);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 20251010, 77})
    void invariantsHoldAfterEveryCommand(long seed) throws ScenarioException {
        final Engine engine = new Engine();
        final ScenarioParser parser = new ScenarioParser();
        final Command command = new Command();
        final Population population = new Population(seed);
        int margins = 0;
        int rejects = 0;
        long seq = 0;
        for (String line : population.setup()) {
            if (parser.parse(line, 0, command)) {
                command.seq = ++seq;
                engine.apply(command);
            }
        }
        for (int i = 0; i < COMMANDS; i++) {
            final String line = population.next(engine);
            if (!parser.parse(line, i, command)) {
                continue;
            }
            command.seq = ++seq;
            final long before = engine.stateHash();
            engine.apply(command);
            final boolean rejected = hasEvent(command, EventType.REJECT);
            if (rejected) {
                rejects++;
                if (engine.stateHash() != before) {
                    fail("seed " + seed + " #" + i + " '" + line + "': rejected but the state changed");
                }
            }
            if (hasEvent(command, EventType.MARGIN_CALL)) {
                margins++;
            }
            try {
                checkInvariants(engine);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + " after #" + i + " '" + line + "': " + e.getMessage(), e);
            }
        }
        assertTrue(margins > 10, "the run reached margin calls: " + margins);
        assertTrue(rejects > 10, "the run reached rejects: " + rejects);
    }

    private static boolean hasEvent(Command c, EventType type) {
        final var buffer = c.events().buffer();
        for (int p = 0; p < c.events().length(); p += buffer.getInt(p)) {
            if (buffer.getByte(p + 4) == type.code()) {
                return true;
            }
        }
        return false;
    }

    static void checkInvariants(Engine engine) {
        final RiskEngine risk = engine.risk();
        long money = 0;
        for (int i = 0; i < engine.accountCount(); i++) {
            final Account a = engine.account(i);
            money += a.walletE8;
            boolean crossSeen = false;
            for (int k = 0; k < a.positionCapacity(); k++) {
                final Position p = a.positions()[k];
                if (p == null) {
                    continue;
                }
                money += p.isolatedMarginE8 - Long.signum(p.sizeLots) * p.costE8;
                if (p.sizeLots != 0 && !p.isolated) {
                    crossSeen = true;
                }
                // isolated positions: flagged exactly when at or below maintenance margin
                if (p.isolated) {
                    assertEquals(RiskEngine.isolatedBelowMaintenance(p), p.marginCalled,
                        () -> "isolated " + a.nameString() + "/" + p.market.symbolString());
                }
                // a position that is neither flat, flagged nor unliquidatable is watched by a trigger
                final boolean flagged = p.isolated ? p.marginCalled : a.marginCalled;
                if (p.sizeLots != 0 && !flagged && p.liquidationPriceE8 != 0
                    && p.liquidationPriceE8 != Long.MAX_VALUE) {
                    assertTrue(p.heap != null, () -> "unwatched position " + a.nameString());
                }
            }
            // cross: flagged exactly when at or below maintenance margin (brute force over the account)
            final boolean below = risk.crossBelowMaintenance(a);
            assertEquals(below, a.marginCalled, () -> "cross " + a.nameString() + " below=" + below);
            if (!crossSeen) {
                assertTrue(!a.marginCalled);
            }
        }
        for (int i = 0; i < engine.marketCount(); i++) {
            final Market m = engine.market(i);
            money += m.feesCollectedE8 + m.fundingResidueE8;
            long longs = 0;
            long shorts = 0;
            for (int k = 0; k < engine.accountCount(); k++) {
                final Position p = engine.account(k).position(m.id());
                if (p != null) {
                    longs += Math.max(0, p.sizeLots);
                    shorts += Math.max(0, -p.sizeLots);
                }
            }
            assertEquals(longs, shorts, "open interest of " + m.symbolString());
            assertEquals(longs, m.openLongLots);
            assertEquals(shorts, m.openShortLots);
            final BookSide bids = m.book().bids();
            final BookSide asks = m.book().asks();
            if (!bids.isEmpty() && !asks.isEmpty()) {
                assertTrue(m.book().levels().price(bids.best()) < m.book().levels().price(asks.best()),
                    "crossed book " + m.symbolString());
            }
        }
        assertEquals(engine.totalDepositsE8(), money, "money conserved");
    }

    /** A seeded population: market makers around a random-walk index, leveraged traders in both margin modes. */
    private static final class Population {
        private final SplittableRandom random;
        private final List<String> traders = new ArrayList<>();
        private final String[] symbols = {"BTCUSDT", "ETHUSDT"};
        private final double[] index = {100_000, 3_000};
        private long clientId;

        Population(long seed) {
            random = new SplittableRandom(seed);
        }

        List<String> setup() {
            final List<String> lines = new ArrayList<>();
            lines.add("time 2025-10-10T14:00:00Z");
            lines.add("market BTCUSDT tick=0.1 step=0.001 priceBand=0.2 marketBand=0.2");
            lines.add("bracket BTCUSDT 0 0.004 125");
            lines.add("bracket BTCUSDT 50000 0.005 100");
            lines.add("bracket BTCUSDT 250000 0.01 50");
            lines.add("bracket BTCUSDT 1000000 0.025 20");
            lines.add("market ETHUSDT tick=0.01 step=0.01 priceBand=0.2 marketBand=0.2 makerFee=-0.0001");
            lines.add("bracket ETHUSDT 0 0.005 100");
            lines.add("bracket ETHUSDT 10000 0.0065 75");
            lines.add("bracket ETHUSDT 100000 0.01 50");
            for (int m = 0; m < 3; m++) {
                lines.add("deposit mm" + m + " 50000000");
            }
            for (int t = 0; t < 40; t++) {
                final String name = "t" + t;
                traders.add(name);
                lines.add("deposit " + name + " " + (200 + random.nextInt(50_000)));
                for (String s : symbols) {
                    if (random.nextInt(10) < 3) {
                        lines.add("margin " + name + " " + s + " isolated");
                    }
                    lines.add("leverage " + name + " " + s + " " + (1 + random.nextInt(100)));
                }
            }
            lines.add("index BTCUSDT 100000");
            lines.add("index ETHUSDT 3000");
            return lines;
        }

        String next(Engine engine) {
            final int s = random.nextInt(2);
            final String symbol = symbols[s];
            final int kind = random.nextInt(100);
            if (kind < 12) {
                index[s] *= 1 + (random.nextInt(100) < 5 ? 0.03 : 0.004) * (random.nextDouble() * 2 - 1);
                return "index " + symbol + " " + price(s, index[s]);
            }
            if (kind < 40) {
                // market maker quotes around the index
                final String mm = "mm" + random.nextInt(3);
                final boolean buy = random.nextBoolean();
                final double offset = (1 + random.nextInt(30)) * 0.0005;
                return "order " + mm + " " + symbol + " " + (buy ? "buy" : "sell") + " limit " + qty(s, 5)
                    + " " + price(s, index[s] * (buy ? 1 - offset : 1 + offset)) + " id=q" + (clientId++);
            }
            if (kind < 47) {
                return "cancel-all mm" + random.nextInt(3) + " " + symbol;
            }
            final String trader = traders.get(random.nextInt(traders.size()));
            if (kind < 70) {
                return "order " + trader + " " + symbol + " " + (random.nextInt(10) < 6 ? "buy" : "sell")
                    + " market " + qty(s, 2) + (random.nextInt(5) == 0 ? " reduceOnly" : "");
            }
            if (kind < 80) {
                final boolean buy = random.nextBoolean();
                return "order " + trader + " " + symbol + " " + (buy ? "buy" : "sell") + " limit " + qty(s, 2) + " "
                    + price(s, index[s] * (buy ? 0.995 : 1.005)) + " id=r" + (clientId++)
                    + (random.nextInt(5) == 0 ? " reduceOnly" : "");
            }
            if (kind < 84) {
                return "cancel-all " + trader + " " + symbol;
            }
            if (kind < 88) {
                return "isolated-margin " + trader + " " + symbol + " " + (random.nextBoolean() ? "" : "-")
                    + (1 + random.nextInt(200));
            }
            if (kind < 91) {
                return "withdraw " + trader + " " + (1 + random.nextInt(500));
            }
            if (kind < 93) {
                return "deposit " + trader + " " + (1 + random.nextInt(500));
            }
            if (kind < 95) {
                return "leverage " + trader + " " + symbol + " " + (1 + random.nextInt(125));
            }
            if (kind < 97) {
                return "advance " + (1 + random.nextInt(7200)) + "s";
            }
            if (kind < 98) {
                return "mark " + symbol + " " + price(s, index[s] * (1 + 0.01 * (random.nextDouble() * 2 - 1)));
            }
            return "margin " + trader + " " + symbol + " " + (random.nextBoolean() ? "isolated" : "cross");
        }

        private String price(int s, double p) {
            return s == 0 ? String.format("%.1f", p) : String.format("%.2f", p);
        }

        private String qty(int s, int max) {
            return s == 0 ? String.format("%.3f", (1 + random.nextInt(max * 1000)) / 1000.0)
                : String.format("%.2f", (1 + random.nextInt(max * 100)) / 10.0);
        }
    }
}
