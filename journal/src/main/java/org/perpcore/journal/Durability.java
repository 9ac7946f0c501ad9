package org.perpcore.journal;

/**
 * How far an appended entry is guaranteed to survive. Both journals (commands and events) follow it; snapshot files
 * are always synced to disk before they are put in place.
 */
public enum Durability {
    /**
     * The default. Entries are written to memory-mapped files: once appended they survive a crash of the process
     * (the operating system writes them back), but not a power loss or kernel crash before it has. Costs nothing
     * beyond the append.
     */
    MAPPED,
    /**
     * At the end of every batch the pipeline delivers, the journal's dirty pages are flushed to disk with
     * {@code msync(MS_SYNC)} before the batch goes on: an entry survives a power loss once its batch is done, and
     * the output stage (which clients hear from) only sees a batch after it. Costs a disk flush per batch (see
     * docs/PERFORMANCE.md); batches grow under load, so throughput suffers less than latency.
     */
    SYNC
}
