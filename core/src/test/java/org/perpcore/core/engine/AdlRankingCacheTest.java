package org.perpcore.core.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.perpcore.core.command.Command;
import org.perpcore.core.event.EventType;
import org.perpcore.core.liquidation.Liquidator;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;

/**
 * The ADL rankings the liquidation stage keeps for a pass (PassRanking) hand out exactly what a full ranking
 * computed afresh at each auto-deleverage would: checked at every ADL of the liquidation property test's
 * random streams (thin books, crashes, small funds, many ADLs in one command).
 */
class AdlRankingCacheTest {
    @BeforeEach
    void verify() {
        Liquidator.verifyRankingCache(true);
    }

    @AfterEach
    void stopVerifying() {
        Liquidator.verifyRankingCache(false);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 1010, 424242})
    void cachedRankingsEqualFullRankings(long seed) throws ScenarioException {
        final Engine engine = new Engine();
        final ScenarioParser parser = new ScenarioParser();
        final Command command = new Command();
        final LiquidationPropertyTest.Population population = new LiquidationPropertyTest.Population(seed);
        long seq = 0;
        for (String line : population.setup()) {
            if (parser.parse(line, 0, command)) {
                command.seq = ++seq;
                engine.apply(command);
            }
        }
        int adl = 0;
        int commandsWithSeveral = 0;
        for (int i = 0; i < 30_000; i++) {
            if (!parser.parse(population.next(engine), i, command)) {
                continue;
            }
            command.seq = ++seq;
            engine.apply(command); // throws on any difference between the cached and the full ranking
            final int n = count(command, EventType.ADL);
            adl += n;
            commandsWithSeveral += n > 1 ? 1 : 0;
        }
        assertTrue(adl > 20, "auto-deleverage happened: " + adl);
        assertTrue(commandsWithSeveral > 3, "several ADL fills in one command (the cache reused): "
            + commandsWithSeveral);
    }

    /** The events of {@code type} that command {@code c} produced. */
    static int count(Command c, EventType type) {
        final DirectBuffer buffer = c.events().buffer();
        int n = 0;
        int offset = 0;
        for (int i = 0; i < c.events().count(); i++) {
            if (buffer.getByte(offset + 4) == type.code()) {
                n++;
            }
            offset += buffer.getInt(offset);
        }
        return n;
    }
}
