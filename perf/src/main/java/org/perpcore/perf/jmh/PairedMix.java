package org.perpcore.perf.jmh;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A paired comparison of builds on {@link MixBenchmark#mixFromBytes}: each perf jar named on the command line is
 * loaded in a class loader of its own in this one JVM, and slices of {@code opsPerSlice} commands of each run in
 * turn (A, B, A, B...) for {@code seconds}, after a warm-up of every build. Each slice's thread CPU time is
 * recorded; the output is the median CPU nanoseconds per command of each build and its ratio to the first.
 *
 * <p>Why: on a machine shared with other sessions, two JMH runs minutes apart see different loads, and a
 * difference of a few percent between builds drowns in it. Here both builds see the same load within
 * milliseconds of each other, and CPU time leaves out the time the thread waited for a core. What it does not
 * remove: other processes' use of the shared L3, and each build evicting the other's state between slices
 * (the builds share the caches, so absolute figures read higher than a JMH run's; use the ratios).
 *
 * <pre>
 * java -cp perf/target/perpcore-perf.jar org.perpcore.perf.jmh.PairedMix STREAM SECONDS OPS_PER_SLICE A.jar B.jar...
 * </pre>
 * (with the JVM flags of {@code bin/perpcore}). Not a JMH benchmark: for choosing between builds, not for
 * reporting throughput.
 */
public final class PairedMix {
    private PairedMix() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 4) {
            System.err.println("usage: PairedMix STREAM_COMMANDS SECONDS OPS_PER_SLICE JAR...");
            System.exit(2);
        }
        final int stream = Integer.parseInt(args[0]);
        final double seconds = Double.parseDouble(args[1]);
        final int slice = Integer.parseInt(args[2]);
        final int n = args.length - 3;
        final Object[] benchmarks = new Object[n];
        final MethodHandle[] ops = new MethodHandle[n];
        for (int i = 0; i < n; i++) {
            final URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[3 + i]).toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
            final Class<?> c = loader.loadClass(MixBenchmark.class.getName());
            benchmarks[i] = c.getConstructor().newInstance();
            c.getField("streamCommands").setInt(benchmarks[i], stream);
            c.getMethod("setUp").invoke(benchmarks[i]);
            ops[i] = MethodHandles.publicLookup().unreflect(c.getMethod("mixFromBytes"))
                .asType(MethodType.methodType(int.class, Object.class));
        }
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < n; i++) {
                run(benchmarks[i], ops[i], slice);
            }
        }
        final int maxSlices = 1 << 20;
        final double[][] cpuNs = new double[n][maxSlices];
        int slices = 0;
        final long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && slices < maxSlices) {
            for (int i = 0; i < n; i++) {
                final long start = threads.getCurrentThreadCpuTime();
                run(benchmarks[i], ops[i], slice);
                cpuNs[i][slices] = (threads.getCurrentThreadCpuTime() - start) / (double) slice;
            }
            slices++;
        }
        double first = 0;
        for (int i = 0; i < n; i++) {
            final double[] v = Arrays.copyOf(cpuNs[i], slices);
            Arrays.sort(v);
            final double median = v[slices / 2];
            if (i == 0) {
                first = median;
            }
            System.out.printf("%-28s median %7.1f CPU ns/command (p25 %7.1f, p75 %7.1f) x%.3f of the first, %d slices%n",
                Path.of(args[3 + i]).getFileName(), median, v[slices / 4], v[slices * 3 / 4], first / median, slices);
        }
        System.out.println("(checksum " + sink + ")");
    }

    private static long sink;

    private static void run(Object benchmark, MethodHandle op, int slice) throws Throwable {
        long events = 0;
        for (int k = 0; k < slice; k++) {
            events += (int) op.invokeExact(benchmark);
        }
        sink += events;
    }
}
