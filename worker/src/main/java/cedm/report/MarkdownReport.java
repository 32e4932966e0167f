package cedm.report;

import cedm.spec.GridSpec;
import cedm.stage.ClusterScores;
import cedm.stage.EvaluationArtifact;
import cedm.stage.EvaluationArtifact.Summary;
import cedm.workflow.GridPoint;
import cedm.workflow.Probe;
import cedm.workflow.RungDecision;
import cedm.workflow.RungScore;
import cedm.workflow.TrialState;
import java.util.List;
import java.util.Locale;

/** The report's text: the results table, the C_max evidence and the figures, in Markdown. */
final class MarkdownReport {
  /** A figure written next to the report. */
  record Figure(String file, String caption) {}

  private MarkdownReport() {}

  static String render(ReportData d, Figure cmax, Figure curves, Figure samples, DeviceTime time, HalvingCost cost) {
    StringBuilder md = new StringBuilder();
    md.append("# Sweep ").append(d.sweepId()).append("\n\n");
    md.append(d.finished() ? "The sweep is finished." : "The sweep is not finished (" + d.phase()
        + "); this report shows what is done so far.").append("\n\n");
    if (d.proxy()) {
      md.append("Scores are **proxy** FID/FDD from the builtin feature network, which is not pre-trained: "
          + "compare the points with each other, not with published figures.\n\n");
    }
    results(md, d);
    halving(md, d, cost);
    search(md, d, cmax);
    curves(md, d, curves);
    deviceTime(md, time);
    md.append("## Samples per cluster\n\n");
    if (samples == null) {
      md.append("No sample grid: no clustering point has a trained and scored model yet, or it was turned off "
          + "(`cedm report --samples 0`).\n");
    } else {
      md.append(samples.caption()).append("\n\n![").append(samples.caption()).append("](").append(samples.file())
          .append(")\n");
    }
    return md.toString();
  }

  /**
   * FID against Mimg per point (the paper's Fig. 2), and its sample efficiency: where each point
   * first reaches the unconditional model's final FID, and how many fewer images that took.
   */
  private static void curves(StringBuilder md, ReportData d, Figure figure) {
    md.append("## FID during training\n\n");
    List<ReportData.Row> curved = d.rows().stream().filter(r -> !r.trial().curve().isEmpty()).toList();
    if (curved.isEmpty()) {
      md.append("No evaluations during training (`evaluation.during_training.every_mimg` is off): each model was "
          + "evaluated once, when its training ended.\n\n");
      return;
    }
    String metric = d.proxy() ? "proxy FID" : "FID";
    md.append("Mean ").append(metric).append(" of each snapshot (one set of `during_training.samples`; the last point "
        + "is the final evaluation, over all its sets).\n\n");
    if (figure != null) {
      md.append(figure.caption()).append("\n\n![").append(figure.caption()).append("](").append(figure.file())
          .append(")\n\n");
    }
    md.append("| point | Mimg | ").append(metric).append(" | evaluation |\n|---|---:|---:|---|\n");
    for (ReportData.Row r : curved) {
      for (var p : r.trial().curve()) {
        md.append(String.format(Locale.ROOT, "| %s | %.4f | %.2f | evaluation/%s |%n", r.point(), p.kimg() / 1000,
            p.meanFid(), p.evaluationId()));
      }
    }
    md.append('\n');
    ReportData.Row unconditional = curved.stream()
        .filter(r -> r.trial().point().kind() == GridPoint.Kind.UNCONDITIONAL).findFirst().orElse(null);
    if (unconditional == null) {
      md.append("No sample-efficiency table: the unconditional baseline has no curve.\n\n");
      return;
    }
    var last = unconditional.trial().curve().get(unconditional.trial().curve().size() - 1);
    md.append(String.format(Locale.ROOT, "Sample efficiency against the unconditional model's final %s %.2f at %.4f "
        + "Mimg: where each point first reaches it, and the ratio of the images it took (as the paper's 5x on "
        + "CIFAR-10 and 3.3x on FFHQ-64).%n%n", metric, last.meanFid(), last.kimg() / 1000));
    md.append("| point | reaches it at Mimg | fewer images |\n|---|---:|---:|\n");
    for (ReportData.Row r : curved) {
      var reached = r.trial().curve().stream().filter(p -> p.meanFid() <= last.meanFid()).findFirst();
      md.append(reached.map(p -> String.format(Locale.ROOT, "| %s | %.4f | %.2fx |%n", r.point(), p.kimg() / 1000,
          last.kimg() / p.kimg())).orElse("| " + r.point() + " | not reached | - |\n"));
    }
    md.append('\n');
  }

