package org.perpcore.gateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.perpcore.core.pipeline.PipelineConfig;
import org.perpcore.core.sim.CascadeSpec;
import org.perpcore.core.sim.PricePath;
import org.perpcore.core.sim.PricePathException;

/**
 * What {@code demo} and {@code cascade} are given: the population ({@code --accounts N}, {@code --seed S}), the
 * minute price path ({@code --prices FILE}, by default the real 2025-10-10 BTCUSDT day next to the project) and the
 * pipeline's layout. Bad input is refused with one line on stderr before anything is made or run.
 */
final class CascadeInput {
    static final String DEFAULT_PRICES = "../shared/data/BTCUSDT-1m-2025-10-10T1400-2400Z.csv";
    static final int DEFAULT_ACCOUNTS = 100_000;

    final CascadeSpec spec;
    final Path prices;
    final PricePath path;
    final PipelineConfig config;

    private CascadeInput(CascadeSpec spec, Path prices, PricePath path, PipelineConfig config) {
        this.spec = spec;
        this.prices = prices;
        this.path = path;
        this.config = config;
    }

    /**
     * The inputs {@code args} give, or null when they are bad, after printing why on {@code err} as
     * {@code perpcore COMMAND: why} (a malformed price file as {@code perpcore COMMAND: FILE: line N: why}).
     */
    static CascadeInput parse(Args args, String command, PrintStream err) {
        final String prefix = "perpcore " + command + ": ";
        final CascadeSpec spec = CascadeSpec.defaults().accounts(DEFAULT_ACCOUNTS);
        try {
            final String accounts = args.option("accounts");
            if (accounts != null) {
                spec.accounts(Integer.parseInt(accounts.replace("_", "")));
            }
            final String seed = args.option("seed");
            if (seed != null) {
                spec.seed(Long.parseLong(seed));
            }
            spec.validate();
        } catch (NumberFormatException e) {
            err.println(prefix + "--accounts and --seed take whole numbers (" + e.getMessage() + ")");
            return null;
        } catch (IllegalArgumentException e) {
            err.println(prefix + e.getMessage());
            return null;
        }
        final String given = args.option("prices");
        final Path prices = given != null ? Path.of(given) : projectRoot().resolve(DEFAULT_PRICES).normalize();
        final PricePath path;
        try {
            path = PricePath.parseKlines(Files.readAllLines(prices), spec.tickE8());
        } catch (NoSuchFileException e) {
            err.println(prefix + "no price file at " + prices + (given == null
                ? " (the default: the real 2025-10-10 minutes, expected next to the project; give one with --prices FILE)"
                : ""));
            return null;
        } catch (PricePathException e) {
            err.println(prefix + prices + ": " + e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            err.println(prefix + "cannot read " + prices + ": " + e);
            return null;
        }
        try {
            return new CascadeInput(spec, prices, path, Args.pipelineConfig(args));
        } catch (IllegalArgumentException e) {
            err.println(prefix + e.getMessage());
            return null;
        }
    }

    /** The project root: three levels above the gateway's jar or classes ({@code gateway/target/...}). */
    static Path projectRoot() {
        final String property = System.getProperty("perpcore.root");
        if (property != null) {
            return Path.of(property);
        }
        try {
            final Path code = Path.of(CascadeInput.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            final Path root = code.getParent() == null ? null : code.getParent().getParent();
            if (root != null && root.getParent() != null) {
                return root.getParent();
            }
        } catch (Exception e) {
            // no code source (an unusual class loader): fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
