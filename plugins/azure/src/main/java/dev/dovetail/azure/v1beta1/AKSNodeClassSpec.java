// Over 1,000 lines: upstream's AKSNodeClass spec field by field (kubelet, linuxOSConfig sysctls,
// localDNS, security, ...) with each field's defaults, enums, patterns and CEL rules as annotations
// the CRD generator reads; issue 12 item 6 asks for the shorter public-field style, still to do.
package dev.dovetail.azure.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** {@code spec} of an AKSNodeClass (upstream {@code pkg/apis/v1beta1/aksnodeclass.go}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.fipsMode) && self.fipsMode == 'FIPS' ? (has(self.imageFamily) &&"
            + " self.imageFamily != 'Ubuntu2404') : true",
    message = "FIPS is not yet supported for Ubuntu2404")
@ValidationRule(
    value =
        "has(self.fipsMode) && self.fipsMode == 'FIPS' ? (has(self.imageFamily) &&"
            + " (self.imageFamily != 'Ubuntu2204' || (has(self.security) &&"
            + " has(self.security.trustedLaunch) && ((has(self.security.trustedLaunch.vtpm) &&"
            + " self.security.trustedLaunch.vtpm) || (has(self.security.trustedLaunch.secureBoot)"
            + " && self.security.trustedLaunch.secureBoot))))) : true",
    message = "TrustedLaunch is required for FIPS support with Ubuntu2204")
@ValidationRule(
    value =
        "has(self.fipsMode) && self.fipsMode == 'FIPS' && has(self.security) &&"
            + " has(self.security.trustedLaunch) && ((has(self.security.trustedLaunch.vtpm) &&"
            + " self.security.trustedLaunch.vtpm) || (has(self.security.trustedLaunch.secureBoot)"
            + " && self.security.trustedLaunch.secureBoot)) ? (!has(self.imageFamily) ||"
            + " self.imageFamily == 'Ubuntu' || self.imageFamily == 'Ubuntu2204') : true",
    message = "TrustedLaunch with FIPSMode FIPS is only supported for Ubuntu and Ubuntu2204")
@ValidationRule(
    value =
        "!has(self.linuxOSConfig) || !has(self.linuxOSConfig.swapFileSize) || (has(self.kubelet) &&"
            + " has(self.kubelet.failSwapOn) && self.kubelet.failSwapOn == false)",
    message =
        "kubelet.failSwapOn must be set to false when linuxOSConfig.swapFileSize is specified")
public class AKSNodeClassSpec {
  static final String QUANTITY_SUFFIX_PATTERN = "^\\d+(E|P|T|G|M|K|Ei|Pi|Ti|Gi|Mi|Ki)$";
  static final String DURATION_PATTERN = "^([0-9]+(s|m|h))+$";

  /** The subnet nodes join; defaults to the cluster's subnet. */
  @Pattern(
      "(?i)^\\/subscriptions\\/[^\\/]+\\/resourceGroups\\/[a-zA-Z0-9_\\-().]{0,89}[a-zA-Z0-9_\\-()]\\/providers\\/Microsoft\\.Network\\/virtualNetworks\\/[^\\/]+\\/subnets\\/[^\\/]+$")
  @JsonProperty("vnetSubnetID")
  private String vnetSubnetID;

  @Min(30)
  @Max(2048)
  @Default("128")
  @JsonProperty("osDiskSizeGB")
  private Integer osDiskSizeGB;

  @Default("Ubuntu")
  private ImageFamily imageFamily;

  private FipsMode fipsMode;

  /** Azure resource tags put on every resource launched for the node. */
  @ValidationRule(
      value = "self.all(k, size(k) <= 512)",
      message = "tags keys must be less than 512 characters")
  @ValidationRule(
      value = "self.all(k, !k.matches('[<>%&?]'))",
      message = "tags keys must not contain '<', '>', '%', '&', or '?'")
  @ValidationRule(
      value = "self.all(k, !k.contains('\\\\'))",
      message = "tags keys must not contain '\\'")
  @ValidationRule(
      value = "self.all(k, size(self[k]) <= 256)",
      message = "tags values must be less than 256 characters")
  private Map<String, String> tags;

