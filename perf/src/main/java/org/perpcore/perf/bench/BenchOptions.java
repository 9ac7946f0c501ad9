package org.perpcore.perf.bench;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.perpcore.core.pipeline.WaitStrategies;

/**
 * The options of {@code bin/perpcore bench}: a profile gives the defaults, each option overrides one of them.
 * Parsing never throws anything but {@link IllegalArgumentException} with a message that names the option.
 */
public final class BenchOptions {
    static final String USAGE = "usage: bin/perpcore bench [--profile quick|full] [--rate R] [--accounts N]"
        + " [--journal on|off] [--wait-strategy " + String.join("|", WaitStrategies.NAMES) + "] [--duration S]"
        + " [--warmup S] [--out DIR] [--tick-ms MS] [--liquidate-share F] [--resting N] [--seed N] [--sweep]"
        + " [--sweep-rates R1,R2,...] [--bound-us US] [--sender spin|park] [--layout fused|split]"
        + " [--jit-warmup ROUNDS]\n"
        + "       bin/perpcore bench sweep [same options]\n"
        + "       bin/perpcore bench compare A B   (result directories or summary.json files)";

    String profile = "quick";
    double rate;
    int accounts;
    boolean journal = true;
    String waitStrategy = WaitStrategies.DEFAULT;
    double durationS;
    double warmupS;
    Path out;
    int tickMs = 100;
    double liquidateShare = 0.01;
    int resting;
    long seed = 20251010L;
    boolean sweep;
    double[] sweepRates;
    double sweepDurationS;
    double sweepWarmupS;
    double boundUs = 100;
    String sender = "spin";
    boolean fused = true;
    int jitWarmupRounds;

    private BenchOptions() {
    }

    /** Defaults of a profile, before any option. */
    static BenchOptions profile(String name) {
        final BenchOptions o = new BenchOptions();
        o.profile = name;
        switch (name) {
            case "quick" -> {
                o.rate = 20_000;
                o.accounts = 10_000;
                o.durationS = 3;
                o.warmupS = 1;
                o.sweepRates = new double[] {5_000, 10_000, 20_000, 40_000};
                o.sweepDurationS = 1.5;
                o.sweepWarmupS = 0.5;
                o.jitWarmupRounds = 2;
            }
            case "full" -> {
                o.rate = 100_000;
                o.accounts = 100_000;
                o.durationS = 20;
                o.warmupS = 5;
                o.sweepRates = new double[] {10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000};
                o.sweepDurationS = 8;
                o.sweepWarmupS = 3;
                o.jitWarmupRounds = 30;
            }
            default -> throw new IllegalArgumentException("--profile: unknown profile '" + name + "'; use quick or full");
        }
        return o;
    }

