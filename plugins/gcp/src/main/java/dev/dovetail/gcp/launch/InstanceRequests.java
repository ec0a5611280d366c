package dev.dovetail.gcp.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.compute.v1.AccessConfig;
import com.google.cloud.compute.v1.AliasIpRange;
import com.google.cloud.compute.v1.AttachedDisk;
import com.google.cloud.compute.v1.AttachedDiskInitializeParams;
import com.google.cloud.compute.v1.ConfidentialInstanceConfig;
import com.google.cloud.compute.v1.CustomerEncryptionKey;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.Items;
import com.google.cloud.compute.v1.Metadata;
import com.google.cloud.compute.v1.NetworkInterface;
import com.google.cloud.compute.v1.Scheduling;
import com.google.cloud.compute.v1.ServiceAccount;
import com.google.cloud.compute.v1.ShieldedInstanceConfig;
import com.google.cloud.compute.v1.Tags;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.gcp.GcpSettings;
import dev.dovetail.gcp.instancetype.GceLabels;
import dev.dovetail.gcp.instancetype.InstanceTypeMapper;
import dev.dovetail.gcp.instancetype.MachineTypeInfo;
import dev.dovetail.gcp.nodeclass.NodeClassHash;
import dev.dovetail.gcp.v1alpha1.Disk;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.gcp.v1alpha1.GCENodeClassSpec;
import dev.dovetail.gcp.v1alpha1.NetworkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the {@code instances.insert} body for one NodeClaim on one offering: machine type, boot
 * disk from the resolved image (plus data and secondary boot disks), network interfaces, bootstrap
 * metadata, ownership labels, service account, scheduling (SPOT or on-demand), Shielded and
 * Confidential VM settings.
 */
public final class InstanceRequests {
  /** GCE labels the plugin owns (keys are GCE-legal forms of Karpenter's). */
  public static final String LABEL_CLUSTER = "karpenter-k8s-gcp-cluster";

  public static final String LABEL_NODEPOOL = "karpenter-sh-nodepool";
  public static final String LABEL_NODECLAIM = "karpenter-sh-nodeclaim";
  public static final String LABEL_NODECLASS = "karpenter-k8s-gcp-gcenodeclass";
  public static final String LABEL_NODECLASS_HASH = "karpenter-k8s-gcp-gcenodeclass-hash";
  public static final String LABEL_GKE_CLUSTER = "goog-k8s-cluster-name";
  public static final String LABEL_GKE_LOCATION = "goog-k8s-cluster-location";

  /** Metadata keys carrying exact names (labels cannot hold every character of them). */
  public static final String META_NODECLAIM = "karpenter-nodeclaim";

  public static final String META_NODEPOOL = "karpenter-nodepool";
  public static final String META_IMAGE = "karpenter-source-image";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  private final GcpSettings settings;

  public InstanceRequests(GcpSettings settings) {
    this.settings = settings;
  }

  public Instance build(
      NodeClaimView claim,
      GCENodeClass nodeClass,
      MachineTypeInfo type,
      String zone,
      boolean spot,
      String sourceImage) {
    GCENodeClassSpec spec =
        nodeClass.getSpec() == null ? new GCENodeClassSpec() : nodeClass.getSpec();
    Instance.Builder b =
        Instance.newBuilder()
            .setName(GceNames.instanceName(claim.name()))
            .setMachineType("zones/" + zone + "/machineTypes/" + type.name())
            .addAllDisks(disks(spec, zone, sourceImage))
            .addAllNetworkInterfaces(networkInterfaces(spec))
            .setMetadata(metadata(claim, nodeClass, type, sourceImage))
            .putAllLabels(labels(claim, nodeClass))
            .setScheduling(scheduling(spot, type.acceleratorCount() > 0, spec));
    String sa = spec.serviceAccount != null ? spec.serviceAccount : settings.serviceAccount();
    if (sa != null && !sa.isBlank()) {
      b.addServiceAccounts(ServiceAccount.newBuilder().setEmail(sa).addScopes(CLOUD_PLATFORM));
    }
    if (spec.networkTags != null && !spec.networkTags.isEmpty()) {
      b.setTags(Tags.newBuilder().addAllItems(spec.networkTags));
    }
    if (spec.shieldedInstanceConfig != null) {
      var s = spec.shieldedInstanceConfig;
      ShieldedInstanceConfig.Builder sb = ShieldedInstanceConfig.newBuilder();
      if (s.enableSecureBoot != null) {
        sb.setEnableSecureBoot(s.enableSecureBoot);
      }
      if (s.enableVtpm != null) {
        sb.setEnableVtpm(s.enableVtpm);
      }
      if (s.enableIntegrityMonitoring != null) {
        sb.setEnableIntegrityMonitoring(s.enableIntegrityMonitoring);
      }
      b.setShieldedInstanceConfig(sb);
    }
    if (spec.confidentialInstanceType != null) {
      b.setConfidentialInstanceConfig(
          ConfidentialInstanceConfig.newBuilder()
              .setConfidentialInstanceType(spec.confidentialInstanceType.name()));
    }
    return b.build();
  }

