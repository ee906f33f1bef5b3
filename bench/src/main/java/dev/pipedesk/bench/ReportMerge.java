package dev.pipedesk.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Merges the report of a run of some suites ({@code --only=...}) into the existing
 * {@code docs/performance.md}: the sections the run wrote replace theirs (a numbered section is
 * matched by its number, e.g. {@code ## 6.}), sections it did not write are kept, new ones go
 * before {@code ## Reproduce}; the verdict table keeps the other suites' rows and takes the run's
 * (matched by target); the title and {@code ## Machine} stay those of the full run they describe.
 */
final class ReportMerge {
    static final String VERDICTS = "## Verdicts";
    static final String MACHINE = "## Machine";
    static final String REPRODUCE = "## Reproduce";
    private static final Pattern NUMBERED = Pattern.compile("^## (\\d+)\\. ");

    private ReportMerge() {
    }

    /** A document as its preamble (before the first {@code ## }) and its sections, each from its heading line. */
    record Document(String preamble, Map<String, String> sections) {
        static Document parse(String markdown) {
            Map<String, String> sections = new LinkedHashMap<>();
            StringBuilder preamble = new StringBuilder();
            String key = null;
            StringBuilder current = preamble;
            for (String line : markdown.split("\n", -1)) {
                if (line.startsWith("## ")) {
                    if (key != null) {
                        sections.put(key, current.toString());
                    }
                    key = key(line);
                    current = new StringBuilder();
                }
                current.append(line).append('\n');
            }
            if (key != null) {
                sections.put(key, current.toString());
            }
            String pre = preamble.toString();
            if (key == null && pre.endsWith("\n")) {
                pre = pre.substring(0, pre.length() - 1);
            }
            return new Document(pre, sections);
        }
    }

    static String key(String heading) {
        Matcher numbered = NUMBERED.matcher(heading);
        return numbered.find() ? "## " + numbered.group(1) + "." : heading.strip();
    }

    static String merge(String existing, String fresh) {
        Document old = Document.parse(existing);
        Document run = Document.parse(fresh);
        StringBuilder out = new StringBuilder(old.preamble());
        for (Map.Entry<String, String> section : old.sections().entrySet()) {
            String key = section.getKey();
            if (key.equals(REPRODUCE)) {
                appendNew(out, old, run);
            }
            if (key.equals(VERDICTS) && run.sections().containsKey(VERDICTS)) {
                out.append(mergeVerdicts(section.getValue(), run.sections().get(VERDICTS)));
            } else if (!key.equals(MACHINE) && run.sections().containsKey(key)) {
                out.append(run.sections().get(key));
            } else {
                out.append(section.getValue());
            }
        }
        if (!old.sections().containsKey(REPRODUCE)) {
            appendNew(out, old, run);
        }
        String merged = out.toString();
        return merged.endsWith("\n\n") ? merged.substring(0, merged.length() - 1) : merged;
    }

    private static void appendNew(StringBuilder out, Document old, Document run) {
        run.sections().forEach((key, text) -> {
            if (!old.sections().containsKey(key)) {
                out.append(text);
            }
        });
    }

    /** The old table's rows (a row whose target the run measured again replaced in place), then the run's new rows. */
    static String mergeVerdicts(String oldSection, String runSection) {
        Map<String, String> runRows = rows(runSection);
        List<String> lines = new ArrayList<>(List.of(oldSection.split("\n", -1)));
        List<String> out = new ArrayList<>();
        int lastRow = -1;
        List<String> used = new ArrayList<>();
        for (String line : lines) {
            String target = target(line);
            if (target != null && runRows.containsKey(target)) {
                out.add(runRows.get(target));
                used.add(target);
            } else {
                out.add(line);
            }
            if (target != null) {
                lastRow = out.size() - 1;
            }
        }
        List<String> added = runRows.entrySet().stream().filter(e -> !used.contains(e.getKey())).map(Map.Entry::getValue).toList();
        if (lastRow < 0) {
            return runSection;
        }
        out.addAll(lastRow + 1, added);
        return String.join("\n", out);
    }

    private static Map<String, String> rows(String section) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            String target = target(line);
            if (target != null) {
                rows.put(target, line);
            }
        }
        return rows;
    }

    /** The first cell of a verdict row, or null for any other line (header, separator, text). */
    private static String target(String line) {
        if (!line.startsWith("| ") || line.startsWith("| Target |") || line.startsWith("|---")) {
            return null;
        }
        int end = line.indexOf(" |", 2);
        return end < 0 ? null : line.substring(2, end);
    }
}
