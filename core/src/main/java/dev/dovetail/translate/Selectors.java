package dev.dovetail.translate;

import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Label selectors and node selector terms as engine {@link Requirements}. */
public final class Selectors {
  private Selectors() {}

  /** A pod label selector; null stays null (matches nothing), empty matches everything. */
  public static Requirements labelSelector(LabelSelector s) {
    if (s == null) {
      return null;
    }
    List<Requirement> rs = new ArrayList<>();
    if (s.getMatchLabels() != null) {
      s.getMatchLabels().forEach((k, v) -> rs.add(Requirement.in(k, v)));
    }
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement e : s.getMatchExpressions()) {
        rs.add(Requirement.of(e.getKey(), op(e.getOperator()), nonNull(e.getValues()), null));
      }
    }
    return Requirements.of(rs);
  }

  /**
   * Whether a label selector selects an object with these labels, as the API server's {@code
   * metav1.LabelSelectorAsSelector} does: a null selector selects nothing, an empty one everything;
   * each {@code matchLabels} entry and each {@code matchExpressions} entry must hold (In: the label
   * is present with one of the values; NotIn: absent or none of them; Exists; DoesNotExist). An
   * operator a label selector does not take selects nothing. The one matcher for PDBs, the
   * disruption model and the simulated PDB status.
   */
  public static boolean matches(LabelSelector s, Map<String, String> labels) {
    if (s == null) {
      return false;
    }
    Map<String, String> ls = labels == null ? Map.of() : labels;
    if (s.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : s.getMatchLabels().entrySet()) {
        if (!ls.containsKey(e.getKey())
            || !java.util.Objects.equals(e.getValue(), ls.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement e : s.getMatchExpressions()) {
        if (!holds(e, ls)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean holds(LabelSelectorRequirement e, Map<String, String> labels) {
    boolean present = labels.containsKey(e.getKey());
    List<String> values = nonNull(e.getValues());
    String op = e.getOperator() == null ? "" : e.getOperator();
    return switch (op) {
      case "In" -> present && values.contains(labels.get(e.getKey()));
      case "NotIn" -> !present || !values.contains(labels.get(e.getKey()));
      case "Exists" -> present;
      case "DoesNotExist" -> !present;
      default -> false;
    };
  }

  /** A selector with matchLabelKeys (In the pod's value) and mismatchLabelKeys (NotIn) merged. */
  public static Requirements withLabelKeys(
      Requirements selector,
      List<String> matchLabelKeys,
      List<String> mismatchLabelKeys,
      Map<String, String> podLabels) {
    if (selector == null) {
      return null;
    }
    Requirements out = selector;
    if (matchLabelKeys != null) {
      for (String k : matchLabelKeys) {
        String v = podLabels.get(k);
        if (v != null) {
          out = out.and(Requirement.in(k, v));
        }
      }
    }
    if (mismatchLabelKeys != null) {
      for (String k : mismatchLabelKeys) {
        String v = podLabels.get(k);
        if (v != null) {
          out = out.and(Requirement.of(k, Operator.NotIn, v));
        }
      }
    }
    return out;
  }

  /** One node selector term (matchExpressions; matchFields on metadata.name as the hostname). */
  public static Requirements nodeSelectorTerm(NodeSelectorTerm t) {
    List<Requirement> rs = new ArrayList<>();
    if (t.getMatchExpressions() != null) {
      for (NodeSelectorRequirement e : t.getMatchExpressions()) {
        rs.add(Requirement.of(e.getKey(), op(e.getOperator()), nonNull(e.getValues()), null));
      }
    }
    if (t.getMatchFields() != null) {
      for (NodeSelectorRequirement e : t.getMatchFields()) {
        if ("metadata.name".equals(e.getKey())) {
          // Node names equal hostnames for the nodes Dovetail launches.
          rs.add(
              Requirement.of(
                  "kubernetes.io/hostname", op(e.getOperator()), nonNull(e.getValues()), null));
        }
      }
    }
    return Requirements.of(rs);
  }

  static Operator op(String name) {
    Operator op = Operator.parse(name);
    if (op == null) {
      throw new IllegalArgumentException("unknown selector operator " + name);
    }
    return op;
  }

  static List<String> nonNull(List<String> v) {
    return v == null ? List.of() : v;
  }
}
