package dev.dovetail.aws.launch;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.nodeclass.KubeletSettings;
import dev.dovetail.cloudprovider.NodeClassNotReadyException;
import dev.dovetail.cloudprovider.Taint;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Bootstrap user data per AMI family, merged with the NodeClass's own user data:
 *
 * <ul>
 *   <li>AL2023: a MIME archive: the user's parts (MIME parts, a NodeConfig, or a script) first,
 *       then Karpenter's nodeadm {@code NodeConfig} last, so nodeadm merges ours over theirs;
 *   <li>Bottlerocket: TOML; the user's settings are kept and ours win on the keys we set;
 *   <li>AL2: a MIME archive with the user's parts and then {@code /etc/eks/bootstrap.sh};
 *   <li>Windows: the user's PowerShell, then the EKS bootstrap script, in one {@code <powershell>}
 *       block;
 *   <li>Custom: the user's data unchanged.
 * </ul>
 *
 * Returns base64, as EC2 launch templates take it.
 */
public final class UserData {
  private UserData() {}

  /** What bootstrap needs to know. */
  public record Options(
      String clusterName,
      String clusterEndpoint,
      String caBundle,
      String clusterCidr,
      Map<String, String> labels,
      List<Taint> taints,
      KubeletSettings kubelet,
      boolean raid0,
      String customUserData) {}

