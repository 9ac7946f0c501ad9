package org.perpcore.journal;

/** The journal's helper threads (pretoucher, read-ahead reader). */
final class Threads {
    private Threads() {
    }

    /**
     * Waits until {@code thread} has ended, even if interrupted meanwhile (the caller is closing what the thread
     * uses); an interrupt is kept for the caller to see.
     */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