  @ValidationRule(
      value =
          "has(self.imageGCHighThresholdPercent) && has(self.imageGCLowThresholdPercent) ? "
              + " self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent  : true",
      message = "imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent")
  private KubeletConfiguration kubelet;

  @Min(10)
  @Max(250)
  private Integer maxPods;

  private Security security;
  private LocalDNS localDNS;
  private GPU gpu;
  private ArtifactStreaming artifactStreaming;
  private LinuxOSConfiguration linuxOSConfig;

  /** Node OS image family. */
  public enum ImageFamily {
    Ubuntu,
    Ubuntu2204,
    Ubuntu2404,
    AzureLinux
  }

  /** FIPS-enabled images or not. */
  public enum FipsMode {
    FIPS,
    Disabled
  }

  /** Kubelet settings applied on the node. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class KubeletConfiguration {
    @Default("none")
    private CpuManagerPolicy cpuManagerPolicy;

    @Default("true")
    @JsonProperty("cpuCFSQuota")
    private Boolean cpuCFSQuota;

    @Default("100ms")
    @JsonProperty("cpuCFSQuotaPeriod")
    private String cpuCFSQuotaPeriod;

    @Min(0)
    @Max(100)
    @JsonProperty("imageGCHighThresholdPercent")
    private Integer imageGCHighThresholdPercent;

    @Min(0)
    @Max(100)
    @JsonProperty("imageGCLowThresholdPercent")
    private Integer imageGCLowThresholdPercent;

    @Default("none")
    private TopologyManagerPolicy topologyManagerPolicy;

    private List<String> allowedUnsafeSysctls;

    @Default("50Mi")
    @Pattern(QUANTITY_SUFFIX_PATTERN)
    private String containerLogMaxSize;

    @Min(2)
    @Default("5")
    private Integer containerLogMaxFiles;

    private Long podPidsLimit;
    private Boolean failSwapOn;

    public CpuManagerPolicy getCpuManagerPolicy() {
      return cpuManagerPolicy;
    }

    public void setCpuManagerPolicy(CpuManagerPolicy cpuManagerPolicy) {
      this.cpuManagerPolicy = cpuManagerPolicy;
    }

    public Boolean getCpuCFSQuota() {
      return cpuCFSQuota;
    }

    public void setCpuCFSQuota(Boolean cpuCFSQuota) {
      this.cpuCFSQuota = cpuCFSQuota;
    }

    public String getCpuCFSQuotaPeriod() {
      return cpuCFSQuotaPeriod;
    }

    public void setCpuCFSQuotaPeriod(String cpuCFSQuotaPeriod) {
      this.cpuCFSQuotaPeriod = cpuCFSQuotaPeriod;
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

    public TopologyManagerPolicy getTopologyManagerPolicy() {
      return topologyManagerPolicy;
    }

    public void setTopologyManagerPolicy(TopologyManagerPolicy topologyManagerPolicy) {
      this.topologyManagerPolicy = topologyManagerPolicy;
    }

    public List<String> getAllowedUnsafeSysctls() {
      return allowedUnsafeSysctls;
    }

    public void setAllowedUnsafeSysctls(List<String> allowedUnsafeSysctls) {
      this.allowedUnsafeSysctls = allowedUnsafeSysctls;
    }

    public String getContainerLogMaxSize() {
      return containerLogMaxSize;
    }

    public void setContainerLogMaxSize(String containerLogMaxSize) {
      this.containerLogMaxSize = containerLogMaxSize;
    }

    public Integer getContainerLogMaxFiles() {
      return containerLogMaxFiles;
    }

    public void setContainerLogMaxFiles(Integer containerLogMaxFiles) {
      this.containerLogMaxFiles = containerLogMaxFiles;
    }

    public Long getPodPidsLimit() {
      return podPidsLimit;
    }

    public void setPodPidsLimit(Long podPidsLimit) {
      this.podPidsLimit = podPidsLimit;
    }

    public Boolean getFailSwapOn() {
      return failSwapOn;
    }

    public void setFailSwapOn(Boolean failSwapOn) {
      this.failSwapOn = failSwapOn;
    }
  }

  /** Kubelet CPU manager policies. */
  public enum CpuManagerPolicy {
    none,
    @JsonProperty("static")
    static_
  }

