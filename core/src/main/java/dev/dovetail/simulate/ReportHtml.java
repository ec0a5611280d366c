package dev.dovetail.simulate;

import dev.dovetail.simulate.SimulationReport.NodeBar;
import dev.dovetail.simulate.SimulationReport.PodBar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --output html}: one self-contained page (inline SVG and CSS, no script, no external
 * asset): each node as two bars, cpu and memory, packed with its pods' requests; $/h per NodePool;
 * and, for a demo run, a timeline of pods, nodes and $/h.
 */
public final class ReportHtml {
  private ReportHtml() {}

  /** A sample of the demo's timeline. */
  public record TimelinePoint(
      double seconds, int podsBound, int podsTotal, int nodes, double costPerHour) {}

  public static String render(SimulationReport r, List<TimelinePoint> timeline) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.append("<title>Dovetail ").append(esc(r.question())).append("</title><style>");
    h.append("body{font-family:sans-serif;margin:24px;color:#222}");
    h.append(
        "table{border-collapse:collapse;margin:8px 0}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #ddd}");
    h.append(".node{margin:6px 0}.node .label{font-size:12px}.planned{color:#1565c0}");
    h.append("</style></head><body>");
    h.append("<h1>dovetail simulate: ").append(esc(r.question())).append("</h1>");
    h.append("<p id=\"summary\">")
        .append(
            String.format(
                Locale.ROOT,
                "%d node(s), %d new NodeClaim(s), new capacity $%.4f/h, existing nodes $%.4f/h, %d pod(s) unschedulable",
                r.nodes().size(),
                r.nodeClaims().size(),
                r.costPerHour(),
                r.existingCostPerHour(),
                r.unschedulable()))
        .append("</p>");
    h.append(
        "<h2>$/h per NodePool</h2><table id=\"pools\"><tr><th>NodePool</th><th>nodes</th><th>$/h</th></tr>");
    Map<String, double[]> pools = new LinkedHashMap<>();
    for (NodeBar n : r.nodes()) {
      double[] v =
          pools.computeIfAbsent(n.nodePool() == null ? "(none)" : n.nodePool(), k -> new double[2]);
      v[0]++;
      v[1] += n.pricePerHour();
    }
    pools.forEach(
        (k, v) ->
            h.append("<tr><td>")
                .append(esc(k))
                .append("</td><td>")
                .append((int) v[0])
                .append("</td><td>")
                .append(String.format(Locale.ROOT, "%.4f", v[1]))
                .append("</td></tr>"));
    h.append("</table>");
    if (timeline != null && !timeline.isEmpty()) {
      h.append("<h2>Timeline</h2>").append(timelineSvg(timeline));
    }
    h.append(
        "<h2>Nodes</h2><p>Each node: cpu (top) and memory (bottom) of its allocatable, filled by its pods' requests. Planned NodeClaims in blue.</p>");
    for (NodeBar n : r.nodes()) {
      h.append("<div class=\"node\" data-node=\"").append(esc(n.name())).append("\">");
      h.append("<div class=\"label")
          .append(n.planned() ? " planned" : "")
          .append("\">")
          .append(esc(n.name()))
          .append(" &middot; ")
          .append(esc(String.valueOf(n.instanceType())))
          .append(" &middot; ")
          .append(esc(String.valueOf(n.nodePool())))
          .append(
              String.format(
                  Locale.ROOT,
                  " &middot; $%.4f/h &middot; %d pod(s)",
                  n.pricePerHour(),
                  n.pods().size()))
          .append("</div>");
      h.append(barSvg(n));
      h.append("</div>");
    }
    if (r.unschedulable() > 0) {
      h.append(
          "<h2>Unschedulable pods</h2><table id=\"unschedulable\"><tr><th>pod</th><th>reason</th></tr>");
      r.pods().stream()
          .filter(p -> p.reason() != null)
          .forEach(
              p ->
                  h.append("<tr><td>")
                      .append(esc(p.namespace() + "/" + p.name()))
                      .append("</td><td>")
                      .append(esc(p.reason()))
                      .append("</td></tr>"));
      h.append("</table>");
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  private static String barSvg(NodeBar n) {
    int width = 600;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(width + 2)
        .append("\" height=\"30\">");
    s.append("<rect x=\"0\" y=\"0\" width=\"")
        .append(width + 2)
        .append("\" height=\"30\" fill=\"#f4f4f4\" stroke=\"#999\"/>");
    double xc = 1;
    double xm = 1;
    String[] palette = {
      "#4caf50", "#81c784", "#ff9800", "#ffb74d", "#9c27b0", "#ba68c8", "#03a9f4", "#4fc3f7"
    };
    int i = 0;
    for (PodBar p : n.pods()) {
      String color = palette[i++ % palette.length];
      double wc =
          n.allocatableMillicores() <= 0
              ? 0
              : width * (double) p.millicores() / n.allocatableMillicores();
      double wm = n.allocatableBytes() <= 0 ? 0 : width * (double) p.bytes() / n.allocatableBytes();
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"1\" width=\"%.1f\" height=\"13\" fill=\"%s\"><title>%s cpu %dm</title></rect>",
              xc,
              Math.max(0, wc),
              color,
              esc(p.name()),
              p.millicores()));
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"16\" width=\"%.1f\" height=\"13\" fill=\"%s\"><title>%s memory %d MiB</title></rect>",
              xm,
              Math.max(0, wm),
              color,
              esc(p.name()),
              p.bytes() >> 20));
      xc += wc;
      xm += wm;
    }
    s.append("</svg>");
    return s.toString();
  }

  private static String timelineSvg(List<TimelinePoint> t) {
    int w = 700;
    int hgt = 200;
    double maxT = Math.max(1, t.get(t.size() - 1).seconds());
    double maxPods = 1;
    double maxNodes = 1;
    double maxCost = 0.0001;
    for (TimelinePoint p : t) {
      maxPods = Math.max(maxPods, p.podsTotal());
      maxNodes = Math.max(maxNodes, p.nodes());
      maxCost = Math.max(maxCost, p.costPerHour());
    }
    List<String> series = new ArrayList<>();
    series.add(line(t, w, hgt, maxT, maxPods, "#4caf50", TimelinePoint::podsBound));
    series.add(line(t, w, hgt, maxT, maxNodes, "#1565c0", p -> p.nodes()));
    series.add(line(t, w, hgt, maxT, maxCost, "#e65100", TimelinePoint::costPerHour));
    return "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\""
        + (w + 20)
        + "\" height=\""
        + (hgt + 30)
        + "\">"
        + "<rect x=\"0\" y=\"0\" width=\""
        + (w + 20)
        + "\" height=\""
        + (hgt + 30)
        + "\" fill=\"#fafafa\"/>"
        + String.join("", series)
        + String.format(
            Locale.ROOT,
            "<text x=\"10\" y=\"%d\" font-size=\"11\">0 s</text><text x=\"%d\" y=\"%d\" font-size=\"11\">%.0f s</text>",
            hgt + 25,
            w - 30,
            hgt + 25,
            maxT)
        + String.format(
            Locale.ROOT,
            "<text x=\"10\" y=\"12\" font-size=\"11\" fill=\"#4caf50\">pods bound (max %.0f)</text><text x=\"200\" y=\"12\" font-size=\"11\" fill=\"#1565c0\">nodes (max %.0f)</text><text x=\"360\" y=\"12\" font-size=\"11\" fill=\"#e65100\">$/h (max %.2f)</text>",
            maxPods,
            maxNodes,
            maxCost)
        + "</svg>";
  }

  private static String line(
      List<TimelinePoint> t,
      int w,
      int hgt,
      double maxT,
      double maxV,
      String color,
      java.util.function.ToDoubleFunction<TimelinePoint> v) {
    StringBuilder pts = new StringBuilder();
    for (TimelinePoint p : t) {
      double x = 10 + w * p.seconds() / maxT;
      double y = 15 + hgt - hgt * v.applyAsDouble(p) / maxV;
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return "<polyline fill=\"none\" stroke=\""
        + color
        + "\" stroke-width=\"2\" points=\""
        + pts.toString().trim()
        + "\"/>";
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
