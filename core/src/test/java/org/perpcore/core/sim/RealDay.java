package org.perpcore.core.sim;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the real 2025-10-10 data lives (../shared/data from the project root), for tests that skip without it. */
public final class RealDay {
    public static final String NAME = "BTCUSDT-1m-2025-10-10T1400-2400Z.csv";
    public static final String SKIP = "skipped: ../shared/data/" + NAME + " (the real 2025-10-10 minute path) is not"
        + " present next to the project";

    private RealDay() {
    }

    /** The data file, looked for above the working directory (a module or the project root); null if absent. */
    public static Path file() {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++) {
            final Path candidate = dir.resolve("../shared/data").resolve(NAME).normalize();
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }
}
