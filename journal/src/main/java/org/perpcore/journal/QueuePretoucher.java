package org.perpcore.journal;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.core.OS;

/**
 * Touches the pages of a journal's queue file ahead of its appender, on a daemon thread of its own, so that the
 * page faults of fresh file pages (about 10 µs each on this project's virtual machine: a page to allocate and zero,
 * the file system's block to reserve) are taken here and not by the appending stage, which then finds the pages in
 * the page cache. Chronicle's own pretoucher is a feature of its commercial edition.
 *
 * <p>How: it follows the end of the last frame the {@link FrameWriter} published, maps the next
 * {@link #AHEAD} bytes of the file (never past the file's current length: the file is not grown here) a few MiB at
 * a time, and at the start of each page compares-and-swaps a long from 0 to 0: a write, so the page is made
 * writable, that changes no byte, and that does nothing at all where the appender has already written (the swap
 * only happens on a zero). The region is then unmapped.
 */
final class QueuePretoucher implements AutoCloseable {
    static final long AHEAD = 32L << 20;
    private static final long STEP = 4L << 20;
    private static final long IDLE_NANOS = 1_000_000;

    private final FrameWriter writer;
    private final Thread thread;
    private volatile boolean stop;
    private volatile long touchedPages;
    private File file;
    private FileChannel channel;
    private long touched;

    QueuePretoucher(FrameWriter writer, String name) {
        this.writer = writer;
        this.thread = new Thread(this::run, "perpcore-pretouch-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stop) {
                if (!touchSome()) {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
            }
        } catch (IOException | RuntimeException e) {
            // pretouching is only an optimisation: the appender takes its page faults itself from now on
            System.err.println("perpcore: pretouching " + file + " stopped: " + e);
        } finally {
            closeChannel();
        }
    }

    /** Touches the next step ahead of the appender; false when there was nothing to do. */
    private boolean touchSome() throws IOException {
        final File current = writer.publishedFile();
        final long position = writer.publishedPosition();
        if (current == null) {
            return false;
        }
        if (!current.equals(file)) {
            closeChannel();
            file = current;
            channel = FileChannel.open(current.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            touched = 0;
        }
        final long page = OS.pageSize();
        final long from = Math.max(touched, (position + page) / page * page); // never the appender's own page
        final long to = Math.min(Math.min(position + AHEAD, channel.size()) / page * page, from + STEP);
        if (to <= from) {
            return false;
        }
        final long address = OS.map(channel, FileChannel.MapMode.READ_WRITE, from, to - from);
        try {
            for (long p = 0; p < to - from; p += page) {
                OS.memory().compareAndSwapLong(address + p, 0L, 0L);
            }
        } finally {
            OS.unmap(address, to - from);
        }
        touched = to;
        touchedPages += (to - from) / page;
        return true;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // only a read-write handle on a file the appender keeps open itself
            }
            channel = null;
        }
    }

    /** Pages touched so far. */
    long touchedPages() {
        return touchedPages;
    }

    /** Stops the thread and waits for it. */
    @Override
    public void close() {
        stop = true;
        LockSupport.unpark(thread);
        Threads.joinUninterruptibly(thread);
    }
}
