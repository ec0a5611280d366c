package dev.dovetail.plugins.simulated;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provider-specific labels a node of a catalog entry carries, under each cloud's upstream
 * Karpenter prefix so NodePools written for that cloud select the same shapes here.
 *
 * <ul>
 *   <li>aws ({@code karpenter.k8s.aws/}): instance-family, instance-category, instance-generation,
 *       instance-size, instance-cpu, instance-memory (MiB), instance-gpu-count and
 *       instance-gpu-manufacturer when it has GPUs — upstream names and meanings.
 *   <li>azure ({@code karpenter.azure.com/}): sku-name, sku-family (the letters of the series, e.g.
 *       {@code D} for {@code Standard_D4s_v5}), sku-version, sku-cpu, sku-memory (MiB),
 *       sku-gpu-count and sku-gpu-manufacturer when it has GPUs — upstream names.
 *   <li>gcp ({@code karpenter.k8s.gcp/}): instance-family, instance-category, instance-cpu,
 *       instance-memory (MiB), instance-gpu-count, instance-gpu-manufacturer — the AWS names under
 *       the GCENodeClass group; there is no settled upstream list to follow.
 * </ul>
 */
public final class InstanceTypeLabels {
  public static final String AWS = "karpenter.k8s.aws/";
  public static final String AZURE = "karpenter.azure.com/";
  public static final String GCP = "karpenter.k8s.gcp/";

  private static final Pattern AWS_FAMILY = Pattern.compile("^([a-z]+?)(\\d+)(.*)$");
  private static final Pattern AZURE_SERIES = Pattern.compile("^Standard_([A-Z]+)");
  private static final Pattern AZURE_VERSION = Pattern.compile("_v(\\d+)$");
  private static final Pattern GCP_CATEGORY = Pattern.compile("^([a-z]+)");

  private InstanceTypeLabels() {}

  /** Provider labels of the entry (without the well-known ones). */
  public static Map<String, String> of(String provider, CatalogEntry e) {
    Map<String, String> labels = new LinkedHashMap<>();
    switch (provider.toLowerCase(Locale.ROOT)) {
      case "aws" -> aws(e, labels);
      case "azure" -> azure(e, labels);
      case "gcp" -> gcp(e, labels);
      default -> {}
    }
    return labels;
  }

  /**
   * The label prefix the provider's own labels use. A type that lacks one of these labels (e.g. the
   * GPU ones on a CPU-only type) simply does not define it, which the plugin API reads as "label
   * absent": {@code gpu-count Exists} rules the type out, {@code DoesNotExist} and {@code NotIn}
   * admit it.
   */
  public static String prefix(String provider) {
    return switch (provider.toLowerCase(Locale.ROOT)) {
      case "aws" -> AWS;
      case "azure" -> AZURE;
      case "gcp" -> GCP;
      default -> null;
    };
  }

  private static void aws(CatalogEntry e, Map<String, String> labels) {
    labels.put(AWS + "instance-family", e.family());
    Matcher m = AWS_FAMILY.matcher(e.family());
    if (m.matches()) {
      labels.put(AWS + "instance-category", m.group(1));
      labels.put(AWS + "instance-generation", m.group(2));
    }
    int dot = e.name().indexOf('.');
    if (dot > 0) {
      labels.put(AWS + "instance-size", e.name().substring(dot + 1));
    }
    labels.put(AWS + "instance-cpu", Integer.toString(e.vcpu()));
    labels.put(AWS + "instance-memory", Long.toString(e.memoryMiB()));
    gpu(AWS + "instance-", e, labels);
  }

  private static void azure(CatalogEntry e, Map<String, String> labels) {
    labels.put(AZURE + "sku-name", e.name());
    Matcher series = AZURE_SERIES.matcher(e.name());
    if (series.find()) {
      labels.put(AZURE + "sku-family", series.group(1));
    }
    Matcher version = AZURE_VERSION.matcher(e.name());
    labels.put(AZURE + "sku-version", version.find() ? version.group(1) : "1");
    labels.put(AZURE + "sku-cpu", Integer.toString(e.vcpu()));
    labels.put(AZURE + "sku-memory", Long.toString(e.memoryMiB()));
    gpu(AZURE + "sku-", e, labels);
  }

  private static void gcp(CatalogEntry e, Map<String, String> labels) {
    labels.put(GCP + "instance-family", e.family());
    Matcher m = GCP_CATEGORY.matcher(e.family());
    if (m.find()) {
      labels.put(GCP + "instance-category", m.group(1));
    }
    labels.put(GCP + "instance-cpu", Integer.toString(e.vcpu()));
    labels.put(GCP + "instance-memory", Long.toString(e.memoryMiB()));
    gpu(GCP + "instance-", e, labels);
  }

  private static void gpu(String prefix, CatalogEntry e, Map<String, String> labels) {
    if (e.gpu() > 0) {
      labels.put(prefix + "gpu-count", Integer.toString(e.gpu()));
      if (e.gpuVendor() != null) {
        labels.put(prefix + "gpu-manufacturer", e.gpuVendor());
      }
    }
  }
}