    static BenchOptions parse(String[] args) {
        String profileName = "quick";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--profile")) {
                profileName = value(args, i);
            }
        }
        final BenchOptions o = profile(profileName);
        boolean sweepDurationGiven = false;
        for (int i = 0; i < args.length; i++) {
            final String a = args[i];
            switch (a) {
                case "--profile" -> i++;
                case "--sweep" -> o.sweep = true;
                case "--rate" -> o.rate = positive(a, value(args, i++));
                case "--accounts" -> o.accounts = (int) Math.min(Integer.MAX_VALUE - 1024, whole(a, value(args, i++), 100));
                case "--journal" -> o.journal = switch (value(args, i++)) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--journal: use on or off, not '" + args[i] + "'");
                };
                case "--wait-strategy" -> {
                    final String w = value(args, i++);
                    WaitStrategies.create(w);
                    o.waitStrategy = w;
                }
                case "--duration" -> {
                    o.durationS = positive(a, value(args, i++));
                    o.sweepDurationS = o.durationS;
                    sweepDurationGiven = true;
                }
                case "--warmup" -> {
                    o.warmupS = nonNegative(a, value(args, i++));
                    o.sweepWarmupS = o.warmupS;
                }
                case "--out" -> o.out = Path.of(value(args, i++));
                case "--tick-ms" -> o.tickMs = (int) whole(a, value(args, i++), 1);
                case "--liquidate-share" -> {
                    o.liquidateShare = positive(a, value(args, i++));
                    if (o.liquidateShare > 0.5) {
                        throw new IllegalArgumentException("--liquidate-share: at most 0.5, not " + args[i]);
                    }
                }
                case "--resting" -> o.resting = (int) Math.min(50_000_000, whole(a, value(args, i++), 0));
                case "--seed" -> o.seed = whole(a, value(args, i++), Long.MIN_VALUE);
                case "--sweep-rates" -> {
                    final String[] parts = value(args, i++).split(",");
                    o.sweepRates = new double[parts.length];
                    for (int k = 0; k < parts.length; k++) {
                        o.sweepRates[k] = positive(a, parts[k].trim());
                    }
                }
                case "--bound-us" -> o.boundUs = positive(a, value(args, i++));
                case "--sender" -> {
                    o.sender = value(args, i++);
                    if (!o.sender.equals("spin") && !o.sender.equals("park")) {
                        throw new IllegalArgumentException("--sender: spin or park, not '" + o.sender + "'");
                    }
                }
                case "--layout" -> o.fused = switch (value(args, i++)) {
                    case "fused" -> true;
                    case "split" -> false;
                    default -> throw new IllegalArgumentException("--layout: fused or split, not '" + args[i] + "'");
                };
                case "--jit-warmup" -> o.jitWarmupRounds = (int) Math.min(10_000, whole(a, value(args, i++), 0));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (!sweepDurationGiven && o.sweep) {
            o.durationS = o.sweepDurationS;
        }
        if (o.out == null) {
            o.out = Path.of("bench-results", ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        }
        return o;
    }

    /** The options of one point of a sweep: this run's, at {@code rate}, for the sweep's duration. */
    BenchOptions atRate(double r, Path dir) {
        final BenchOptions o = new BenchOptions();
        o.profile = profile;
        o.rate = r;
        o.accounts = accounts;
        o.journal = journal;
        o.waitStrategy = waitStrategy;
        o.durationS = sweepDurationS;
        o.warmupS = sweepWarmupS;
        o.out = dir;
        o.tickMs = tickMs;
        o.liquidateShare = liquidateShare;
        o.resting = resting;
        o.seed = seed;
        o.boundUs = boundUs;
        o.sweepRates = sweepRates;
        o.sender = sender;
        o.fused = fused;
        o.jitWarmupRounds = jitWarmupRounds;
        return o;
    }

    List<String> describe() {
        final List<String> l = new ArrayList<>();
        l.add(String.format(Locale.ROOT, "profile %s, rate %,.0f/s, %,d accounts, journal %s, wait strategy %s,"
                + " %.1f s measured after %.1f s warm-up, mark tick every %d ms, %.2f %% of the accounts liquidated,"
                + " %,d resting orders, sender %s, layout %s, JIT warm-up %d rounds", profile, rate, accounts,
            journal ? "on" : "off", waitStrategy, durationS, warmupS, tickMs, liquidateShare * 100, resting, sender,
            layout(), jitWarmupRounds));
        return l;
    }

    String layout() {
        return fused ? "fused" : "split";
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + ": a value is missing");
        }
        return args[i + 1];
    }

    private static double positive(String option, String v) {
        final double d = number(option, v);
        if (!(d > 0)) {
            throw new IllegalArgumentException(option + ": must be positive, not '" + v + "'");
        }
        return d;
    }

    private static double nonNegative(String option, String v) {
        final double d = number(option, v);
        if (!(d >= 0)) {
            throw new IllegalArgumentException(option + ": must not be negative, not '" + v + "'");
        }
        return d;
    }

    private static double number(String option, String v) {
        try {
            final double d = Double.parseDouble(v.replace("_", ""));
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: '" + v + "'");
        }
    }

    private static long whole(String option, String v, long min) {
        final long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a whole number: '" + v + "'");
        }
        if (n < min) {
            throw new IllegalArgumentException(option + ": at least " + min + ", not " + n);
        }
        return n;
    }
}