  /** Kubelet topology manager policies. */
  public enum TopologyManagerPolicy {
    restricted,
    @JsonProperty("best-effort")
    bestEffort,
    none,
    @JsonProperty("single-numa-node")
    singleNumaNode
  }

  /** Host encryption and Trusted Launch. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Security {
    private Boolean encryptionAtHost;
    private TrustedLaunch trustedLaunch;

    public Boolean getEncryptionAtHost() {
      return encryptionAtHost;
    }

    public void setEncryptionAtHost(Boolean encryptionAtHost) {
      this.encryptionAtHost = encryptionAtHost;
    }

    public TrustedLaunch getTrustedLaunch() {
      return trustedLaunch;
    }

    public void setTrustedLaunch(TrustedLaunch trustedLaunch) {
      this.trustedLaunch = trustedLaunch;
    }
  }

  /** Trusted Launch VM settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TrustedLaunch {
    private Boolean secureBoot;
    private Boolean vtpm;

    public Boolean getSecureBoot() {
      return secureBoot;
    }

    public void setSecureBoot(Boolean secureBoot) {
      this.secureBoot = secureBoot;
    }

    public Boolean getVtpm() {
      return vtpm;
    }

    public void setVtpm(Boolean vtpm) {
      this.vtpm = vtpm;
    }
  }

  /** Node-local DNS cache settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LocalDNS {
    @Required private LocalDNSMode mode;

    public LocalDNSMode getMode() {
      return mode;
    }

    public void setMode(LocalDNSMode mode) {
      this.mode = mode;
    }

    @Required
    @Size(max = 100)
    @ValidationRule(
        value = "['.', 'cluster.local'].all(z, self.exists(x, x.zone == z))",
        message = "must contain required zones '.' and 'cluster.local'")
    @ValidationRule(
        value = "!self.exists(x, x.zone == '.' && x.forwardDestination == 'ClusterCoreDNS')",
        message = "root zone '.' cannot be forwarded to ClusterCoreDNS from vnetDNSOverrides")
    @ValidationRule(
        value =
            "!self.exists(x, x.zone != '.' && !x.zone.endsWith('cluster.local') &&"
                + " x.forwardDestination == 'ClusterCoreDNS')",
        message = "external domains cannot be forwarded to ClusterCoreDNS from vnetDNSOverrides")
    @JsonProperty("vnetDNSOverrides")
    private List<LocalDNSZoneOverride> vnetDNSOverrides;

    @Required
    @Size(max = 100)
    @ValidationRule(
        value = "['.', 'cluster.local'].all(z, self.exists(x, x.zone == z))",
        message = "must contain required zones '.' and 'cluster.local'")
    @JsonProperty("kubeDNSOverrides")
    private List<LocalDNSZoneOverride> kubeDNSOverrides;

    public List<LocalDNSZoneOverride> getVnetDNSOverrides() {
      return vnetDNSOverrides;
    }

    public void setVnetDNSOverrides(List<LocalDNSZoneOverride> vnetDNSOverrides) {
      this.vnetDNSOverrides = vnetDNSOverrides;
    }

    public List<LocalDNSZoneOverride> getKubeDNSOverrides() {
      return kubeDNSOverrides;
    }

    public void setKubeDNSOverrides(List<LocalDNSZoneOverride> kubeDNSOverrides) {
      this.kubeDNSOverrides = kubeDNSOverrides;
    }
  }

  /** Whether LocalDNS is used. */
  public enum LocalDNSMode {
    Preferred,
    Required,
    Disabled
  }

