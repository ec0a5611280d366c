// About 500 lines, on purpose: upstream's AKSNodeClass spec field by field (kubelet, linuxOSConfig
// sysctls, localDNS, security, ...) as public fields, each with its default, enum, pattern and CEL
// rule as the annotations the CRD generator reads; nearly every line is one of those.
package dev.dovetail.azure.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dovetail.cloudprovider.crd.KubeletImageGc;
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
  public String vnetSubnetID;

  @Min(30)
  @Max(2048)
  @Default("128")
  @JsonProperty("osDiskSizeGB")
  public Integer osDiskSizeGB;

  @Default("Ubuntu")
  public ImageFamily imageFamily;

  public FipsMode fipsMode;

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
  public Map<String, String> tags;

  @ValidationRule(
      value =
          "has(self.imageGCHighThresholdPercent) && has(self.imageGCLowThresholdPercent) ? "
              + " self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent  : true",
      message = "imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent")
  public KubeletConfiguration kubelet;

  @Min(10)
  @Max(250)
  public Integer maxPods;

  public Security security;
  public LocalDNS localDNS;
  public GPU gpu;
  public ArtifactStreaming artifactStreaming;
  public LinuxOSConfiguration linuxOSConfig;

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
  public static class KubeletConfiguration extends KubeletImageGc {
    @Default("none")
    public CpuManagerPolicy cpuManagerPolicy;

    @Default("true")
    @JsonProperty("cpuCFSQuota")
    public Boolean cpuCFSQuota;

    @Default("100ms")
    @JsonProperty("cpuCFSQuotaPeriod")
    public String cpuCFSQuotaPeriod;

    @Default("none")
    public TopologyManagerPolicy topologyManagerPolicy;

    public List<String> allowedUnsafeSysctls;

    @Default("50Mi")
    @Pattern(QUANTITY_SUFFIX_PATTERN)
    public String containerLogMaxSize;

    @Min(2)
    @Default("5")
    public Integer containerLogMaxFiles;

    public Long podPidsLimit;
    public Boolean failSwapOn;
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
    public Boolean encryptionAtHost;
    public TrustedLaunch trustedLaunch;
  }

  /** Trusted Launch VM settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TrustedLaunch {
    public Boolean secureBoot;
    public Boolean vtpm;
  }

  /** Node-local DNS cache settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LocalDNS {
    @Required public LocalDNSMode mode;

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
    public List<LocalDNSZoneOverride> vnetDNSOverrides;

    @Required
    @Size(max = 100)
    @ValidationRule(
        value = "['.', 'cluster.local'].all(z, self.exists(x, x.zone == z))",
        message = "must contain required zones '.' and 'cluster.local'")
    @JsonProperty("kubeDNSOverrides")
    public List<LocalDNSZoneOverride> kubeDNSOverrides;
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
    public String zone;

    @Required public QueryLogging queryLogging;
    @Required public Protocol protocol;
    @Required public ForwardDestination forwardDestination;
    @Required public ForwardPolicy forwardPolicy;

    @Required
    @Min(0)
    public Integer maxConcurrent;

    @Required
    @Pattern(DURATION_PATTERN)
    public String cacheDuration;

    @Required
    @Pattern(DURATION_PATTERN)
    public String serveStaleDuration;

    @Required public ServeStale serveStale;
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
    public GPUMode mode;
  }

  /** Whether the GPU driver is installed. */
  public enum GPUMode {
    Driver,
    None
  }

  /** Artifact streaming (lazy image pulls). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ArtifactStreaming {
    public Boolean enabled;
  }

  /** Linux OS settings: swap, transparent huge pages, sysctls. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LinuxOSConfiguration {
    @Pattern(QUANTITY_SUFFIX_PATTERN)
    public String swapFileSize;

    public TransparentHugePageEnabled transparentHugePageEnabled;
    public TransparentHugePageDefrag transparentHugePageDefrag;

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
    public Sysctls sysctls;

    public void setTransparentHugePageEnabled(
        TransparentHugePageEnabled transparentHugePageEnabled) {
      this.transparentHugePageEnabled = transparentHugePageEnabled;
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
    public Integer fsAioMaxNr;

    @Min(8192)
    @Max(12000500)
    public Integer fsFileMax;

    @Min(781250)
    @Max(2097152)
    public Integer fsInotifyMaxUserWatches;

    @Min(8192)
    @Max(20000500)
    public Integer fsNrOpen;

    @Min(20)
    @Max(513785)
    public Integer kernelThreadsMax;

    @Min(1000)
    @Max(3240000)
    public Integer netCoreNetdevMaxBacklog;

    @Min(20480)
    @Max(4194304)
    public Integer netCoreOptmemMax;

    @Min(212992)
    @Max(134217728)
    public Integer netCoreRmemDefault;

    @Min(212992)
    @Max(134217728)
    public Integer netCoreRmemMax;

    @Min(4096)
    @Max(3240000)
    public Integer netCoreSomaxconn;

    @Min(212992)
    @Max(134217728)
    public Integer netCoreWmemDefault;

    @Min(212992)
    @Max(134217728)
    public Integer netCoreWmemMax;

    @Pattern("^\\d+ \\d+$")
    @JsonProperty("netIPv4IPLocalPortRange")
    public String netIPv4IPLocalPortRange;

    @Min(128)
    @Max(80000)
    @JsonProperty("netIPv4NeighDefaultGcThresh1")
    public Integer netIPv4NeighDefaultGcThresh1;

    @Min(512)
    @Max(90000)
    @JsonProperty("netIPv4NeighDefaultGcThresh2")
    public Integer netIPv4NeighDefaultGcThresh2;

    @Min(1024)
    @Max(100000)
    @JsonProperty("netIPv4NeighDefaultGcThresh3")
    public Integer netIPv4NeighDefaultGcThresh3;

    @Min(5)
    @Max(120)
    @JsonProperty("netIPv4TCPFinTimeout")
    public Integer netIPv4TCPFinTimeout;

    @Min(10)
    @Max(90)
    @JsonProperty("netIPv4TCPKeepaliveIntvl")
    public Integer netIPv4TCPKeepaliveIntvl;

    @Min(1)
    @Max(15)
    @JsonProperty("netIPv4TCPKeepaliveProbes")
    public Integer netIPv4TCPKeepaliveProbes;

    @Min(30)
    @Max(432000)
    @JsonProperty("netIPv4TCPKeepaliveTime")
    public Integer netIPv4TCPKeepaliveTime;

    @Min(128)
    @Max(3240000)
    @JsonProperty("netIPv4TCPMaxSynBacklog")
    public Integer netIPv4TCPMaxSynBacklog;

    @Min(8000)
    @Max(1440000)
    @JsonProperty("netIPv4TCPMaxTwBuckets")
    public Integer netIPv4TCPMaxTwBuckets;

    @JsonProperty("netIPv4TCPTwReuse")
    public Boolean netIPv4TCPTwReuse;

    @Min(65536)
    @Max(524288)
    public Integer netNetfilterNfConntrackBuckets;

    @Min(131072)
    @Max(2097152)
    public Integer netNetfilterNfConntrackMax;

    @Min(65530)
    @Max(262144)
    public Integer vmMaxMapCount;

    @Min(0)
    @Max(100)
    public Integer vmSwappiness;

    @Min(0)
    @Max(100)
    public Integer vmVfsCachePressure;
  }
}
