package org.perpcore.journal;

import java.io.PrintStream;
import java.nio.file.Path;
import org.perpcore.core.command.Command;
import org.perpcore.core.pipeline.OutputStage;
import org.perpcore.core.pipeline.Pipeline;
import org.perpcore.core.pipeline.PipelineConfig;

/**
 * The process {@link CrashTest} kills: opens the journal (refusing damage), says where it continues, then runs the
 * rest of a command stream through the journaled pipeline as fast as it goes, printing the last sequence number of
 * every batch its output stage saw (flushed: a line printed is a result emitted).
 *
 * <p>Arguments: journal directory, stream file, layout ({@code fused} or {@code split}).
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        final Path dir = Path.of(args[0]);
        final Streams stream = Streams.readFrom(Path.of(args[1]));
        final boolean fused = args[2].equals("fused");
        final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
            "UTF-8");
        final JournaledEngine journal;
        try {
            journal = JournaledEngine.open(dir, JournalOptions.DEFAULT);
        } catch (JournalException e) {
            System.err.println("REFUSED " + e.getMessage());
            System.exit(3);
            return;
        }
        final long next = journal.nextSeq();
        out.println("START " + next);
        out.flush();
        final OutputStage emit = (c, endOfBatch) -> {
            if (endOfBatch) {
                out.println("OUT " + c.seq);
                out.flush();
            }
        };
        final Command c = new Command();
        try (Pipeline pipeline = journal.startPipeline(PipelineConfig.DEFAULT.withFused(fused).withRingSize(1024),
            emit)) {
            for (int i = (int) next - 1; i < stream.size(); i++) {
                pipeline.publish(stream.get(i, c));
            }
        }
        journal.close();
        out.println("DONE");
        out.flush();
    }
}