  private static void deviceTime(StringBuilder md, DeviceTime time) {
    md.append("## Device time\n\n");
    if (time.isEmpty()) {
      md.append("No stage of this sweep has recorded device time in this store.\n\n");
      return;
    }
    md.append("Hours the stages held their devices, from the store's ledger: GPU-hours, and hours of CPU slots "
        + "that stood in for GPUs. Every attempt counts, failed and repeated ones too; reused artifacts cost "
        + "nothing.\n\n");
    table(md, "stage", time.byStage(), time.total());
    if (!time.byPoint().isEmpty()) {
      table(md, "point", time.byPoint(), null);
    }
  }

  private static void table(StringBuilder md, String what, java.util.Map<String, DeviceTime.Hours> rows,
      DeviceTime.Hours total) {
    md.append("| ").append(what).append(" | GPU h | CPU-slot h | attempts |\n|---|---:|---:|---:|\n");
    rows.forEach((name, h) -> md.append(row(name, h)));
    if (total != null) {
      md.append(row("**total**", total));
    }
    md.append('\n');
  }

  private static String row(String name, DeviceTime.Hours h) {
    return String.format(Locale.ROOT, "| %s | %.4f | %.4f | %d |%n", name, h.gpu(), h.cpuSlots(), h.attempts());
  }

  private static void results(StringBuilder md, ReportData d) {
    md.append("## Results\n\n");
    String metric = d.proxy() ? "proxy FID" : "FID";
    StringBuilder head = new StringBuilder("| point | C | clusters used | " + metric + " (mean +- std) | " + metric + " min |");
    StringBuilder rule = new StringBuilder("|---|---:|---:|---:|---:|");
    String tail = " evaluation |";
    List<String> others = d.otherResults();
    for (String result : others) {
      head.append(' ').append(EvaluationArtifact.displayName(result, d.proxy())).append(" (mean +- std) |");
      rule.append("---:|");
    }
    if (d.hasClusterScores()) {
      head.append(" NMI | ANMI | ARI | ACC |");
      rule.append("---:|---:|---:|---:|");
    }
    md.append(head).append(tail).append('\n').append(rule).append("---|").append('\n');
    for (ReportData.Row r : d.rows()) {
      boolean best = r == d.best();
      String name = best ? "**" + r.point() + "** (best)"
          : r.trial().state() == TrialState.STOPPED ? r.point() + " (stopped)" : r.point();
      String c = r.clusters() ? Integer.toString(r.trial().point().clusters())
          : r.trial().point().kind() == GridPoint.Kind.GROUND_TRUTH ? r.trial().point().clusters() + " classes" : "-";
      String used = r.trial().clustering() == null ? "-" : Integer.toString(r.trial().clustering().used());
      md.append("| ").append(name).append(" | ").append(c).append(" | ").append(used).append(" | ")
          .append(summary(r.fid(), best)).append(" |");
      for (String result : others) {
        Summary v = r.others().get(result);
        md.append(' ').append(v == null ? "-" : EvaluationArtifact.meanStd(result, v)).append(" |");
      }
      if (d.hasClusterScores()) {
        ClusterScores s = r.trial().clustering() == null ? null : r.trial().clustering().scores();
        md.append(s == null ? " - | - | - | - |" : String.format(Locale.ROOT, " %.3f | %.3f | %.3f | %.3f |",
            s.nmi(), s.anmi(), s.ari(), s.acc()));
      }
      md.append(r.trial().evaluation() == null ? " - |" : " evaluation/" + r.trial().evaluation().artifactId() + " |");
      md.append('\n');
    }
    md.append('\n');
    if (d.best() != null) {
      md.append(String.format(Locale.ROOT, "Best: %s, %s %.2f (mean over %d sets of %d samples).%n%n",
          d.best().point(), metric, d.best().fid().mean(), d.best().trial().evaluation().fid().size(),
          d.best().trial().evaluation().samplesPerSet()));
    }
  }

