package org.perpcore.gateway.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.perpcore.gateway.postmortem.Comparison;
import org.perpcore.gateway.postmortem.HtmlReport;
import org.perpcore.gateway.postmortem.PostMortem;
import org.perpcore.gateway.postmortem.SummaryJson;

/** Writes a post-mortem's {@code report.html} and {@code summary.json} into a directory; parses report times. */
final class ReportFiles {
    static final String HTML = "report.html";
    static final String JSON = "summary.json";

    private ReportFiles() {
    }

    /** Writes both files into {@code dir} (created if needed); returns the HTML file. */
    static Path write(Path dir, PostMortem pm, String source, Comparison comparison) throws IOException {
        Files.createDirectories(dir);
        final Path html = dir.resolve(HTML);
        Files.writeString(html, HtmlReport.render(pm, source, comparison), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(JSON), SummaryJson.render(pm, source, comparison), StandardCharsets.UTF_8);
        return html;
    }

    /** An ISO-8601 instant ({@code 2025-10-10T20:50:00Z}) or milliseconds since the epoch; null when absent. */
    static Long time(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(value).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("--" + option + " must be an ISO-8601 time like"
                    + " 2025-10-10T20:50:00Z or milliseconds since the epoch, not '" + value + "'");
            }
        }
    }
}
