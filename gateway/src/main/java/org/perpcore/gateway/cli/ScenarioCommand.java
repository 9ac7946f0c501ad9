package org.perpcore.gateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.perpcore.core.command.Command;
import org.perpcore.core.engine.Engine;
import org.perpcore.core.pipeline.CommandStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.core.scenario.ScenarioException;
import org.perpcore.core.scenario.ScenarioParser;
import org.perpcore.core.scenario.ScenarioRunner;
import org.perpcore.journal.JournalException;
import org.perpcore.journal.JournalOptions;
import org.perpcore.journal.JournaledEngine;

/**
 * {@code perpcore scenario FILE [--journal DIR [--on-corrupt stop|truncate] [--durability mapped|sync]
 * [--snapshot-every N]] [--wait-strategy NAME] [--layout fused|split]}: runs a scenario script through the same
 * pipeline the server uses and prints every event as a JSON line. With a journal directory that already holds a
 * journal, its state is restored first and the script's commands continue it.
 */
final class ScenarioCommand {
    private ScenarioCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err) {
        final String file = args.positional(0);
        if (file == null) {
            err.println("usage: perpcore scenario FILE [--journal DIR] [--wait-strategy NAME] [--layout fused|split]");
            return 2;
        }
        final List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            err.println("perpcore: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        final String markets = args.option("markets");
        if (markets == null) {
            return runLines(lines, args, out, err);
        }
        final List<String> config;
        try {
            config = Files.readAllLines(Path.of(markets));
        } catch (IOException | RuntimeException e) {
            err.println("perpcore: cannot read " + markets + ": " + e.getMessage());
            return 2;
        }
        final String bad = MarketConfig.check(config);
        if (bad != null) {
            err.println(markets + ": " + bad);
            return 2;
        }
        final List<String> all = new java.util.ArrayList<>(config);
        all.addAll(lines);
        return runLines(all, args, out, err, config.size());
    }


    /** Checks the whole script, then runs it; nothing runs (and nothing is journaled) if a line is bad. */
    static int runLines(List<String> lines, Args args, PrintStream out, PrintStream err) {
        return runLines(lines, args, out, err, 0);
    }

    /** As above, where the first {@code prefixLines} lines come from a market configuration file. */
    static int runLines(List<String> lines, Args args, PrintStream out, PrintStream err, int prefixLines) {
        try {
            ScenarioRunner.check(lines);
        } catch (ScenarioException e) {
            err.println("line " + (e.line() - prefixLines) + e.getMessage().substring(e.getMessage().indexOf(':')));
            return 2;
        }
        final PipelineConfig config;
        try {
            config = Args.pipelineConfig(args);
        } catch (IllegalArgumentException e) {
            err.println("perpcore: " + e.getMessage());
            return 2;
        }
        final String journalDir = args.option("journal");
        final JournalOptions journalOptions;
        final long snapshotEvery;
        try {
            journalOptions = JournalArgs.options(args);
            snapshotEvery = Args.snapshotEvery(args, 0);
        } catch (IllegalArgumentException e) {
            err.println("perpcore: " + e.getMessage());
            return 2;
        }
        final JsonLinesOutput json = new JsonLinesOutput(out);
        JournaledEngine journal = null;
        final Pipeline pipeline;
        if (journalDir == null) {
            pipeline = new Pipeline(new Engine(), config, CommandStage.NONE, json);
        } else {
            try {
                journal = JournaledEngine.open(Path.of(journalDir), journalOptions, err::println);
            } catch (JournalException e) {
                err.println("perpcore: journal " + journalDir + ": " + e.getMessage());
                return 1;
            }
            JournalCommand.report(journal, err);
            try {
                pipeline = journal.startPipeline(config, json);
            } catch (RuntimeException e) {
                journal.close();
                throw e;
            }
        }
        final ScenarioParser parser = new ScenarioParser();
        final Command command = new Command();
        long published = 0;
        try {
            for (int i = 0; i < lines.size(); i++) {
                if (parser.parse(lines.get(i), i + 1, command)) {
                    pipeline.publish(command);
                    if (journal != null && snapshotEvery > 0 && ++published % snapshotEvery == 0) {
                        pipeline.publish(JournaledEngine.snapshotCommand(command, parser.clockMs()));
                    }
                }
            }
        } catch (ScenarioException e) {
            err.println(e.getMessage()); // unreachable: checked above
            return 2;
        } finally {
            pipeline.close();
            if (journal != null) {
                journal.close();
            }
        }
        if (pipeline.failure() != null) {
            err.println("perpcore: the engine stopped on an internal error: " + pipeline.failure());
            return 1;
        }
        return 0;
    }
}
