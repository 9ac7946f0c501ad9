package org.perpcore.perf.bench;

import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/**
 * The latencies of one path: recorded wait-free and allocation-free by the pipeline thread that sees them
 * ({@link Recorder}), drained once a second by the reporter into an interval of the path's {@code .hlog} file
 * (HdrHistogram's log format: nanoseconds, one interval histogram per line) and into the run's total.
 */
final class PathRecorder implements AutoCloseable {
    static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    final BenchPath path;
    private final Recorder recorder = new Recorder(HIGHEST_NS, 3);
    private final Histogram total = new Histogram(HIGHEST_NS, 3);
    private final PrintStream file;
    private final HistogramLogWriter log;
    private Histogram interval;

    PathRecorder(BenchPath path, Path dir, long startMs) throws FileNotFoundException {
        this.path = path;
        file = new PrintStream(dir.resolve(path.file()).toFile());
        log = new HistogramLogWriter(file);
        log.outputComment("perpcore bench: " + path.title() + " (" + path.description() + "); values in nanoseconds");
        log.outputLogFormatVersion();
        log.setBaseTime(startMs);
        log.outputStartTime(startMs);
        log.outputBaseTime(startMs);
        log.outputLegend();
    }

    void record(long ns) {
        recorder.recordValue(Math.min(HIGHEST_NS, Math.max(0, ns)));
    }

    void record(long ns, long count) {
        recorder.recordValueWithCount(Math.min(HIGHEST_NS, Math.max(0, ns)), count);
    }

    /** The values recorded since the last call, as one interval of the log and into the total (reporter thread). */
    synchronized Histogram drain() {
        interval = recorder.getIntervalHistogram(interval);
        log.outputIntervalHistogram(interval);
        total.add(interval);
        return interval;
    }

    /** Everything recorded so far (call after the last {@link #drain}). */
    Histogram total() {
        return total;
    }

    @Override
    public void close() {
        file.close();
    }
}
