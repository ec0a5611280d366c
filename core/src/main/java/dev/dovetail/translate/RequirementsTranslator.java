package dev.dovetail.translate;

import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import java.util.ArrayList;
import java.util.List;

/** Engine {@link Requirements} to and from the karpenter.sh/v1 requirement list. */
public final class RequirementsTranslator {
  private RequirementsTranslator() {}

  public static List<NodeSelectorRequirementWithMinValues> toApi(Requirements reqs) {
    List<NodeSelectorRequirementWithMinValues> out = new ArrayList<>();
    for (Requirement r : reqs.all()) {
      for (Requirement.Expression e : r.toExpressions()) {
        out.add(
            new NodeSelectorRequirementWithMinValues(
                e.key(), e.operator().name(), e.values(), e.minValues()));
      }
    }
    return out;
  }

  public static Requirements fromApi(List<NodeSelectorRequirementWithMinValues> list) {
    List<Requirement> rs = new ArrayList<>();
    if (list != null) {
      for (NodeSelectorRequirementWithMinValues r : list) {
        Operator op = Operator.parse(r.getOperator());
        if (op == null) {
          throw new IllegalArgumentException(
              "requirement on " + r.getKey() + ": unknown operator " + r.getOperator());
        }
        rs.add(Requirement.of(r.getKey(), op, r.getValues(), r.getMinValues()));
      }
    }
    return Requirements.of(rs);
  }
}
