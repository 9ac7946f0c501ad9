package org.perpcore.core.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.scenario.EventJson;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;

/**
 * Drives an engine with scenario lines, one command at a time, and hands back its events as flat maps (field
 * name to the JSON value as text), so tests read like the scenarios they run.
 */
public final class EngineHarness {
    private final Engine engine;
    private final ScenarioParser parser = new ScenarioParser();
    private final EventJson json = new EventJson();
    private final Command command = new Command();
    private long seq;

    public EngineHarness() {
        this(new Engine());
    }

    public EngineHarness(Engine engine) {
        this.engine = engine;
    }

    public Engine engine() {
        return engine;
    }

    /** Runs the lines; returns the events of all of them. */
    public List<Map<String, String>> run(String... lines) {
        final List<Map<String, String>> events = new ArrayList<>();
        final StringBuilder out = new StringBuilder();
        for (String line : lines) {
            try {
                if (!parser.parse(line, (int) seq + 1, command)) {
                    continue;
                }
            } catch (ScenarioException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            command.seq = ++seq;
            engine.apply(command);
            out.setLength(0);
            json.render(command.seq, command.timestampMs, command.events(), out);
            out.toString().lines().forEach(l -> events.add(parse(l)));
        }
        return events;
    }

    /**
     * Applies a command built by the test (for inputs the scenario syntax has no words for), sequenced after the
     * lines run so far; returns its events.
     */
    public List<Map<String, String>> apply(Command c) {
        c.seq = ++seq;
        engine.apply(c);
        final StringBuilder out = new StringBuilder();
        json.render(c.seq, c.timestampMs, c.events(), out);
        final List<Map<String, String>> events = new ArrayList<>();
        out.toString().lines().forEach(l -> events.add(parse(l)));
        return events;
    }

    /** The events of the given type, in order. */
    public static List<Map<String, String>> ofType(List<Map<String, String>> events, String type) {
        return events.stream().filter(e -> type.equals(e.get("type"))).toList();
    }

    /** The single event of the given type; fails when there is not exactly one. */
    public static Map<String, String> only(List<Map<String, String>> events, String type) {
        final List<Map<String, String>> found = ofType(events, type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " event, got " + found.size() + ": " + events);
        }
        return found.get(0);
    }

    /** Parses one flat JSON object of strings, numbers and booleans (the event format). */
    public static Map<String, String> parse(String line) {
        final Map<String, String> map = new LinkedHashMap<>();
        int i = line.indexOf('{') + 1;
        while (i < line.length()) {
            final int keyStart = line.indexOf('"', i);
            if (keyStart < 0) {
                break;
            }
            final int keyEnd = line.indexOf('"', keyStart + 1);
            final String key = line.substring(keyStart + 1, keyEnd);
            int v = line.indexOf(':', keyEnd) + 1;
            final String value;
            if (line.charAt(v) == '"') {
                final StringBuilder sb = new StringBuilder();
                int k = v + 1;
                while (line.charAt(k) != '"') {
                    if (line.charAt(k) == '\\') {
                        k++;
                    }
                    sb.append(line.charAt(k++));
                }
                value = sb.toString();
                i = k + 1;
            } else {
                int k = v;
                while (k < line.length() && line.charAt(k) != ',' && line.charAt(k) != '}') {
                    k++;
                }
                value = line.substring(v, k);
                i = k;
            }
            map.put(key, value);
        }
        return map;
    }
}
