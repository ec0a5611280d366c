package dev.dovetail.azure.instancetype;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a VM size name says (Azure's naming convention, as upstream parses it): {@code
 * Standard_D4pls_v6} is family {@code D}, series {@code Dpls_v6}, version {@code 6}; GPU sizes name
 * their accelerator ({@code Standard_NC24ads_A100_v4} → A100).
 *
 * @param family the leading letter(s), e.g. {@code D}, {@code NC}
 * @param series the name without the tier and the vCPU count, e.g. {@code Dpls_v6}
 * @param version the generation without {@code v}, {@code 1} when the name has none
 */
public record SkuName(String family, String series, String version) {
  private static final Pattern NAME =
      Pattern.compile(
          "^(?:Standard|Basic)_([A-Z]+)(\\d+)(-\\d+)?([a-z]*)((?:_[A-Za-z0-9]+)*?)(?:_v(\\d+))?$");

  public static SkuName parse(String sku) {
    Matcher m = NAME.matcher(sku);
    if (!m.matches()) {
      return new SkuName("", "", "1");
    }
    String family = m.group(1);
    String version = m.group(6) == null ? "1" : m.group(6);
    String series =
        family + m.group(4) + m.group(5) + (m.group(6) == null ? "" : "_v" + m.group(6));
    return new SkuName(family, series, version);
  }

  /** The GPU model of an N-series size, or empty for a size without a known accelerator. */
  public static String gpuName(String sku) {
    String s = sku.toUpperCase(Locale.ROOT);
    for (String model :
        new String[] {"H100", "H200", "A100", "A10", "T4", "V100", "MI300X", "V620"}) {
      if (s.contains("_" + model)) {
        return model;
      }
    }
    if (s.matches("STANDARD_NC\\d+S?_V3")) {
      return "V100";
    }
    if (s.matches("STANDARD_NC\\d+AS_T4_V3")) {
      return "T4";
    }
    if (s.matches("STANDARD_NV\\d+S_V3")) {
      return "M60";
    }
    return "";
  }

  /** NVIDIA unless the size names an AMD accelerator. */
  public static String gpuManufacturer(String sku) {
    String g = gpuName(sku);
    return g.startsWith("MI") || g.equals("V620") ? "amd" : "nvidia";
  }
}