  /**
   * Successive halving: each rung's decision with every point's score, the point picked per
   * method, and the device time it spent against the full grid's estimate.
   */
  private static void halving(StringBuilder md, ReportData d, HalvingCost cost) {
    if (d.halving() == null) {
      return;
    }
    GridSpec.SuccessiveHalving rule = d.halving();
    String metric = d.proxy() ? "proxy FID" : "FID";
    md.append("## Successive halving\n\n");
    md.append(String.format(Locale.ROOT, "At each rung the best ceil(n / %d) clustering points of each method continue "
        + "from their checkpoint; a point whose mean %s is within %s standard errors of the cut's (over %d sets of "
        + "%d samples) is kept as well. The baselines run to the end.%n%n", rule.eta(), metric,
        fmt(rule.noiseSigmas()), rule.sets(), rule.samples()));
    for (RungDecision decision : d.rungs()) {
      md.append(String.format(Locale.ROOT, "Rung %d, %s, at %.4f Mimg:%n%n", decision.rung() + 1,
          decision.method().id(), decision.kimg() / 1000));
      md.append("| point | ").append(metric).append(" (mean +- se) | decision | evaluation |\n|---|---:|---|---|\n");
      for (RungScore s : decision.scores()) {
        md.append(s.scored()
            ? String.format(Locale.ROOT, "| %s | %.2f +- %.2f | %s | evaluation/%s |%n", s.pointId(), s.mean(),
                decision.standardError(s), decision.outcome(s), s.evaluationId())
            : "| " + s.pointId() + " | - | " + decision.outcome(s) + " | - |\n");
      }
      md.append('\n');
    }
    List<ReportData.Row> picked = d.picked();
    if (!picked.isEmpty()) {
      md.append("Picked: ").append(String.join(", ", picked.stream().map(r -> String.format(Locale.ROOT,
          "**%s** (%s %.2f)", r.point(), metric, r.fid().mean())).toList())).append(".\n\n");
    }
    if (cost != null) {
      md.append("Device time: ").append(cost.describe()).append(".\n\n");
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** "mean +- std | min", or dashes before the trial is scored. */
  static String summary(Summary s, boolean bold) {
    if (s == null) {
      return "- | -";
    }
    String mean = String.format(Locale.ROOT, "%.2f +- %.2f", s.mean(), s.std());
    return (bold ? "**" + mean + "**" : mean) + String.format(Locale.ROOT, " | %.2f", s.min());
  }

  private static void search(StringBuilder md, ReportData d, Figure cmax) {
    md.append("## C_max search\n\n");
    List<Probe> evidence = d.evidence();
    if (evidence.isEmpty()) {
      md.append("The search was off (`search.enabled: false`) or has not finished; the grid came from `grid.points`.\n\n");
    } else {
      md.append("| C | r_C | clusters used | KL from uniform | objective | artifact |\n|---:|---:|---:|---:|---:|---|\n");
      for (Probe p : evidence) {
        md.append(String.format(Locale.ROOT, "| %d | %.4f | %d | %.4f | %.4f | clustering/%s |%n", p.clusters(),
            p.utilisation(), p.used(), p.klFromUniform(), p.objective(), p.artifactId()));
      }
      md.append('\n');
      if (d.cMax() != null) {
        md.append(String.format(Locale.ROOT, "C_max = %d: the largest C probed with r_C above alpha = %s. "
            + "The grid searches C in [2, C_max).%n%n", d.cMax(), d.alpha()));
      }
    }
    if (cmax != null) {
      md.append("![").append(cmax.caption()).append("](").append(cmax.file()).append(")\n\n");
    }
  }
}
