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
 */
public record PipelineConfig(int ringSize, String waitStrategy, boolean fuseJournalEngine, long firstSeq) {
    public static final PipelineConfig DEFAULT = new PipelineConfig(1 << 14, WaitStrategies.DEFAULT, true, 1);

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
        return new PipelineConfig(ringSize, name, fuseJournalEngine, firstSeq);
    }

    public PipelineConfig withFused(boolean fused) {
        return new PipelineConfig(ringSize, waitStrategy, fused, firstSeq);
    }

    public PipelineConfig withFirstSeq(long seq) {
        return new PipelineConfig(ringSize, waitStrategy, fuseJournalEngine, seq);
    }

    public PipelineConfig withRingSize(int size) {
        return new PipelineConfig(size, waitStrategy, fuseJournalEngine, firstSeq);
    }
}
