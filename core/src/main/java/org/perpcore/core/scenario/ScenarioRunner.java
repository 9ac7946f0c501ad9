package org.perpcore.core.scenario;

import java.util.List;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;

/**
 * Runs a scenario script straight on an engine, without the pipeline: for tests and golden files. The whole
 * script is parsed before anything runs, so a bad line changes nothing.
 */
public final class ScenarioRunner {
    private ScenarioRunner() {
    }

    /** Checks every line; throws on the first that cannot be parsed. */
    public static void check(List<String> lines) throws ScenarioException {
        final ScenarioParser parser = new ScenarioParser();
        final Command scratch = new Command();
        for (int i = 0; i < lines.size(); i++) {
            parser.parse(lines.get(i), i + 1, scratch);
        }
    }

    /** Runs the script on {@code engine}; returns the JSON lines of its events. Sequence numbers start at 1. */
    public static String run(List<String> lines, Engine engine) throws ScenarioException {
        check(lines);
        final ScenarioParser parser = new ScenarioParser();
        final EventJson json = new EventJson();
        final Command command = new Command();
        final StringBuilder out = new StringBuilder();
        long seq = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (parser.parse(lines.get(i), i + 1, command)) {
                command.seq = ++seq;
                engine.apply(command);
                json.render(command.seq, command.timestampMs, command.events(), out);
            }
        }
        return out.toString();
    }

    /** Runs the script on a fresh engine. */
    public static String run(String script) throws ScenarioException {
        return run(script.lines().toList(), new Engine());
    }
}