  /** SPOT: delete on preemption, terminate on maintenance, no restart; GPUs cannot live-migrate. */
  static Scheduling scheduling(boolean spot, boolean gpu, GCENodeClassSpec spec) {
    Scheduling.Builder s = Scheduling.newBuilder();
    boolean mustTerminate = gpu || spec.confidentialInstanceType != null;
    if (spot) {
      s.setProvisioningModel("SPOT")
          .setInstanceTerminationAction("DELETE")
          .setOnHostMaintenance("TERMINATE")
          .setAutomaticRestart(false);
    } else {
      s.setProvisioningModel("STANDARD")
          .setOnHostMaintenance(mustTerminate ? "TERMINATE" : "MIGRATE")
          .setAutomaticRestart(true);
    }
    return s.build();
  }

  private List<AttachedDisk> disks(GCENodeClassSpec spec, String zone, String sourceImage) {
    List<AttachedDisk> out = new ArrayList<>();
    Disk boot = null;
    if (spec.disks != null) {
      for (Disk d : spec.disks) {
        if (d.isBoot() && boot == null) {
          boot = d;
        }
      }
    }
    long bootGiB =
        boot != null && boot.sizeGiB != null
            ? boot.sizeGiB
            : InstanceTypeMapper.DEFAULT_BOOT_DISK_GIB;
    String bootType =
        boot != null && boot.category != null ? boot.category.gceName() : "pd-balanced";
    out.add(attached(boot, true, zone, bootType, bootGiB, sourceImage));
    if (spec.disks != null) {
      for (Disk d : spec.disks) {
        if (d == boot) {
          continue;
        }
        String type = d.category != null ? d.category.gceName() : "pd-balanced";
        long size = d.sizeGiB != null ? d.sizeGiB : 10;
        String image = d.secondaryBootImage;
        out.add(attached(d, false, zone, type, size, image));
      }
    }
    return out;
  }

  private static AttachedDisk attached(
      Disk d, boolean boot, String zone, String type, long sizeGiB, String image) {
    AttachedDiskInitializeParams.Builder p =
        AttachedDiskInitializeParams.newBuilder()
            .setDiskSizeGb(sizeGiB)
            .setDiskType("zones/" + zone + "/diskTypes/" + type);
    if (image != null && !image.isBlank()) {
      p.setSourceImage(image);
    }
    if (d != null && d.provisionedIOPS != null) {
      p.setProvisionedIops(d.provisionedIOPS);
    }
    if (d != null && d.provisionedThroughput != null) {
      p.setProvisionedThroughput(d.provisionedThroughput);
    }
    AttachedDisk.Builder a =
        AttachedDisk.newBuilder()
            .setBoot(boot)
            .setAutoDelete(true)
            .setType("local-ssd".equals(type) ? "SCRATCH" : "PERSISTENT")
            .setInitializeParams(p);
    if (d != null && d.secondaryBootImage != null && !boot) {
      // Secondary boot disks (image caches) attach read-only as GKE does.
      a.setMode("READ_ONLY");
    }
    if (d != null && d.kmsKeyName != null) {
      CustomerEncryptionKey.Builder k =
          CustomerEncryptionKey.newBuilder().setKmsKeyName(d.kmsKeyName);
      if (d.kmsKeyServiceAccount != null) {
        k.setKmsKeyServiceAccount(d.kmsKeyServiceAccount);
      }
      a.setDiskEncryptionKey(k);
    }
    return a.build();
  }

  private List<NetworkInterface> networkInterfaces(GCENodeClassSpec spec) {
    NetworkConfig nc = spec.networkConfig;
    List<NetworkInterface> out = new ArrayList<>();
    NetworkInterface.Builder primary = NetworkInterface.newBuilder();
    String subnetwork =
        nc != null && nc.subnetwork != null && !nc.subnetwork.isBlank()
            ? nc.subnetwork
            : settings.subnetworkPath();
    if (!subnetwork.isBlank()) {
      primary.setSubnetwork(subnetwork);
    }
    if (!settings.networkPath().isBlank()) {
      primary.setNetwork(settings.networkPath());
    }
    if (spec.subnetRangeName != null && !spec.subnetRangeName.isBlank()) {
      // Pod IPs as alias ranges from the secondary range, sized as GKE does for maxPods.
      primary.addAliasIpRanges(
          AliasIpRange.newBuilder()
              .setSubnetworkRangeName(spec.subnetRangeName)
              .setIpCidrRange(podRangeSize(spec)));
    }
    boolean privateNodes = nc != null && Boolean.TRUE.equals(nc.enablePrivateNodes);
    if (!privateNodes) {
      primary.addAccessConfigs(
          AccessConfig.newBuilder().setName("external-nat").setType("ONE_TO_ONE_NAT"));
    }
    out.add(primary.build());
    if (nc != null && nc.additionalNetworkInterfaces != null) {
      for (NetworkConfig.AdditionalNetworkInterface extra : nc.additionalNetworkInterfaces) {
        NetworkInterface.Builder ni = NetworkInterface.newBuilder().setSubnetwork(extra.subnetwork);
        String network = extra.network != null ? extra.network : settings.networkPath();
        if (network != null && !network.isBlank()) {
          ni.setNetwork(network);
        }
        out.add(ni.build());
      }
    }
    return out;
  }

