package dev.dovetail.gcp.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dovetail.cloudprovider.crd.TagKeyRules;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * {@code spec} of a GCENodeClass with the field names, defaults, patterns and CEL rules of
 * cloudpilot-ai/karpenter-provider-gcp {@code pkg/apis/v1alpha1/gcenodeclass.go}. Public fields
 * keep the model a plain Jackson bean; unset optional fields stay null so the hash ignores them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GCENodeClassSpec {
  static final String SERVICE_ACCOUNT_PATTERN =
      "^[^@]+@(developer\\.gserviceaccount\\.com|[^@]+\\.iam\\.gserviceaccount\\.com)$";
  static final String RFC1035_PATTERN = "^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";

  /** GKE bootstrap metadata keys the provider owns; users may not set them. */
  static final List<String> RESERVED_METADATA_KEYS =
      List.of(
          "cluster-location",
          "cluster-name",
          "cluster-uid",
          "configure-sh",
          "containerd-configure-sh",
          "disable-address-manager",
          "enable-os-login",
          "gci-ensure-gke-docker",
          "gci-metrics-enabled",
          "gci-update-strategy",
          "instance-template",
          "install-ssh-psm1",
          "k8s-node-setup-psm1",
          "kube-env",
          "kube-labels",
          "startup-script",
          "user-data",
          "user-profile-psm1",
          "windows-startup-script-ps1",
          "common-psm1",
          "kubeconfig",
          "kubelet-config");

  /** The IAM service account email the instance runs as. */
  @Pattern(SERVICE_ACCOUNT_PATTERN)
  public String serviceAccount;

  /** Disks to attach to the instance. */
  @Size(max = 10)
  public List<Disk> disks;

  /** Image selector terms, ORed (not part of the NodeClass hash: images drift on their own). */
  @Required
  @Size(min = 1, max = 30)
  @ValidationRule(
      value = "self.all(x, has(x.alias) || has(x.id) || has(x.family))",
      message = "each term must set exactly one of: alias, id, or family (with channel or version)")
  @ValidationRule(
      value =
          "!(self.exists(t, has(t.channel)) && self.exists(t, has(t.family) && t.family =="
              + " 'ContainerOptimizedOS' && has(t.version) && t.version == 'latest'))",
      message = "channel: and version: latest cannot both appear in the same imageSelectorTerms")
  public List<ImageSelectorTerm> imageSelectorTerms;

  /** The image family used for bootstrap; required when no alias term names one. */
  public ImageFamily imageFamily;

  /** The subnetwork secondary range pod IPs come from (default: the cluster's pod range). */
  @Size(min = 1, max = 63)
  @Pattern(RFC1035_PATTERN)
  public String subnetRangeName;

  @ValidationRule(
      value =
          "has(self.imageGCHighThresholdPercent) && has(self.imageGCLowThresholdPercent) ? "
              + " self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent  : true",
      message = "imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent")
  @ValidationRule(
      value =
          "has(self.evictionSoft) ? self.evictionSoft.all(e, (e in"
              + " self.evictionSoftGracePeriod)):true",
      message = "evictionSoft OwnerKey does not have a matching evictionSoftGracePeriod")
  @ValidationRule(
      value =
          "has(self.evictionSoftGracePeriod) ? self.evictionSoftGracePeriod.all(e, (e in"
              + " self.evictionSoft)):true",
      message = "evictionSoftGracePeriod OwnerKey does not have a matching evictionSoft")
  public KubeletConfiguration kubeletConfiguration;

  /** GCE labels put on the VM. */
  @Size(max = 20)
  @ValidationRule(value = TagKeyRules.NO_EMPTY_KEY, message = TagKeyRules.NO_EMPTY_KEY_MSG)
  @ValidationRule(
      value = "self.all(k, k !='gce:gce-cluster-name')",
      message = "tag contains a restricted tag matching gce:gce-cluster-name")
  @ValidationRule(value = TagKeyRules.NO_CLUSTER, message = TagKeyRules.NO_CLUSTER_MSG)
  @ValidationRule(value = TagKeyRules.NO_NODEPOOL, message = TagKeyRules.NO_NODEPOOL_MSG)
  @ValidationRule(value = TagKeyRules.NO_NODECLAIM, message = TagKeyRules.NO_NODECLAIM_MSG)
  @ValidationRule(
      value = "self.all(k, k !='karpenter.k8s.gcp/gcenodeclass')",
      message = "tag contains a restricted tag matching karpenter.k8s.gcp/gcenodeclass")
  public Map<String, String> labels;

  /** Instance metadata key/value pairs; GKE bootstrap keys are reserved. */
  @ValidationRule(
      value =
          "!('cluster-location' in self) && !('cluster-name' in self) && !('cluster-uid' in"
              + " self) && !('configure-sh' in self) && !('containerd-configure-sh' in self) &&"
              + " !('disable-address-manager' in self) && !('enable-os-login' in self) &&"
              + " !('gci-ensure-gke-docker' in self) && !('gci-metrics-enabled' in self) &&"
              + " !('gci-update-strategy' in self) && !('instance-template' in self) &&"
              + " !('install-ssh-psm1' in self) && !('k8s-node-setup-psm1' in self) &&"
              + " !('kube-env' in self) && !('kube-labels' in self) && !('startup-script' in"
              + " self) && !('user-data' in self) && !('user-profile-psm1' in self) &&"
              + " !('windows-startup-script-ps1' in self) && !('common-psm1' in self) &&"
              + " !('kubeconfig' in self) && !('kubelet-config' in self)",
      message = "spec.metadata contains a reserved GKE metadata key")
  public Map<String, String> metadata;

  /** Network tags (firewall targets), RFC 1035 names. */
  @Size(max = 20)
  public List<@Size(min = 1, max = 63) @Pattern(RFC1035_PATTERN) String> networkTags;

  /** Shielded VM: Secure Boot, vTPM, integrity monitoring. */
  public ShieldedInstanceConfig shieldedInstanceConfig;

  /** Confidential VM technology; unset disables it. */
  public ConfidentialInstanceType confidentialInstanceType;

  /** Per-interface network settings. */
  public NetworkConfig networkConfig;

  /** Taint GPU nodes with {@code nvidia.com/gpu=present:NoSchedule} automatically. */
  @JsonProperty("autoGPUTaint")
  public Boolean autoGPUTaint;

  /** Which NVIDIA driver GKE installs on GPU nodes. */
  @JsonProperty("gpuDriverVersion")
  @Default("default")
  public GpuDriverVersion gpuDriverVersion;

  /** Image families with GKE node images. */
  public enum ImageFamily {
    Ubuntu,
    ContainerOptimizedOS
  }

  /** Confidential VM technologies. */
  public enum ConfidentialInstanceType {
    SEV,
    SEV_SNP,
    TDX
  }

  /** GKE's {@code gpu_driver_installation_config.gpu_driver_version}. */
  public enum GpuDriverVersion {
    @JsonProperty("default")
    DEFAULT,
    @JsonProperty("latest")
    LATEST,
    @JsonProperty("disabled")
    DISABLED
  }
}
