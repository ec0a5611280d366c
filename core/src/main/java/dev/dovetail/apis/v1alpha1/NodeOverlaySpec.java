package dev.dovetail.apis.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/** {@code spec} of a NodeOverlay (upstream's NodeOverlaySpec, field for field). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.price) || !has(self.priceAdjustment)",
    message = "cannot set both 'price' and 'priceAdjustment'")
public class NodeOverlaySpec {
  /**
   * Upstream's pattern: {@code +0.5}, {@code -0.5}, {@code +10%}, {@code -15%} or {@code -100%}.
   */
  public static final String PRICE_ADJUSTMENT_PATTERN =
      "^(([+-]{1}(\\d*\\.?\\d+))|(\\+{1}\\d*\\.?\\d+%)|(^(-\\d{1,2}(\\.\\d+)?%)$)|(-100%))$";

  public static final String PRICE_PATTERN = "^\\d+(\\.\\d+)?$";

  /**
   * Which instance types (and offerings: zone, capacity type) the overlay applies to: well-known
   * labels, {@code karpenter.sh/nodepool} and the NodePools' template labels.
   */
  @Required
  @Size(max = 100)
  @ValidationRule(
      value = "self.all(x, x.operator == 'NotIn' ? x.values.size() != 0 : true)",
      message = "requirements with operator 'NotIn' must have a value defined")
  @ValidationRule(
      value = "self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)",
      message = "requirements with operator 'In' must have a value defined")
  @ValidationRule(
      value =
          "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' ||"
              + " x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)",
      message =
          "requirements operator 'Gt', 'Lt', 'Gte' or 'Lte' must have a single positive integer"
              + " value")
  public List<NodeOverlayRequirement> requirements;

  /**
   * A price change: absolute ({@code -0.5}, {@code +1.2}) or relative ({@code +10%}, {@code -15%}).
   */
  @Pattern(PRICE_ADJUSTMENT_PATTERN)
  public String priceAdjustment;

  /** The price, replacing the provider's, for the matching offerings. */
  @Pattern(PRICE_PATTERN)
  public String price;

  /** Extended resources added to the matching instance types (never cpu, memory, pods...). */
  @ValidationRule(
      value = "self.all(x, !(x in ['cpu', 'memory', 'ephemeral-storage', 'pods']))",
      message = "invalid resource restricted")
  public Map<String, Quantity> capacity;

  /** Higher first; equal weights are ordered by name, later in the alphabet first. */
  @Min(1)
  @Max(10000)
  public Integer weight;
}