  /** Per-zone LocalDNS behaviour. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!(self.zone.endsWith('cluster.local') && self.forwardDestination == 'VnetDNS')",
      message = "'cluster.local' cannot be forwarded to VnetDNS")
  @ValidationRule(
      value = "!(self.serveStale == 'Verify' && self.protocol == 'ForceTCP')",
      message = "serveStale Verify cannot be used with protocol ForceTCP")
  public static class LocalDNSZoneOverride {
    @Required
    @Size(min = 1, max = 254)
    @Pattern(
        "^(\\.|[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?)$")
    private String zone;

    @Required private QueryLogging queryLogging;
    @Required private Protocol protocol;
    @Required private ForwardDestination forwardDestination;
    @Required private ForwardPolicy forwardPolicy;

    @Required
    @Min(0)
    private Integer maxConcurrent;

    @Required
    @Pattern(DURATION_PATTERN)
    private String cacheDuration;

    @Required
    @Pattern(DURATION_PATTERN)
    private String serveStaleDuration;

    @Required private ServeStale serveStale;

    public String getZone() {
      return zone;
    }

    public void setZone(String zone) {
      this.zone = zone;
    }

    public Integer getMaxConcurrent() {
      return maxConcurrent;
    }

    public void setMaxConcurrent(Integer maxConcurrent) {
      this.maxConcurrent = maxConcurrent;
    }

    public String getCacheDuration() {
      return cacheDuration;
    }

    public void setCacheDuration(String cacheDuration) {
      this.cacheDuration = cacheDuration;
    }

    public String getServeStaleDuration() {
      return serveStaleDuration;
    }

    public void setServeStaleDuration(String serveStaleDuration) {
      this.serveStaleDuration = serveStaleDuration;
    }

    public QueryLogging getQueryLogging() {
      return queryLogging;
    }

    public void setQueryLogging(QueryLogging queryLogging) {
      this.queryLogging = queryLogging;
    }

    public Protocol getProtocol() {
      return protocol;
    }

    public void setProtocol(Protocol protocol) {
      this.protocol = protocol;
    }

    public ForwardDestination getForwardDestination() {
      return forwardDestination;
    }

    public void setForwardDestination(ForwardDestination forwardDestination) {
      this.forwardDestination = forwardDestination;
    }

    public ForwardPolicy getForwardPolicy() {
      return forwardPolicy;
    }

    public void setForwardPolicy(ForwardPolicy forwardPolicy) {
      this.forwardPolicy = forwardPolicy;
    }

    public ServeStale getServeStale() {
      return serveStale;
    }

    public void setServeStale(ServeStale serveStale) {
      this.serveStale = serveStale;
    }
  }

  /** LocalDNS query logging. */
  public enum QueryLogging {
    Error,
    Log
  }

  /** LocalDNS upstream protocol. */
  public enum Protocol {
    PreferUDP,
    ForceTCP
  }

  /** Where LocalDNS forwards a zone. */
  public enum ForwardDestination {
    ClusterCoreDNS,
    VnetDNS
  }

  /** How LocalDNS picks among upstream servers. */
  public enum ForwardPolicy {
    Sequential,
    RoundRobin,
    Random
  }

  /** LocalDNS serve-stale behaviour. */
  public enum ServeStale {
    Verify,
    Immediate,
    Disable
  }

  /** GPU driver installation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GPU {
    @Default("Driver")
    private GPUMode mode;

    public GPUMode getMode() {
      return mode;
    }

    public void setMode(GPUMode mode) {
      this.mode = mode;
    }
  }

  /** Whether the GPU driver is installed. */
  public enum GPUMode {
    Driver,
    None
  }

