package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spec.disruption} of a NodePool.
 *
 * <p>Dovetail's own churn-control extension fields ({@code minimumSavings}, {@code
 * evictionRateLimit}) are optional and absent from upstream manifests, which then behave as
 * upstream; upstream's fields keep their names and defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Disruption {
  public static final String WHEN_EMPTY = "WhenEmpty";
  public static final String WHEN_EMPTY_OR_UNDERUTILIZED = "WhenEmptyOrUnderutilized";
  public static final String BALANCED = "Balanced";

  /** How long a node must be consolidatable before it is disrupted; {@code Never} disables. */
  @Pattern(NodeClaimTemplateSpec.NILLABLE_DURATION_PATTERN)
  @Default("0s")
  private String consolidateAfter = "0s";

  /** One of {@link ConsolidationPolicy}; ignored on static NodePools. */
  @SchemaFrom(type = ConsolidationPolicy.class)
  @Default(WHEN_EMPTY_OR_UNDERUTILIZED)
  private String consolidationPolicy = WHEN_EMPTY_OR_UNDERUTILIZED;

  /** The most restrictive active budget wins; defaults to one budget of 10%. */
  @Size(max = 50)
  @Default("[{\"nodes\":\"10%\"}]")
  @ValidationRule(
      value = "self.all(x, has(x.schedule) == has(x.duration))",
      message = "'schedule' must be set with 'duration'")
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

  /** Dovetail extension: the smallest saving a consolidation must reach. */
  private MinimumSavings minimumSavings;

  /** Dovetail extension: a cap on pods moved by voluntary disruption per period. */
  private EvictionRateLimit evictionRateLimit;

  public MinimumSavings getMinimumSavings() {
    return minimumSavings;
  }

  public void setMinimumSavings(MinimumSavings minimumSavings) {
    this.minimumSavings = minimumSavings;
  }

  public EvictionRateLimit getEvictionRateLimit() {
    return evictionRateLimit;
  }

  public void setEvictionRateLimit(EvictionRateLimit evictionRateLimit) {
    this.evictionRateLimit = evictionRateLimit;
  }
}
