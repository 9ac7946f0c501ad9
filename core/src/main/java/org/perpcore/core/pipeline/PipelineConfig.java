package org.perpcore.core.pipeline;

/**
 * How the pipeline is laid out.
 *
 * @param ringSize          command slots in the ring (a power of two)
 * @param waitStrategy      a name from {@link WaitStrategies}
 * @param fuseJournalEngine run the journal stage and the engine on one thread (append, then apply, per slot):
 *                          fewer busy threads, which is what a 2-core machine wants
 * @param firstSeq          sequence number given to the first command published (1 on a fresh engine; after
 *                          recovery, one past the last journaled command)
 * @param outputOnEngineThread run the output stage on the engine thread too, after the engine finished each batch
 *                          (one busy thread fewer): only for an output stage that never blocks, such as one that only
 *                          journals the events; a fan-out to clients wants a thread of its own
 */
public record PipelineConfig(int ringSize, String waitStrategy, boolean fuseJournalEngine, long firstSeq,
                             boolean outputOnEngineThread) {
    public static final PipelineConfig DEFAULT = new PipelineConfig(1 << 14, WaitStrategies.DEFAULT, true, 1, false);

    public PipelineConfig {
        if (ringSize <= 0 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two: " + ringSize);
        }
        WaitStrategies.create(waitStrategy); // fail early on a bad name
        if (firstSeq < 1) {
            throw new IllegalArgumentException("firstSeq must be >= 1: " + firstSeq);
        }
    }

    public PipelineConfig withWaitStrategy(String name) {
        return new PipelineConfig(ringSize, name, fuseJournalEngine, firstSeq, outputOnEngineThread);
    }

    public PipelineConfig withFused(boolean fused) {
        return new PipelineConfig(ringSize, waitStrategy, fused, firstSeq, outputOnEngineThread);
    }

    public PipelineConfig withFirstSeq(long seq) {
        return new PipelineConfig(ringSize, waitStrategy, fuseJournalEngine, seq, outputOnEngineThread);
    }

    public PipelineConfig withRingSize(int size) {
        return new PipelineConfig(size, waitStrategy, fuseJournalEngine, firstSeq, outputOnEngineThread);
    }

    public PipelineConfig withOutputOnEngineThread(boolean onEngineThread) {
        return new PipelineConfig(ringSize, waitStrategy, fuseJournalEngine, firstSeq, onEngineThread);
    }
}