  /** Artifact streaming (lazy image pulls). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ArtifactStreaming {
    private Boolean enabled;

    public Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Linux OS settings: swap, transparent huge pages, sysctls. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LinuxOSConfiguration {
    @Pattern(QUANTITY_SUFFIX_PATTERN)
    private String swapFileSize;

    private TransparentHugePageEnabled transparentHugePageEnabled;
    private TransparentHugePageDefrag transparentHugePageDefrag;

    @ValidationRule(
        value =
            "has(self.netCoreRmemDefault) && has(self.netCoreRmemMax) ? self.netCoreRmemDefault <="
                + " self.netCoreRmemMax : true",
        message = "netCoreRmemDefault must be <= netCoreRmemMax")
    @ValidationRule(
        value =
            "has(self.netCoreWmemDefault) && has(self.netCoreWmemMax) ? self.netCoreWmemDefault <="
                + " self.netCoreWmemMax : true",
        message = "netCoreWmemDefault must be <= netCoreWmemMax")
    @ValidationRule(
        value =
            "has(self.netIPv4NeighDefaultGcThresh1) && has(self.netIPv4NeighDefaultGcThresh2) ?"
                + " self.netIPv4NeighDefaultGcThresh1 <= self.netIPv4NeighDefaultGcThresh2 : true",
        message = "netIPv4NeighDefaultGcThresh1 must be <= netIPv4NeighDefaultGcThresh2")
    @ValidationRule(
        value =
            "has(self.netIPv4NeighDefaultGcThresh2) && has(self.netIPv4NeighDefaultGcThresh3) ?"
                + " self.netIPv4NeighDefaultGcThresh2 <= self.netIPv4NeighDefaultGcThresh3 : true",
        message = "netIPv4NeighDefaultGcThresh2 must be <= netIPv4NeighDefaultGcThresh3")
    @ValidationRule(
        value =
            "!has(self.netIPv4IPLocalPortRange) ||"
                + " (int(self.netIPv4IPLocalPortRange.split(' ')[0]) >= 1024 &&"
                + " int(self.netIPv4IPLocalPortRange.split(' ')[0]) <= 60999)",
        message = "netIPv4IPLocalPortRange first port must be in [1024, 60999]")
    @ValidationRule(
        value =
            "!has(self.netIPv4IPLocalPortRange) ||"
                + " (int(self.netIPv4IPLocalPortRange.split(' ')[1]) >= 32768 &&"
                + " int(self.netIPv4IPLocalPortRange.split(' ')[1]) <= 65535)",
        message = "netIPv4IPLocalPortRange last port must be in [32768, 65535]")
    @ValidationRule(
        value =
            "!has(self.netIPv4IPLocalPortRange) ||"
                + " int(self.netIPv4IPLocalPortRange.split(' ')[0]) <="
                + " int(self.netIPv4IPLocalPortRange.split(' ')[1])",
        message = "netIPv4IPLocalPortRange first port must be <= last port")
    private Sysctls sysctls;

    public String getSwapFileSize() {
      return swapFileSize;
    }

    public void setSwapFileSize(String swapFileSize) {
      this.swapFileSize = swapFileSize;
    }

    public TransparentHugePageEnabled getTransparentHugePageEnabled() {
      return transparentHugePageEnabled;
    }

    public void setTransparentHugePageEnabled(
        TransparentHugePageEnabled transparentHugePageEnabled) {
      this.transparentHugePageEnabled = transparentHugePageEnabled;
    }

    public TransparentHugePageDefrag getTransparentHugePageDefrag() {
      return transparentHugePageDefrag;
    }

    public void setTransparentHugePageDefrag(TransparentHugePageDefrag transparentHugePageDefrag) {
      this.transparentHugePageDefrag = transparentHugePageDefrag;
    }

    public Sysctls getSysctls() {
      return sysctls;
    }

    public void setSysctls(Sysctls sysctls) {
      this.sysctls = sysctls;
    }
  }

  /** Transparent huge pages mode. */
  public enum TransparentHugePageEnabled {
    always,
    madvise,
    never
  }

  /** Transparent huge pages defrag mode. */
  public enum TransparentHugePageDefrag {
    always,
    defer,
    @JsonProperty("defer+madvise")
    deferMadvise,
    madvise,
    never
  }

