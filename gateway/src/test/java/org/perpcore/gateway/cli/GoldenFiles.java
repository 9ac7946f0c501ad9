package org.perpcore.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden scenario files of {@code src/test/resources/golden}: {@code NAME.scn} scripts and their expected
 * output {@code NAME.jsonl}, and the byte-for-byte comparison with a readable line diff.
 */
final class GoldenFiles {
    /** Set to true to rewrite the expected outputs instead of checking them (see {@link GoldenScenarioTest}). */
    static final String UPDATE_PROPERTY = "perpcore.golden.update";

    private GoldenFiles() {
    }

    /**
     * The source directory of the golden files. Read from the sources rather than the class path so that a
     * regeneration writes where the files are kept. Maven runs tests in the module directory ({@code basedir}).
     */
    static Path dir() {
        final Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        final Path dir = module.resolve("src/test/resources/golden");
        assertTrue(Files.isDirectory(dir), () -> "golden directory not found: " + dir
            + " (run the tests from the gateway module directory, as Maven does)");
        return dir;
    }

    /** Every {@code NAME.scn} in the golden directory, sorted by name. */
    static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            final List<Path> scripts = files.filter(p -> p.getFileName().toString().endsWith(".scn")).sorted().toList();
            assertTrue(!scripts.isEmpty(), () -> "no .scn files in " + dir());
            return scripts;
        }
    }

    /** {@code NAME.jsonl} next to {@code NAME.scn}. */
    static Path expectedOutput(Path script) {
        final String name = script.getFileName().toString();
        return script.resolveSibling(name.substring(0, name.length() - ".scn".length()) + ".jsonl");
    }

    static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    static byte[] readExpected(Path script) throws IOException {
        final Path expected = expectedOutput(script);
        if (!Files.exists(expected)) {
            fail(expected + " does not exist; generate it with -D" + UPDATE_PROPERTY + "=true, then check it by hand");
        }
        return Files.readAllBytes(expected);
    }

    /** Fails, naming the first differing line and showing both versions of it, unless the bytes are equal. */
    static void assertSameBytes(String what, byte[] expected, byte[] actual) {
        if (Arrays.equals(expected, actual)) {
            return;
        }
        fail(what + " differs from the golden output:\n" + describeDifference(expected, actual)
            + "\n(if the change is intended, regenerate with -D" + UPDATE_PROPERTY + "=true and check the diff by hand)");
    }

    static String describeDifference(byte[] expected, byte[] actual) {
        final List<String> e = new String(expected, StandardCharsets.UTF_8).lines().toList();
        final List<String> a = new String(actual, StandardCharsets.UTF_8).lines().toList();
        final int common = Math.min(e.size(), a.size());
        for (int i = 0; i < common; i++) {
            if (!e.get(i).equals(a.get(i))) {
                return "first difference at line " + (i + 1) + " (expected " + e.size() + " lines, got " + a.size()
                    + ")\n  expected: " + e.get(i) + "\n  actual:   " + a.get(i);
            }
        }
        if (e.size() != a.size()) {
            final int line = common + 1;
            return "expected " + e.size() + " lines, got " + a.size() + "; first difference at line " + line
                + "\n  expected: " + (line <= e.size() ? e.get(common) : "<end of output>")
                + "\n  actual:   " + (line <= a.size() ? a.get(common) : "<end of output>");
        }
        return "the lines are equal but the bytes are not (line endings or the final newline): expected "
            + expected.length + " bytes, got " + actual.length;
    }
}
