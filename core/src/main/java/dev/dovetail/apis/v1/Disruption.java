package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.ArrayList;
import java.util.List;

/** {@code spec.disruption} of a NodePool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Disruption {
  public static final String WHEN_EMPTY = "WhenEmpty";
  public static final String WHEN_EMPTY_OR_UNDERUTILIZED = "WhenEmptyOrUnderutilized";
  public static final String BALANCED = "Balanced";

  @Pattern("^(([0-9]+(s|m|h))+|Never)$")
  @Default("0s")
  private String consolidateAfter = "0s";

  @Default(WHEN_EMPTY_OR_UNDERUTILIZED)
  private String consolidationPolicy = WHEN_EMPTY_OR_UNDERUTILIZED;

  private List<Budget> budgets = new ArrayList<>(List.of(new Budget("10%")));

  public String getConsolidateAfter() {
    return consolidateAfter;
  }

  public void setConsolidateAfter(String consolidateAfter) {
    this.consolidateAfter = consolidateAfter;
  }

  public String getConsolidationPolicy() {
    return consolidationPolicy;
  }

  public void setConsolidationPolicy(String consolidationPolicy) {
    this.consolidationPolicy = consolidationPolicy;
  }

  public List<Budget> getBudgets() {
    return budgets;
  }

  public void setBudgets(List<Budget> budgets) {
    this.budgets = budgets;
  }
}