  /** Kernel settings, each bounded as AKS allows. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Sysctls {
    @Min(65536)
    @Max(6553500)
    private Integer fsAioMaxNr;

    @Min(8192)
    @Max(12000500)
    private Integer fsFileMax;

    @Min(781250)
    @Max(2097152)
    private Integer fsInotifyMaxUserWatches;

    @Min(8192)
    @Max(20000500)
    private Integer fsNrOpen;

    @Min(20)
    @Max(513785)
    private Integer kernelThreadsMax;

    @Min(1000)
    @Max(3240000)
    private Integer netCoreNetdevMaxBacklog;

    @Min(20480)
    @Max(4194304)
    private Integer netCoreOptmemMax;

    @Min(212992)
    @Max(134217728)
    private Integer netCoreRmemDefault;

    @Min(212992)
    @Max(134217728)
    private Integer netCoreRmemMax;

    @Min(4096)
    @Max(3240000)
    private Integer netCoreSomaxconn;

    @Min(212992)
    @Max(134217728)
    private Integer netCoreWmemDefault;

    @Min(212992)
    @Max(134217728)
    private Integer netCoreWmemMax;

    @Pattern("^\\d+ \\d+$")
    @JsonProperty("netIPv4IPLocalPortRange")
    private String netIPv4IPLocalPortRange;

    @Min(128)
    @Max(80000)
    @JsonProperty("netIPv4NeighDefaultGcThresh1")
    private Integer netIPv4NeighDefaultGcThresh1;

    @Min(512)
    @Max(90000)
    @JsonProperty("netIPv4NeighDefaultGcThresh2")
    private Integer netIPv4NeighDefaultGcThresh2;

    @Min(1024)
    @Max(100000)
    @JsonProperty("netIPv4NeighDefaultGcThresh3")
    private Integer netIPv4NeighDefaultGcThresh3;

    @Min(5)
    @Max(120)
    @JsonProperty("netIPv4TCPFinTimeout")
    private Integer netIPv4TCPFinTimeout;

    @Min(10)
    @Max(90)
    @JsonProperty("netIPv4TCPKeepaliveIntvl")
    private Integer netIPv4TCPKeepaliveIntvl;

    @Min(1)
    @Max(15)
    @JsonProperty("netIPv4TCPKeepaliveProbes")
    private Integer netIPv4TCPKeepaliveProbes;

    @Min(30)
    @Max(432000)
    @JsonProperty("netIPv4TCPKeepaliveTime")
    private Integer netIPv4TCPKeepaliveTime;

    @Min(128)
    @Max(3240000)
    @JsonProperty("netIPv4TCPMaxSynBacklog")
    private Integer netIPv4TCPMaxSynBacklog;

    @Min(8000)
    @Max(1440000)
    @JsonProperty("netIPv4TCPMaxTwBuckets")
    private Integer netIPv4TCPMaxTwBuckets;

    @JsonProperty("netIPv4TCPTwReuse")
    private Boolean netIPv4TCPTwReuse;

    @Min(65536)
    @Max(524288)
    private Integer netNetfilterNfConntrackBuckets;

    @Min(131072)
    @Max(2097152)
    private Integer netNetfilterNfConntrackMax;

    @Min(65530)
    @Max(262144)
    private Integer vmMaxMapCount;

    @Min(0)
    @Max(100)
    private Integer vmSwappiness;

    @Min(0)
    @Max(100)
    private Integer vmVfsCachePressure;

    public Integer getFsAioMaxNr() {
      return fsAioMaxNr;
    }

    public void setFsAioMaxNr(Integer fsAioMaxNr) {
      this.fsAioMaxNr = fsAioMaxNr;
    }

    public Integer getFsFileMax() {
      return fsFileMax;
    }

    public void setFsFileMax(Integer fsFileMax) {
      this.fsFileMax = fsFileMax;
    }

    public Integer getFsInotifyMaxUserWatches() {
      return fsInotifyMaxUserWatches;
    }

    public void setFsInotifyMaxUserWatches(Integer fsInotifyMaxUserWatches) {
      this.fsInotifyMaxUserWatches = fsInotifyMaxUserWatches;
    }

    public Integer getFsNrOpen() {
      return fsNrOpen;
    }

    public void setFsNrOpen(Integer fsNrOpen) {
      this.fsNrOpen = fsNrOpen;
    }

    public Integer getKernelThreadsMax() {
      return kernelThreadsMax;
    }

    public void setKernelThreadsMax(Integer kernelThreadsMax) {
      this.kernelThreadsMax = kernelThreadsMax;
    }

    public Integer getNetCoreNetdevMaxBacklog() {
      return netCoreNetdevMaxBacklog;
    }

    public void setNetCoreNetdevMaxBacklog(Integer netCoreNetdevMaxBacklog) {
      this.netCoreNetdevMaxBacklog = netCoreNetdevMaxBacklog;
    }

    public Integer getNetCoreOptmemMax() {
      return netCoreOptmemMax;
    }

    public void setNetCoreOptmemMax(Integer netCoreOptmemMax) {
      this.netCoreOptmemMax = netCoreOptmemMax;
    }

    public Integer getNetCoreRmemDefault() {
      return netCoreRmemDefault;
    }

    public void setNetCoreRmemDefault(Integer netCoreRmemDefault) {
      this.netCoreRmemDefault = netCoreRmemDefault;
    }

    public Integer getNetCoreRmemMax() {
      return netCoreRmemMax;
    }

    public void setNetCoreRmemMax(Integer netCoreRmemMax) {
      this.netCoreRmemMax = netCoreRmemMax;
    }

    public Integer getNetCoreSomaxconn() {
      return netCoreSomaxconn;
    }

    public void setNetCoreSomaxconn(Integer netCoreSomaxconn) {
      this.netCoreSomaxconn = netCoreSomaxconn;
    }

    public Integer getNetCoreWmemDefault() {
      return netCoreWmemDefault;
    }

    public void setNetCoreWmemDefault(Integer netCoreWmemDefault) {
      this.netCoreWmemDefault = netCoreWmemDefault;
    }

    public Integer getNetCoreWmemMax() {
      return netCoreWmemMax;
    }

    public void setNetCoreWmemMax(Integer netCoreWmemMax) {
      this.netCoreWmemMax = netCoreWmemMax;
    }

    public String getNetIPv4IPLocalPortRange() {
      return netIPv4IPLocalPortRange;
    }

    public void setNetIPv4IPLocalPortRange(String netIPv4IPLocalPortRange) {
      this.netIPv4IPLocalPortRange = netIPv4IPLocalPortRange;
    }

    public Integer getNetIPv4NeighDefaultGcThresh1() {
      return netIPv4NeighDefaultGcThresh1;
    }

    public void setNetIPv4NeighDefaultGcThresh1(Integer netIPv4NeighDefaultGcThresh1) {
      this.netIPv4NeighDefaultGcThresh1 = netIPv4NeighDefaultGcThresh1;
    }

    public Integer getNetIPv4NeighDefaultGcThresh2() {
      return netIPv4NeighDefaultGcThresh2;
    }

    public void setNetIPv4NeighDefaultGcThresh2(Integer netIPv4NeighDefaultGcThresh2) {
      this.netIPv4NeighDefaultGcThresh2 = netIPv4NeighDefaultGcThresh2;
    }

    public Integer getNetIPv4NeighDefaultGcThresh3() {
      return netIPv4NeighDefaultGcThresh3;
    }

    public void setNetIPv4NeighDefaultGcThresh3(Integer netIPv4NeighDefaultGcThresh3) {
      this.netIPv4NeighDefaultGcThresh3 = netIPv4NeighDefaultGcThresh3;
    }

    public Integer getNetIPv4TCPFinTimeout() {
      return netIPv4TCPFinTimeout;
    }

    public void setNetIPv4TCPFinTimeout(Integer netIPv4TCPFinTimeout) {
      this.netIPv4TCPFinTimeout = netIPv4TCPFinTimeout;
    }

    public Integer getNetIPv4TCPKeepaliveIntvl() {
      return netIPv4TCPKeepaliveIntvl;
    }

    public void setNetIPv4TCPKeepaliveIntvl(Integer netIPv4TCPKeepaliveIntvl) {
      this.netIPv4TCPKeepaliveIntvl = netIPv4TCPKeepaliveIntvl;
    }

    public Integer getNetIPv4TCPKeepaliveProbes() {
      return netIPv4TCPKeepaliveProbes;
    }

    public void setNetIPv4TCPKeepaliveProbes(Integer netIPv4TCPKeepaliveProbes) {
      this.netIPv4TCPKeepaliveProbes = netIPv4TCPKeepaliveProbes;
    }

    public Integer getNetIPv4TCPKeepaliveTime() {
      return netIPv4TCPKeepaliveTime;
    }

    public void setNetIPv4TCPKeepaliveTime(Integer netIPv4TCPKeepaliveTime) {
      this.netIPv4TCPKeepaliveTime = netIPv4TCPKeepaliveTime;
    }

    public Integer getNetIPv4TCPMaxSynBacklog() {
      return netIPv4TCPMaxSynBacklog;
    }

    public void setNetIPv4TCPMaxSynBacklog(Integer netIPv4TCPMaxSynBacklog) {
      this.netIPv4TCPMaxSynBacklog = netIPv4TCPMaxSynBacklog;
    }

    public Integer getNetIPv4TCPMaxTwBuckets() {
      return netIPv4TCPMaxTwBuckets;
    }

    public void setNetIPv4TCPMaxTwBuckets(Integer netIPv4TCPMaxTwBuckets) {
      this.netIPv4TCPMaxTwBuckets = netIPv4TCPMaxTwBuckets;
    }

    public Boolean getNetIPv4TCPTwReuse() {
      return netIPv4TCPTwReuse;
    }

    public void setNetIPv4TCPTwReuse(Boolean netIPv4TCPTwReuse) {
      this.netIPv4TCPTwReuse = netIPv4TCPTwReuse;
    }

    public Integer getNetNetfilterNfConntrackBuckets() {
      return netNetfilterNfConntrackBuckets;
    }

    public void setNetNetfilterNfConntrackBuckets(Integer netNetfilterNfConntrackBuckets) {
      this.netNetfilterNfConntrackBuckets = netNetfilterNfConntrackBuckets;
    }

    public Integer getNetNetfilterNfConntrackMax() {
      return netNetfilterNfConntrackMax;
    }

    public void setNetNetfilterNfConntrackMax(Integer netNetfilterNfConntrackMax) {
      this.netNetfilterNfConntrackMax = netNetfilterNfConntrackMax;
    }

    public Integer getVmMaxMapCount() {
      return vmMaxMapCount;
    }

    public void setVmMaxMapCount(Integer vmMaxMapCount) {
      this.vmMaxMapCount = vmMaxMapCount;
    }

    public Integer getVmSwappiness() {
      return vmSwappiness;
    }

    public void setVmSwappiness(Integer vmSwappiness) {
      this.vmSwappiness = vmSwappiness;
    }

    public Integer getVmVfsCachePressure() {
      return vmVfsCachePressure;
    }

    public void setVmVfsCachePressure(Integer vmVfsCachePressure) {
      this.vmVfsCachePressure = vmVfsCachePressure;
    }
  }

  public String getVnetSubnetID() {
    return vnetSubnetID;
  }

  public void setVnetSubnetID(String vnetSubnetID) {
    this.vnetSubnetID = vnetSubnetID;
  }

  public Integer getOsDiskSizeGB() {
    return osDiskSizeGB;
  }

  public void setOsDiskSizeGB(Integer osDiskSizeGB) {
    this.osDiskSizeGB = osDiskSizeGB;
  }

  public ImageFamily getImageFamily() {
    return imageFamily;
  }

  public void setImageFamily(ImageFamily imageFamily) {
    this.imageFamily = imageFamily;
  }

  public FipsMode getFipsMode() {
    return fipsMode;
  }

  public void setFipsMode(FipsMode fipsMode) {
    this.fipsMode = fipsMode;
  }

  public Map<String, String> getTags() {
    return tags;
  }

  public void setTags(Map<String, String> tags) {
    this.tags = tags;
  }

  public KubeletConfiguration getKubelet() {
    return kubelet;
  }

  public void setKubelet(KubeletConfiguration kubelet) {
    this.kubelet = kubelet;
  }

  public Integer getMaxPods() {
    return maxPods;
  }

  public void setMaxPods(Integer maxPods) {
    this.maxPods = maxPods;
  }

  public Security getSecurity() {
    return security;
  }

  public void setSecurity(Security security) {
    this.security = security;
  }

  public LocalDNS getLocalDNS() {
    return localDNS;
  }

  public void setLocalDNS(LocalDNS localDNS) {
    this.localDNS = localDNS;
  }

  public GPU getGpu() {
    return gpu;
  }

  public void setGpu(GPU gpu) {
    this.gpu = gpu;
  }

  public ArtifactStreaming getArtifactStreaming() {
    return artifactStreaming;
  }

  public void setArtifactStreaming(ArtifactStreaming artifactStreaming) {
    this.artifactStreaming = artifactStreaming;
  }

  public LinuxOSConfiguration getLinuxOSConfig() {
    return linuxOSConfig;
  }

  public void setLinuxOSConfig(LinuxOSConfiguration linuxOSConfig) {
    this.linuxOSConfig = linuxOSConfig;
  }
}
