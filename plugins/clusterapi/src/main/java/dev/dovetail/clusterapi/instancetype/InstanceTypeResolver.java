package dev.dovetail.clusterapi.instancetype;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.CapiApi;
import dev.dovetail.clusterapi.capi.ReplicaScaler;
import dev.dovetail.clusterapi.capi.ScalableResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One instance type per scalable resource: capacity from the scale-from-zero annotations over the
 * infrastructure template's {@code status.capacity}; requirements from the labels CAPI propagates
 * to nodes, the {@code labels} annotation and the failure domain; one offering (zone × capacity
 * type) priced from the price annotations or the per-vCPU/GiB default, available while replicas are
 * below the max-size annotation.
 */
public final class InstanceTypeResolver {
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final long GIB = 1L << 30;
  private static final long DEFAULT_MAX_PODS = 110;

  private final CapiApi api;
  private final InstanceTypeDefaults defaults;

  public InstanceTypeResolver(CapiApi api, InstanceTypeDefaults defaults) {
    this.api = api;
    this.defaults = defaults;
  }

  public ResolvedResource resolve(ScalableResource r) {
    Map<String, String> annotations = r.annotations();
    Map<String, String> labels = nodeLabels(r);
    List<Taint> taints;
    Resources capacity;
    try {
      taints = ScaleFromZero.taints(annotations.get(Capi.TAINTS_ANNOTATION));
      capacity = ScaleFromZero.capacity(annotations, templateCapacity(r));
    } catch (IllegalArgumentException e) {
      return new ResolvedResource(r, null, labels, List.of(), e.getMessage());
    }
    if (capacity.get(Resources.CPU) <= 0 || capacity.get(Resources.MEMORY) <= 0) {
      return new ResolvedResource(
          r,
          null,
          labels,
          taints,
          "no cpu/memory capacity: set "
              + Capi.CPU_ANNOTATION
              + " and "
              + Capi.MEMORY_ANNOTATION
              + " (or status.capacity on the infrastructure template)");
    }
    if (!capacity.has(Resources.PODS)) {
      capacity = capacity.add(Resources.of(Resources.PODS, DEFAULT_MAX_PODS));
    }
    String name = instanceTypeName(r);
    String zone = labels.get(WellKnownLabels.ZONE);
    String capacityType =
        labels.getOrDefault(WellKnownLabels.CAPACITY_TYPE, WellKnownLabels.CAPACITY_TYPE_ON_DEMAND);
    labels.put(WellKnownLabels.INSTANCE_TYPE, name);
    labels.put(WellKnownLabels.CAPACITY_TYPE, capacityType);
    double price =
        ScaleFromZero.price(annotations)
            .orElse(
                capacity.get(Resources.CPU) / 1000.0 * defaults.pricePerVcpu()
                    + (double) capacity.get(Resources.MEMORY) / GIB * defaults.pricePerGib());
    ReplicaScaler.Bounds bounds = ReplicaScaler.Bounds.of(annotations);
    boolean available = r.replicas() < bounds.max();
    List<Requirement> reqs = new ArrayList<>();
    labels.forEach(
        (k, v) -> {
          if (!k.equals(WellKnownLabels.ZONE) && !k.equals(WellKnownLabels.CAPACITY_TYPE)) {
            reqs.add(Requirement.in(k, v));
          }
        });
    reqs.add(Requirement.in(WellKnownLabels.ZONE, zone));
    reqs.add(Requirement.in(WellKnownLabels.CAPACITY_TYPE, capacityType));
    InstanceType type =
        new InstanceType(
            name,
            Requirements.of(reqs),
            List.of(new Offering(zone, capacityType, price, available)),
            capacity,
            InstanceType.Overhead.NONE);
    return new ResolvedResource(r, type, labels, taints, null);
  }

  /**
   * The labels a node of this resource carries: the template labels CAPI propagates to nodes
   * ({@code node-role.kubernetes.io}, {@code node-restriction.kubernetes.io} and {@code
   * node.cluster.x-k8s.io} domains), the {@code labels} annotation over them, the zone from the
   * failure domain, and linux/the default architecture unless said otherwise (as cluster-autoscaler
   * assumes for scale from zero).
   */
  Map<String, String> nodeLabels(ScalableResource r) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(WellKnownLabels.OS, "linux");
    labels.put(WellKnownLabels.ARCH, defaults.arch());
    r.templateLabels()
        .forEach(
            (k, v) -> {
              if (propagated(k)) {
                labels.put(k, v);
              }
            });
    labels.putAll(ScaleFromZero.labels(r.annotations().get(Capi.LABELS_ANNOTATION)));
    String fd = r.failureDomain();
    if (fd != null && !fd.isBlank()) {
      labels.put(WellKnownLabels.ZONE, fd);
    }
    labels.putIfAbsent(WellKnownLabels.ZONE, defaults.zone());
    return labels;
  }

  private static boolean propagated(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String domain = key.substring(0, slash);
    return domain.equals("node-role.kubernetes.io")
        || domain.equals("node-restriction.kubernetes.io")
        || domain.endsWith(".node-restriction.kubernetes.io")
        || domain.equals("node.cluster.x-k8s.io")
        || domain.endsWith(".node.cluster.x-k8s.io");
  }

  /** The infrastructure template's {@code status.capacity}, or empty when absent or unreadable. */
  private Map<String, Object> templateCapacity(ScalableResource r) {
    Map<String, Object> ref = r.infrastructureRef();
    Object kind = ref.get("kind");
    Object name = ref.get("name");
    Object apiVersion = ref.containsKey("apiVersion") ? ref.get("apiVersion") : ref.get("apiGroup");
    if (kind == null || name == null || apiVersion == null) {
      return Map.of();
    }
    String ns =
        ref.get("namespace") != null ? ref.get("namespace").toString() : r.ref().namespace();
    return api.getAny(apiVersion.toString(), kind.toString(), ns, name.toString())
        .map(InstanceTypeResolver::capacityOf)
        .orElse(Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> capacityOf(GenericKubernetesResource t) {
    Object status = t.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> s && s.get("capacity") instanceof Map<?, ?> c) {
      return (Map<String, Object>) c;
    }
    return Map.of();
  }

  /**
   * The resource's name when it is a valid label value (the node's instance-type label carries it),
   * else a shortened form with a hash of the full name.
   */
  static String instanceTypeName(ScalableResource r) {
    String name = r.ref().name();
    if (name.length() <= 63 && LABEL_VALUE.matcher(name).matches()) {
      return name;
    }
    String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    String prefix = cleaned.substring(0, Math.min(54, cleaned.length())).replaceAll("[-._]+$", "");
    return (prefix.isEmpty() ? "x" : prefix) + "-" + hash(r.ref().toString());
  }

  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
