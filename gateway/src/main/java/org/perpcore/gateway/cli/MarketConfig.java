package org.perpcore.gateway.cli;

import java.util.List;
import org.perpcore.core.command.Command;
import org.perpcore.core.model.CommandType;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;

/** Market configuration files: scenario lines limited to {@code market} and {@code bracket}. */
final class MarketConfig {
    private MarketConfig() {
    }

    /** Null when every line is a valid market or bracket line (or blank/comment); else {@code line N: why}. */
    static String check(List<String> lines) {
        final ScenarioParser parser = new ScenarioParser();
        final Command c = new Command();
        for (int i = 0; i < lines.size(); i++) {
            try {
                if (parser.parse(lines.get(i), i + 1, c) && c.type != CommandType.MARKET
                    && c.type != CommandType.BRACKET) {
                    return "line " + (i + 1) + ": only market and bracket lines belong in a market configuration";
                }
            } catch (ScenarioException e) {
                return e.getMessage();
            }
        }
        return null;
    }
}
