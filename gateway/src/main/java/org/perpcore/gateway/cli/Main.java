package org.perpcore.gateway.cli;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The {@code perpcore} command line. The launcher script {@code bin/perpcore} builds the jar and sets JVM flags. */
public final class Main {
    private static final String HELP = """
        perpcore: a deterministic perpetual-futures exchange risk core

        usage: bin/perpcore COMMAND [options]

        commands:
          demo                      the 2025-10-10 BTCUSDT cascade (100,000 traders) through the pipeline with
                                    journaling into a fresh directory, then its post-mortem report (HTML + JSON)
              [--prices FILE] [--accounts N] [--seed S] [--out DIR]   (default DIR: out)
              [--snapshot-every N]  a snapshot every N commands (default 250000) besides the map time's
          report JOURNAL            the post-mortem of a journal: report.html (self-contained) and summary.json
              [--out DIR] [--map-time T]   (default DIR: JOURNAL/report; the liquidation map's time T)
              [--from-start]        rebuild the map's state from the first command, not the latest snapshot
          why JOURNAL ACCOUNT       one account's timeline: orders, fills, margin ratio, the tick that crossed
                                    maintenance, its liquidation and ADL fills
          whatif JOURNAL --set market.SYMBOL.KEY=VALUE [--set ...] [--out DIR]   the same commands under other
                                    risk parameters (leverage cap, tiers, circuit breaker, fund, ADL policy);
                                    both runs' totals side by side, and with --out a report with the comparison
          example                   the built-in example scenario's events (JSON lines)
          scenario FILE             run a scenario script (docs/SCENARIO.md) through the pipeline and print its
                                    events as JSON lines; a bad line prints 'line N: why' and exits 2
              --markets FILE        run a market configuration (market and bracket lines) first
              --journal DIR         also journal commands and events to Chronicle queues in DIR; an existing
                                    journal is restored first (snapshot + tail) and continued
              --on-corrupt stop|truncate   a damaged journal: refuse (default) or cut back to its last valid
                                    command, keeping the damage aside
              --durability mapped|sync     mapped files (default: survive a crash of the process) or a disk
                                    flush per batch (survive a power loss)
              --snapshot-every N    take a snapshot every N commands
              --keep-snapshots K    keep only the newest K snapshot files (default 0: all)
              --wait-strategy NAME  blocking | sleeping (default) | yielding | busy-spin
              --layout fused|split  journal and engine on one thread (default) or on two
          replay DIR                rebuild engine state from a journal (from the latest snapshot at or before the
                                    target) and print its state hash; a progress bar on a terminal
              --to-seq N            up to command N
              --to-time T           up to the last command stamped at or before T (ISO-8601 or ms)
              --verify              re-run from the first command and check the events against the event journal
                                    byte for byte (and the snapshots): exit 1 at the first difference, named
              --from-snapshot       with --verify: check only from the latest snapshot
          journal verify DIR        check a journal's integrity offline (entries, sequence, versions, torn tail,
                                    snapshots); exit 1 on a problem
          journal snapshot DIR      restore a journal and take a snapshot at its end
          cascade                   a seeded population of leveraged traders through a minute price path (the
                                    real 2025-10-10 BTCUSDT day by default); prints the cascade report
              [--prices FILE] [--accounts N] [--seed S] [--json] [--journal DIR]
          serve                     the Binance USDⓈ-M-compatible REST/WebSocket gateway and its admin API
              --config FILE         markets, accounts, API keys and server settings (docs/GATEWAY.md)
              --port P              API port (default 8080; 0: any free port)
              --admin-port Q        admin API port (default 8081)
              --journal DIR         journal commands and events to Chronicle queues in DIR; an existing journal
                                    is restored first (state, read model, API keys) and continued; takes
                                    --on-corrupt, --durability and --keep-snapshots as scenario does
              --cluster-client CLUSTER   in front of a replicated cluster (docs/OPERATIONS.md) instead of an
                                    engine of its own
          serve --cluster CLUSTER [--member N]   one node of a replicated cluster (config/cluster.properties)
          cluster-demo              3 nodes on loopback, load through the gateway, the leader killed and
                                    restarted; prints every node's state hash; exit 0 when they agree and no
                                    acknowledged order was lost
              [--rounds R] [--phase-ms MS] [--traders N] [--keep]
          env                       print the Java runtime and the settings Perpcore runs with
          help                      this text
        """;

    private Main() {
    }

    public static void main(String[] argv) {
        final PrintStream out = new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);
        final int status = run(argv, out, System.err);
        out.flush();
        System.exit(status);
    }

    /** Runs one command; returns the process exit status. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0) {
            err.print(HELP);
            return 2;
        }
        final Args args = new Args(argv, 1);
        return switch (argv[0]) {
            case "help", "--help", "-h" -> {
                out.print(HELP);
                yield 0;
            }
            case "scenario" -> ScenarioCommand.run(args, out, err);
            case "replay" -> ReplayCommand.run(argv, out, err);
            case "journal" -> JournalCommand.run(argv, out, err);
            case "demo" -> DemoCommand.run(args, out, err);
            case "report" -> ReportCommand.run(new Args(argv, 1, java.util.Set.of("from-start")), out, err);
            case "why" -> WhyCommand.run(args, out, err);
            case "whatif" -> WhatIfCommand.run(argv, out, err);
            case "example" -> example(args, out, err);
            case "cascade" -> CascadeCommand.run(args, out, err);
            case "serve" -> ServeCommand.run(args, out, err);
            case "cluster-demo" -> ClusterDemoCommand.run(args, out, err);
            case "env" -> env(out);
            default -> {
                err.println("perpcore: unknown command '" + argv[0] + "' (see: perpcore help)");
                yield 2;
            }
        };
    }

    private static int example(Args args, PrintStream out, PrintStream err) {
        final List<String> lines;
        try (InputStream in = Main.class.getResourceAsStream("/org/perpcore/gateway/scenarios/demo.scn")) {
            if (in == null) {
                err.println("perpcore: the built-in demo scenario is missing from the jar");
                return 1;
            }
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            err.println("perpcore: cannot read the built-in demo scenario: " + e.getMessage());
            return 1;
        }
        err.println("perpcore example: a built-in example scenario (a market, makers, takers, self-trade prevention,"
            + " IOC/FOK/post-only, amend, cancel); events follow as JSON lines");
        return ScenarioCommand.runLines(lines, args, out, err);
    }

    private static int env(PrintStream out) {
        out.println("java.version=" + System.getProperty("java.version"));
        out.println("java.vendor=" + System.getProperty("java.vendor"));
        out.println("java.home=" + System.getProperty("java.home"));
        out.println("os=" + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.println("cpus=" + Runtime.getRuntime().availableProcessors());
        out.println("maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        for (String key : new String[] {"chronicle.analytics.disable", "chronicle.announcer.disable",
            "chronicle.disk.monitor.disable"}) {
            out.println(key + "=" + System.getProperty(key));
        }
        out.println("jvm.args=" + String.join(" ",
            java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return 0;
    }
}