  /** GKE's per-node pod range: twice maxPods addresses, rounded up to a power of two. */
  static String podRangeSize(GCENodeClassSpec spec) {
    int maxPods =
        spec.kubeletConfiguration != null && spec.kubeletConfiguration.maxPods != null
            ? spec.kubeletConfiguration.maxPods
            : InstanceTypeMapper.DEFAULT_MAX_PODS;
    int addresses = Integer.highestOneBit(Math.max(1, maxPods * 2 - 1)) << 1;
    return "/" + (32 - Integer.numberOfTrailingZeros(Math.max(addresses, 8)));
  }

  Map<String, String> labels(NodeClaimView claim, GCENodeClass nodeClass) {
    Map<String, String> labels = new TreeMap<>();
    if (nodeClass.getSpec() != null && nodeClass.getSpec().labels != null) {
      nodeClass.getSpec().labels.forEach((k, v) -> labels.put(k, GceNames.labelValue(v)));
    }
    labels.put(LABEL_CLUSTER, GceNames.labelValue(settings.clusterName()));
    labels.put(LABEL_GKE_CLUSTER, GceNames.labelValue(settings.clusterName()));
    labels.put(LABEL_GKE_LOCATION, GceNames.labelValue(settings.clusterLocation()));
    labels.put(LABEL_NODECLAIM, GceNames.labelValue(claim.name()));
    if (claim.nodePool() != null) {
      labels.put(LABEL_NODEPOOL, GceNames.labelValue(claim.nodePool()));
    }
    labels.put(LABEL_NODECLASS, GceNames.labelValue(nodeClass.getMetadata().getName()));
    labels.put(LABEL_NODECLASS_HASH, NodeClassHash.of(nodeClass));
    return labels;
  }

  /**
   * Bootstrap metadata in GKE's keys ({@code cluster-name}, {@code cluster-location}, {@code
   * kube-labels}, {@code kubelet-config}, taints), the user's metadata, and the exact claim, pool
   * and image names the plugin reads back.
   */
  private Metadata metadata(
      NodeClaimView claim, GCENodeClass nodeClass, MachineTypeInfo type, String sourceImage) {
    Map<String, String> items = new TreeMap<>();
    GCENodeClassSpec spec = nodeClass.getSpec();
    if (spec != null && spec.metadata != null) {
      items.putAll(spec.metadata);
    }
    items.put("cluster-name", settings.clusterName());
    items.put("cluster-location", settings.clusterLocation());
    Map<String, String> nodeLabels = new TreeMap<>(claim.labels());
    nodeLabels.put(GceLabels.NODE_CLASS, nodeClass.getMetadata().getName());
    if (type.acceleratorCount() > 0) {
      nodeLabels.put(GceLabels.GKE_ACCELERATOR, type.acceleratorType());
      String driver =
          spec != null && spec.gpuDriverVersion != null
              ? spec.gpuDriverVersion.name().toLowerCase(java.util.Locale.ROOT)
              : "default";
      nodeLabels.put(GceLabels.GKE_GPU_DRIVER_VERSION, driver);
    }
    items.put(
        "kube-labels",
        nodeLabels.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",")));
    List<Taint> taints = new ArrayList<>(claim.taints());
    taints.addAll(claim.startupTaints());
    if (type.acceleratorCount() > 0 && spec != null && Boolean.TRUE.equals(spec.autoGPUTaint)) {
      taints.add(new Taint("nvidia.com/gpu", "present", "NoSchedule"));
    }
    if (!taints.isEmpty()) {
      items.put(
          "kube-taints",
          taints.stream()
              .map(t -> t.key() + "=" + (t.value() == null ? "" : t.value()) + ":" + t.effect())
              .collect(Collectors.joining(",")));
    }
    if (spec != null && spec.kubeletConfiguration != null) {
      try {
        items.put("kubelet-config", JSON.writeValueAsString(spec.kubeletConfiguration));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    items.put(META_NODECLAIM, claim.name());
    if (claim.nodePool() != null) {
      items.put(META_NODEPOOL, claim.nodePool());
    }
    items.put(META_IMAGE, sourceImage);
    Metadata.Builder m = Metadata.newBuilder();
    items.forEach((k, v) -> m.addItems(Items.newBuilder().setKey(k).setValue(v)));
    return m.build();
  }

  /** The capacity type an instance was launched with. */
  public static String capacityType(Instance i) {
    return "SPOT".equals(i.getScheduling().getProvisioningModel())
        ? WellKnownLabels.CAPACITY_TYPE_SPOT
        : WellKnownLabels.CAPACITY_TYPE_ON_DEMAND;
  }

  /** A metadata value of an instance, or null. */
  public static String metadata(Instance i, String key) {
    for (Items item : i.getMetadata().getItemsList()) {
      if (item.getKey().equals(key)) {
        return item.getValue();
      }
    }
    return null;
  }
}
