package org.perpcore.gateway.cli;

import java.io.PrintStream;
import org.perpcore.core.command.Command;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.scenario.EventJson;

/** Output stage printing every event as one JSON line ({@code docs/SCENARIO.md}); flushes at the end of a batch. */
final class JsonLinesOutput implements OutputStage {
    private final PrintStream out;
    private final EventJson json = new EventJson();
    private final StringBuilder line = new StringBuilder(4096);
    private long events;

    JsonLinesOutput(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEvents(Command command, boolean endOfBatch) {
        line.setLength(0);
        json.render(command.seq, command.timestampMs, command.events(), line);
        out.append(line);
        events += command.events().count();
        if (endOfBatch) {
            out.flush();
        }
    }

    @Override
    public void onShutdown() {
        out.flush();
    }

    long events() {
        return events;
    }
}
