package dev.dovetail.gcp.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** {@code spec} of a GCENodeClass. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GCENodeClassSpec {
  static final String SERVICE_ACCOUNT_PATTERN =
      "^[^@]+@(developer\\.gserviceaccount\\.com|[^@]+\\.iam\\.gserviceaccount\\.com)$";
  static final String RFC1035_PATTERN = "^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";

  /** The IAM service account email the instance runs as. */
  @Pattern(SERVICE_ACCOUNT_PATTERN)
  private String serviceAccount;

  @Size(max = 10)
  private List<Disk> disks;

  /** Image selector terms, ORed; each names an alias ({@code family@version}) or an id. */
  @Required
  @Size(min = 1, max = 30)
  @ValidationRule(
      value = "self.all(x, has(x.alias) || has(x.id))",
      message = "each imageSelectorTerm must set 'alias' or 'id'")
  private List<ImageSelectorTerm> imageSelectorTerms;

  private ImageFamily imageFamily;

  @Size(min = 1, max = 63)
  @Pattern(RFC1035_PATTERN)
  private String subnetRangeName;

  @ValidationRule(
      value =
          "has(self.imageGCHighThresholdPercent) && has(self.imageGCLowThresholdPercent) ? "
              + " self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent  : true",
      message = "imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent")
  private KubeletConfiguration kubeletConfiguration;

  /** GCE labels put on the VM. */
  @Size(max = 20)
  @ValidationRule(value = "self.all(k, k != '')", message = "empty tag keys aren't supported")
  @ValidationRule(
      value = "self.all(k, !k.startsWith('kubernetes.io/cluster') )",
      message = "tag contains a restricted tag matching kubernetes.io/cluster/")
  @ValidationRule(
      value = "self.all(k, k != 'karpenter.sh/nodepool')",
      message = "tag contains a restricted tag matching karpenter.sh/nodepool")
  private Map<String, String> labels;

  /** Instance metadata key/value pairs. */
  private Map<String, String> metadata;

  /** Network tags (firewall targets), RFC 1035 names. */
  @Size(max = 20)
  private List<@Size(min = 1, max = 63) @Pattern(RFC1035_PATTERN) String> networkTags;

  private ShieldedInstanceConfig shieldedInstanceConfig;
  private NetworkConfig networkConfig;

  /** Taint GPU nodes with {@code nvidia.com/gpu=present:NoSchedule} automatically. */
  @JsonProperty("autoGPUTaint")
  private Boolean autoGPUTaint;

  /** Image families with GKE node images. */
  public enum ImageFamily {
    Ubuntu,
    ContainerOptimizedOS
  }

  /** One image selector term. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ImageSelectorTerm {
    @Size(max = 60)
    @Pattern("^(ContainerOptimizedOS|Ubuntu)@.+$")
    private String alias;

    @Size(max = 160)
    private String id;

    public String getAlias() {
      return alias;
    }

    public void setAlias(String alias) {
      this.alias = alias;
    }

    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }
  }

  /** A disk attached to the instance. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Disk {
    @Required
    @Min(10)
    @JsonProperty("sizeGiB")
    private Integer sizeGiB;

    private DiskCategory category;
    private Boolean boot;
    private String secondaryBootImage;
    private SecondaryBootMode secondaryBootMode;

    @Pattern(
        "^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+(/cryptoKeyVersions/[^/]+)?$")
    private String kmsKeyName;

    @Pattern(SERVICE_ACCOUNT_PATTERN)
    private String kmsKeyServiceAccount;

    @JsonProperty("provisionedIOPS")
    private Long provisionedIOPS;

    private Long provisionedThroughput;

    public Integer getSizeGiB() {
      return sizeGiB;
    }

    public void setSizeGiB(Integer sizeGiB) {
      this.sizeGiB = sizeGiB;
    }

    public DiskCategory getCategory() {
      return category;
    }

    public void setCategory(DiskCategory category) {
      this.category = category;
    }

    public Boolean getBoot() {
      return boot;
    }

    public void setBoot(Boolean boot) {
      this.boot = boot;
    }

    public String getSecondaryBootImage() {
      return secondaryBootImage;
    }

    public void setSecondaryBootImage(String secondaryBootImage) {
      this.secondaryBootImage = secondaryBootImage;
    }

    public SecondaryBootMode getSecondaryBootMode() {
      return secondaryBootMode;
    }

    public void setSecondaryBootMode(SecondaryBootMode secondaryBootMode) {
      this.secondaryBootMode = secondaryBootMode;
    }

    public String getKmsKeyName() {
      return kmsKeyName;
    }

    public void setKmsKeyName(String kmsKeyName) {
      this.kmsKeyName = kmsKeyName;
    }

    public String getKmsKeyServiceAccount() {
      return kmsKeyServiceAccount;
    }

    public void setKmsKeyServiceAccount(String kmsKeyServiceAccount) {
      this.kmsKeyServiceAccount = kmsKeyServiceAccount;
    }

    public Long getProvisionedIOPS() {
      return provisionedIOPS;
    }

    public void setProvisionedIOPS(Long provisionedIOPS) {
      this.provisionedIOPS = provisionedIOPS;
    }

    public Long getProvisionedThroughput() {
      return provisionedThroughput;
    }

    public void setProvisionedThroughput(Long provisionedThroughput) {
      this.provisionedThroughput = provisionedThroughput;
    }
  }

  /** Persistent disk types. */
  public enum DiskCategory {
    @JsonProperty("hyperdisk-balanced")
    hyperdiskBalanced,
    @JsonProperty("hyperdisk-balanced-high-availability")
    hyperdiskBalancedHighAvailability,
    @JsonProperty("hyperdisk-extreme")
    hyperdiskExtreme,
    @JsonProperty("hyperdisk-ml")
    hyperdiskMl,
    @JsonProperty("hyperdisk-throughput")
    hyperdiskThroughput,
    @JsonProperty("local-ssd")
    localSsd,
    @JsonProperty("pd-balanced")
    pdBalanced,
    @JsonProperty("pd-extreme")
    pdExtreme,
    @JsonProperty("pd-ssd")
    pdSsd,
    @JsonProperty("pd-standard")
    pdStandard
  }

  /** Secondary boot disk modes. */
  public enum SecondaryBootMode {
    MODE_UNSPECIFIED,
    CONTAINER_IMAGE_CACHE
  }

  /** Kubelet settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class KubeletConfiguration {
    @JsonProperty("clusterDNS")
    private List<String> clusterDNS;

    @Min(0)
    private Integer maxPods;

    @Min(0)
    private Integer podsPerCore;

    @Size(max = 10)
    private Map<String, String> systemReserved;

    @Size(max = 10)
    private Map<String, String> kubeReserved;

    @Size(max = 10)
    private Map<String, String> evictionHard;

    @Size(max = 10)
    private Map<String, String> evictionSoft;

    @Size(max = 10)
    private Map<String, String> evictionSoftGracePeriod;

    private Integer evictionMaxPodGracePeriod;

    @Min(0)
    @Max(100)
    @JsonProperty("imageGCHighThresholdPercent")
    private Integer imageGCHighThresholdPercent;

    @Min(0)
    @Max(100)
    @JsonProperty("imageGCLowThresholdPercent")
    private Integer imageGCLowThresholdPercent;

    @JsonProperty("cpuCFSQuota")
    private Boolean cpuCFSQuota;

    public List<String> getClusterDNS() {
      return clusterDNS;
    }

    public void setClusterDNS(List<String> clusterDNS) {
      this.clusterDNS = clusterDNS;
    }

    public Integer getMaxPods() {
      return maxPods;
    }

    public void setMaxPods(Integer maxPods) {
      this.maxPods = maxPods;
    }

    public Integer getPodsPerCore() {
      return podsPerCore;
    }

    public void setPodsPerCore(Integer podsPerCore) {
      this.podsPerCore = podsPerCore;
    }

    public Map<String, String> getSystemReserved() {
      return systemReserved;
    }

    public void setSystemReserved(Map<String, String> systemReserved) {
      this.systemReserved = systemReserved;
    }

    public Map<String, String> getKubeReserved() {
      return kubeReserved;
    }

    public void setKubeReserved(Map<String, String> kubeReserved) {
      this.kubeReserved = kubeReserved;
    }

    public Map<String, String> getEvictionHard() {
      return evictionHard;
    }

    public void setEvictionHard(Map<String, String> evictionHard) {
      this.evictionHard = evictionHard;
    }

    public Map<String, String> getEvictionSoft() {
      return evictionSoft;
    }

    public void setEvictionSoft(Map<String, String> evictionSoft) {
      this.evictionSoft = evictionSoft;
    }

    public Map<String, String> getEvictionSoftGracePeriod() {
      return evictionSoftGracePeriod;
    }

    public void setEvictionSoftGracePeriod(Map<String, String> evictionSoftGracePeriod) {
      this.evictionSoftGracePeriod = evictionSoftGracePeriod;
    }

    public Integer getEvictionMaxPodGracePeriod() {
      return evictionMaxPodGracePeriod;
    }

    public void setEvictionMaxPodGracePeriod(Integer evictionMaxPodGracePeriod) {
      this.evictionMaxPodGracePeriod = evictionMaxPodGracePeriod;
    }

    public Integer getImageGCHighThresholdPercent() {
      return imageGCHighThresholdPercent;
    }

    public void setImageGCHighThresholdPercent(Integer imageGCHighThresholdPercent) {
      this.imageGCHighThresholdPercent = imageGCHighThresholdPercent;
    }

    public Integer getImageGCLowThresholdPercent() {
      return imageGCLowThresholdPercent;
    }

    public void setImageGCLowThresholdPercent(Integer imageGCLowThresholdPercent) {
      this.imageGCLowThresholdPercent = imageGCLowThresholdPercent;
    }

    public Boolean getCpuCFSQuota() {
      return cpuCFSQuota;
    }

    public void setCpuCFSQuota(Boolean cpuCFSQuota) {
      this.cpuCFSQuota = cpuCFSQuota;
    }
  }

  /** Shielded VM options. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ShieldedInstanceConfig {
    private Boolean enableSecureBoot;
    private Boolean enableVtpm;
    private Boolean enableIntegrityMonitoring;

    public Boolean getEnableSecureBoot() {
      return enableSecureBoot;
    }

    public void setEnableSecureBoot(Boolean enableSecureBoot) {
      this.enableSecureBoot = enableSecureBoot;
    }

    public Boolean getEnableVtpm() {
      return enableVtpm;
    }

    public void setEnableVtpm(Boolean enableVtpm) {
      this.enableVtpm = enableVtpm;
    }

    public Boolean getEnableIntegrityMonitoring() {
      return enableIntegrityMonitoring;
    }

    public void setEnableIntegrityMonitoring(Boolean enableIntegrityMonitoring) {
      this.enableIntegrityMonitoring = enableIntegrityMonitoring;
    }
  }

  /** Network interface overrides. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NetworkConfig {
    private Boolean enablePrivateNodes;
    private String subnetwork;

    @Size(max = 7)
    private List<AdditionalNetworkInterface> additionalNetworkInterfaces;

    public Boolean getEnablePrivateNodes() {
      return enablePrivateNodes;
    }

    public void setEnablePrivateNodes(Boolean enablePrivateNodes) {
      this.enablePrivateNodes = enablePrivateNodes;
    }

    public String getSubnetwork() {
      return subnetwork;
    }

    public void setSubnetwork(String subnetwork) {
      this.subnetwork = subnetwork;
    }

    public List<AdditionalNetworkInterface> getAdditionalNetworkInterfaces() {
      return additionalNetworkInterfaces;
    }

    public void setAdditionalNetworkInterfaces(
        List<AdditionalNetworkInterface> additionalNetworkInterfaces) {
      this.additionalNetworkInterfaces = additionalNetworkInterfaces;
    }
  }

  /** A secondary network interface. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AdditionalNetworkInterface {
    private String network;

    @Required
    @Size(min = 1)
    private String subnetwork;

    public String getNetwork() {
      return network;
    }

    public void setNetwork(String network) {
      this.network = network;
    }

    public String getSubnetwork() {
      return subnetwork;
    }

    public void setSubnetwork(String subnetwork) {
      this.subnetwork = subnetwork;
    }
  }

  public String getServiceAccount() {
    return serviceAccount;
  }

  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = serviceAccount;
  }

  public List<Disk> getDisks() {
    return disks;
  }

  public void setDisks(List<Disk> disks) {
    this.disks = disks;
  }

  public List<String> getNetworkTags() {
    return networkTags;
  }

  public void setNetworkTags(List<String> networkTags) {
    this.networkTags = networkTags;
  }

  public List<ImageSelectorTerm> getImageSelectorTerms() {
    return imageSelectorTerms;
  }

  public void setImageSelectorTerms(List<ImageSelectorTerm> imageSelectorTerms) {
    this.imageSelectorTerms = imageSelectorTerms;
  }

  public ImageFamily getImageFamily() {
    return imageFamily;
  }

  public void setImageFamily(ImageFamily imageFamily) {
    this.imageFamily = imageFamily;
  }

  public String getSubnetRangeName() {
    return subnetRangeName;
  }

  public void setSubnetRangeName(String subnetRangeName) {
    this.subnetRangeName = subnetRangeName;
  }

  public KubeletConfiguration getKubeletConfiguration() {
    return kubeletConfiguration;
  }

  public void setKubeletConfiguration(KubeletConfiguration kubeletConfiguration) {
    this.kubeletConfiguration = kubeletConfiguration;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getMetadata() {
    return metadata;
  }

  public void setMetadata(Map<String, String> metadata) {
    this.metadata = metadata;
  }

  public ShieldedInstanceConfig getShieldedInstanceConfig() {
    return shieldedInstanceConfig;
  }

  public void setShieldedInstanceConfig(ShieldedInstanceConfig shieldedInstanceConfig) {
    this.shieldedInstanceConfig = shieldedInstanceConfig;
  }

  public NetworkConfig getNetworkConfig() {
    return networkConfig;
  }

  public void setNetworkConfig(NetworkConfig networkConfig) {
    this.networkConfig = networkConfig;
  }

  public Boolean getAutoGPUTaint() {
    return autoGPUTaint;
  }

  public void setAutoGPUTaint(Boolean autoGPUTaint) {
    this.autoGPUTaint = autoGPUTaint;
  }
}
