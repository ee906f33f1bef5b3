package dev.pipedesk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.style.Styler;

/**
 * The report's charts, written as SVG next to {@code docs/performance.md} (XChart): grouped bars,
 * one group per category (a query shape, a batch size), one bar per series (ours, raw SQL, the
 * peer's method).
 */
public final class SvgCharts {

    private SvgCharts() {
    }

    /**
     * A grouped bar chart.
     *
     * @param file       where to write it; ".svg" is appended by XChart when missing
     * @param categories the groups, in order
     * @param series     series name → one value per category (same order)
     */
    public static void groupedBars(Path file, String title, String yAxis, List<String> categories,
                                   Map<String, List<Double>> series) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(420).title(title)
                .xAxisTitle("").yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        for (Map.Entry<String, List<Double>> entry : new LinkedHashMap<>(series).entrySet()) {
            if (entry.getValue().size() != categories.size()) {
                throw new IllegalArgumentException("series " + entry.getKey() + " has " + entry.getValue().size()
                        + " values for " + categories.size() + " categories");
            }
            chart.addSeries(entry.getKey(), categories, entry.getValue());
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String name = file.toString();
            VectorGraphicsEncoder.saveVectorGraphic(chart, name.endsWith(".svg") ? name.substring(0, name.length() - 4) : name,
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the chart " + file, e);
        }
    }
}