  public static String build(AmiFamily family, Options o) {
    String raw =
        switch (family) {
          case AL2023 -> al2023(o);
          case Bottlerocket -> bottlerocket(o);
          case AL2 -> al2(o);
          case Windows2019, Windows2022, Windows2025 -> windows(o);
          case Custom -> o.customUserData() == null ? "" : o.customUserData();
        };
    return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static String al2023(Options o) {
    if (o.clusterCidr() == null || o.clusterCidr().isBlank()) {
      // nodeadm refuses a NodeConfig without the service CIDR; upstream reports NotReady too.
      throw new NodeClassNotReadyException(
          "AL2023 needs the cluster's service CIDR: set provider setting clusterCIDR");
    }
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("name", o.clusterName());
    cluster.put("apiServerEndpoint", o.clusterEndpoint());
    if (o.caBundle() != null && !o.caBundle().isBlank()) {
      // nodeadm's certificateAuthority is []byte: base64 in YAML, i.e. the bundle as given.
      cluster.put("certificateAuthority", o.caBundle());
    }
    cluster.put("cidr", o.clusterCidr());
    Map<String, Object> config = new LinkedHashMap<>(o.kubelet().raw());
    List<Map<String, String>> taints = new ArrayList<>();
    for (Taint t : o.taints()) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("key", t.key());
      if (!t.value().isEmpty()) {
        m.put("value", t.value());
      }
      m.put("effect", t.effect());
      taints.add(m);
    }
    config.put("registerWithTaints", taints);
    Map<String, Object> kubelet = new LinkedHashMap<>();
    kubelet.put("config", config);
    String labels = labelArg(o.labels());
    if (!labels.isEmpty()) {
      kubelet.put("flags", List.of("--node-labels=" + labels));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("cluster", cluster);
    if (o.raid0()) {
      spec.put("instance", Map.of("localStorage", Map.of("strategy", "RAID0")));
    }
    spec.put("kubelet", kubelet);
    Map<String, Object> nodeConfig = new LinkedHashMap<>();
    nodeConfig.put("apiVersion", "node.eks.aws/v1alpha1");
    nodeConfig.put("kind", "NodeConfig");
    nodeConfig.put("spec", spec);
    String yaml = Serialization.asYaml(nodeConfig);
    if (yaml.startsWith("---\n")) {
      yaml = yaml.substring(4);
    }
    List<Mime.Part> parts = new ArrayList<>(userParts(o.customUserData(), true));
    parts.add(new Mime.Part(Mime.NODE_CONFIG, "# Karpenter Generated NodeConfig\n" + yaml));
    return Mime.write(parts);
  }

  /** The user's data as MIME parts: an archive's parts, a NodeConfig, or a shell script. */
  static List<Mime.Part> userParts(String userData, boolean nodeadm) {
    if (userData == null || userData.isBlank()) {
      return List.of();
    }
    if (Mime.isMime(userData)) {
      return Mime.parse(userData);
    }
    if (nodeadm && !userData.strip().startsWith("#!") && userData.contains("NodeConfig")) {
      return List.of(new Mime.Part(Mime.NODE_CONFIG, userData));
    }
    return List.of(new Mime.Part(Mime.SHELL, userData));
  }

  @SuppressWarnings("unchecked")
  static String bottlerocket(Options o) {
    Map<String, Object> doc =
        o.customUserData() == null || o.customUserData().isBlank()
            ? new LinkedHashMap<>()
            : Toml.parse(o.customUserData());
    Map<String, Object> settings =
        (Map<String, Object>) doc.computeIfAbsent("settings", k -> new LinkedHashMap<>());
    Map<String, Object> k8s =
        (Map<String, Object>) settings.computeIfAbsent("kubernetes", k -> new LinkedHashMap<>());
    k8s.put("cluster-name", o.clusterName());
    k8s.put("api-server", o.clusterEndpoint());
    if (o.caBundle() != null && !o.caBundle().isBlank()) {
      k8s.put("cluster-certificate", o.caBundle());
    }
    Map<String, Object> labels =
        (Map<String, Object>) k8s.computeIfAbsent("node-labels", k -> new LinkedHashMap<>());
    labels.putAll(bootstrapLabels(o.labels()));
    KubeletSettings kl = o.kubelet();
    if (kl.maxPods() != null) {
      k8s.put("max-pods", (long) kl.maxPods());
    }
    if (kl.clusterDNS() != null && !kl.clusterDNS().isEmpty()) {
      k8s.put("cluster-dns-ip", kl.clusterDNS().get(0));
    }
    putMap(k8s, "system-reserved", kl.systemReserved());
    putMap(k8s, "kube-reserved", kl.kubeReserved());
    putMap(k8s, "eviction-hard", kl.evictionHard());
    putMap(k8s, "eviction-soft", kl.evictionSoft());
    // As upstream: the soft-eviction grace periods (durations) and the pod grace period cap.
    if (kl.raw().get("evictionSoftGracePeriod") instanceof Map<?, ?> grace && !grace.isEmpty()) {
      Map<String, Object> periods = new LinkedHashMap<>();
      grace.forEach((k, v) -> periods.put(String.valueOf(k), String.valueOf(v)));
      k8s.put("eviction-soft-grace-period", periods);
    }
    if (kl.raw().get("evictionMaxPodGracePeriod") instanceof Number n) {
      k8s.put("eviction-max-pod-grace-period", n.longValue());
    }
    Object hi = kl.raw().get("imageGCHighThresholdPercent");
    if (hi != null) {
      k8s.put("image-gc-high-threshold-percent", String.valueOf(hi));
    }
    Object lo = kl.raw().get("imageGCLowThresholdPercent");
    if (lo != null) {
      k8s.put("image-gc-low-threshold-percent", String.valueOf(lo));
    }
    Object cfs = kl.raw().get("cpuCFSQuota");
    if (cfs instanceof Boolean b) {
      k8s.put("cpu-cfs-quota-enforced", b);
    }
    Map<String, Object> taints = new LinkedHashMap<>();
    for (Taint t : o.taints()) {
      ((List<Object>) taints.computeIfAbsent(t.key(), k -> new ArrayList<>()))
          .add(t.value() + ":" + t.effect());
    }
    k8s.put("node-taints", taints);
    if (o.raid0()) {
      Map<String, Object> cmds =
          (Map<String, Object>)
              settings.computeIfAbsent("bootstrap-commands", k -> new LinkedHashMap<>());
      Map<String, Object> mount = new LinkedHashMap<>();
      mount.put(
          "commands",
          List.of(
              List.of("apiclient", "ephemeral-storage", "init"),
              List.of(
                  "apiclient",
                  "ephemeral-storage",
                  "bind",
                  "--dirs",
                  "/var/lib/containerd",
                  "/var/lib/kubelet",
                  "/var/log/pods")));
      mount.put("essential", true);
      mount.put("mode", "always");
      cmds.put("000-mount-instance-storage", mount);
    }
    return Toml.write(doc);
  }

  private static void putMap(Map<String, Object> into, String key, Map<String, String> values) {
    if (values != null && !values.isEmpty()) {
      into.put(key, new LinkedHashMap<String, Object>(values));
    }
  }

  static String al2(Options o) {
    StringBuilder args = new StringBuilder();
    String labels = labelArg(o.labels());
    if (!labels.isEmpty()) {
      args.append("--node-labels=").append(labels);
    }
    if (!o.taints().isEmpty()) {
      if (args.length() > 0) {
        args.append(' ');
      }
      args.append("--register-with-taints=")
          .append(o.taints().stream().map(Taint::toString).collect(Collectors.joining(",")));
    }
    StringBuilder script = new StringBuilder("#!/bin/bash -xe\n");
    script.append(
        "exec > >(tee /var/log/user-data.log|logger -t user-data -s 2>/dev/console) 2>&1\n");
    script.append("/etc/eks/bootstrap.sh '").append(o.clusterName()).append("'");
    script.append(" --apiserver-endpoint '").append(o.clusterEndpoint()).append("'");
    if (o.caBundle() != null && !o.caBundle().isBlank()) {
      script.append(" --b64-cluster-ca '").append(o.caBundle()).append("'");
    }
    if (o.kubelet().maxPods() != null) {
      script.append(" --use-max-pods false");
      args.append(" --max-pods=").append(o.kubelet().maxPods());
    }
    if (o.kubelet().clusterDNS() != null && !o.kubelet().clusterDNS().isEmpty()) {
      script.append(" --dns-cluster-ip '").append(o.kubelet().clusterDNS().get(0)).append("'");
    }
    if (o.raid0()) {
      script.append(" --local-disks raid0");
    }
    for (String flag : kubeletFlags(o.kubelet())) {
      args.append(' ').append(flag);
    }
    script.append(" --kubelet-extra-args '").append(args.toString().trim()).append("'\n");
    List<Mime.Part> parts = new ArrayList<>(userParts(o.customUserData(), false));
    parts.add(new Mime.Part(Mime.SHELL, script.toString()));
    return Mime.write(parts);
  }

  /**
   * The kubelet settings AL2's bootstrap.sh and Windows' Start-EKSBootstrap.ps1 take as extra
   * kubelet flags, as upstream passes them (maps sorted so the user data, and with it the launch
   * template's name, is stable).
   */
  static List<String> kubeletFlags(KubeletSettings kl) {
    List<String> flags = new ArrayList<>();
    if (kl.podsPerCore() != null) {
      flags.add("--pods-per-core=" + kl.podsPerCore());
    }
    joined(flags, "--system-reserved", kl.systemReserved(), "=");
    joined(flags, "--kube-reserved", kl.kubeReserved(), "=");
    joined(flags, "--eviction-hard", kl.evictionHard(), "<");
    joined(flags, "--eviction-soft", kl.evictionSoft(), "<");
    if (kl.raw().get("evictionSoftGracePeriod") instanceof Map<?, ?> grace) {
      Map<String, String> periods = new java.util.TreeMap<>();
      grace.forEach((k, v) -> periods.put(String.valueOf(k), String.valueOf(v)));
      joined(flags, "--eviction-soft-grace-period", periods, "=");
    }
    if (kl.raw().get("evictionMaxPodGracePeriod") instanceof Number n) {
      flags.add("--eviction-max-pod-grace-period=" + n.longValue());
    }
    if (kl.raw().get("imageGCHighThresholdPercent") instanceof Number n) {
      flags.add("--image-gc-high-threshold=" + n.longValue());
    }
    if (kl.raw().get("imageGCLowThresholdPercent") instanceof Number n) {
      flags.add("--image-gc-low-threshold=" + n.longValue());
    }
    if (kl.raw().get("cpuCFSQuota") instanceof Boolean b) {
      flags.add("--cpu-cfs-quota=" + b);
    }
    return flags;
  }

  private static void joined(
      List<String> flags, String name, Map<String, String> values, String separator) {
    if (values == null || values.isEmpty()) {
      return;
    }
    String joined =
        new java.util.TreeMap<>(values)
            .entrySet().stream()
                .map(e -> e.getKey() + separator + e.getValue())
                .collect(Collectors.joining(","));
    flags.add(name + "=\"" + joined + "\"");
  }

  static String windows(Options o) {
    String user = o.customUserData() == null ? "" : o.customUserData().strip();
    user = user.replace("<powershell>", "").replace("</powershell>", "").strip();
    StringBuilder args = new StringBuilder();
    String labels = labelArg(o.labels());
    if (!labels.isEmpty()) {
      args.append("--node-labels=\"").append(labels).append('"');
    }
    if (!o.taints().isEmpty()) {
      args.append(args.length() > 0 ? " " : "")
          .append("--register-with-taints=\"")
          .append(o.taints().stream().map(Taint::toString).collect(Collectors.joining(",")))
          .append('"');
    }
    if (o.kubelet().maxPods() != null) {
      args.append(args.length() > 0 ? " " : "").append("--max-pods=").append(o.kubelet().maxPods());
    }
    for (String flag : kubeletFlags(o.kubelet())) {
      args.append(args.length() > 0 ? " " : "").append(flag);
    }
    StringBuilder sb = new StringBuilder("<powershell>\n");
    if (!user.isEmpty()) {
      sb.append(user).append('\n');
    }
    sb.append(
        "[string]$EKSBootstrapScriptFile = \"$env:ProgramFiles\\Amazon\\EKS\\Start-EKSBootstrap.ps1\"\n");
    sb.append("& $EKSBootstrapScriptFile -EKSClusterName '").append(o.clusterName()).append("'");
    sb.append(" -APIServerEndpoint '").append(o.clusterEndpoint()).append("'");
    if (o.caBundle() != null && !o.caBundle().isBlank()) {
      sb.append(" -Base64ClusterCA '").append(o.caBundle()).append("'");
    }
    if (args.length() > 0) {
      sb.append(" -KubeletExtraArgs '").append(args).append("'");
    }
    if (o.kubelet().clusterDNS() != null && !o.kubelet().clusterDNS().isEmpty()) {
      sb.append(" -DNSClusterIP '").append(o.kubelet().clusterDNS().get(0)).append("'");
    }
    sb.append(" 3>&1 4>&1 5>&1 6>&1\n</powershell>");
    return sb.toString();
  }

  private static final java.util.Set<String> KUBELET_ALLOWED =
      java.util.Set.of(
          "kubernetes.io/hostname",
          "kubernetes.io/arch",
          "kubernetes.io/os",
          "beta.kubernetes.io/instance-type",
          "beta.kubernetes.io/arch",
          "beta.kubernetes.io/os",
          "node.kubernetes.io/instance-type",
          "failure-domain.beta.kubernetes.io/region",
          "failure-domain.beta.kubernetes.io/zone",
          "topology.kubernetes.io/region",
          "topology.kubernetes.io/zone");

  /**
   * Whether kubelet accepts the label on {@code --node-labels}: it refuses unknown labels in the
   * kubernetes.io and k8s.io namespaces (except kubelet.kubernetes.io and node.kubernetes.io), and
   * would then not start at all. Such labels are applied to the Node at registration instead.
   */
  static boolean kubeletMaySet(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return true;
    }
    String domain = key.substring(0, slash);
    boolean restricted =
        domain.equals("kubernetes.io")
            || domain.endsWith(".kubernetes.io")
            || domain.equals("k8s.io")
            || domain.endsWith(".k8s.io");
    if (!restricted || KUBELET_ALLOWED.contains(key)) {
      return true;
    }
    return domain.equals("kubelet.kubernetes.io")
        || domain.endsWith(".kubelet.kubernetes.io")
        || domain.equals("node.kubernetes.io")
        || domain.endsWith(".node.kubernetes.io");
  }

  private static Map<String, String> bootstrapLabels(Map<String, String> labels) {
    Map<String, String> out = new TreeMap<>();
    labels.forEach(
        (k, v) -> {
          if (kubeletMaySet(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static String labelArg(Map<String, String> labels) {
    return bootstrapLabels(labels).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
