package dev.dovetail.gcp.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dovetail.cloudprovider.crd.KubeletImageGc;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * Kubelet settings for the nodes, named as in the kubelet's {@code KubeletConfiguration} (upstream
 * merges them into the {@code kubelet-config} bootstrap metadata).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeletConfiguration extends KubeletImageGc {
  static final String QUANTITY =
      "^(\\\\+|-)?(([0-9]+(\\\\.[0-9]*)?)|(\\\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\\\+|-)?(([0-9]+(\\\\.[0-9]*)?)|(\\\\.[0-9]+))))?$";
  static final String PERCENT_OR_QUANTITY =
      "^((\\\\d{1,2}(\\\\.\\\\d{1,2})?|100(\\\\.0{1,2})?)%|(\\\\+|-)?(([0-9]+(\\\\.[0-9]*)?)|(\\\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\\\+|-)?(([0-9]+(\\\\.[0-9]*)?)|(\\\\.[0-9]+))))?)$";
  static final String SIGNALS =
      "['memory.available','nodefs.available','nodefs.inodesFree','imagefs.available','imagefs.inodesFree','pid.available']";

  @JsonProperty("clusterDNS")
  public List<String> clusterDNS;

  @Min(0)
  public Integer maxPods;

  @Min(0)
  public Integer podsPerCore;

  @Size(max = 10)
  @ValidationRule(
      value = "self.all(x, x=='cpu' || x=='memory' || x=='ephemeral-storage' || x=='pid')",
      message = "valid keys for systemReserved are ['cpu','memory','ephemeral-storage','pid']")
  @ValidationRule(
      value = "self.all(x, !self[x].startsWith('-'))",
      message = "systemReserved value cannot be a negative resource quantity")
  @ValidationRule(
      value = "self.all(x, self[x].matches('" + QUANTITY + "'))",
      message = "systemReserved values must be a resource.Quantity")
  public Map<String, @Size(max = 64) String> systemReserved;

  @Size(max = 10)
  @ValidationRule(
      value = "self.all(x, x=='cpu' || x=='memory' || x=='ephemeral-storage' || x=='pid')",
      message = "valid keys for kubeReserved are ['cpu','memory','ephemeral-storage','pid']")
  @ValidationRule(
      value = "self.all(x, !self[x].startsWith('-'))",
      message = "kubeReserved value cannot be a negative resource quantity")
  @ValidationRule(
      value = "self.all(x, self[x].matches('" + QUANTITY + "'))",
      message = "kubeReserved values must be a resource.Quantity")
  public Map<String, @Size(max = 64) String> kubeReserved;

  @Size(max = 10)
  @ValidationRule(
      value = "self.all(x, x in " + SIGNALS + ")",
      message = "valid keys for evictionHard are " + SIGNALS)
  @ValidationRule(
      value = "self.all(x, self[x].matches('" + PERCENT_OR_QUANTITY + "'))",
      message = "evictionHard values must be a percentage or a resource.Quantity")
  public Map<String, @Size(max = 64) String> evictionHard;

  @Size(max = 10)
  @ValidationRule(
      value = "self.all(x, x in " + SIGNALS + ")",
      message = "valid keys for evictionSoft are " + SIGNALS)
  @ValidationRule(
      value = "self.all(x, self[x].matches('" + PERCENT_OR_QUANTITY + "'))",
      message = "evictionSoft values must be a percentage or a resource.Quantity")
  public Map<String, @Size(max = 64) String> evictionSoft;

  @Size(max = 10)
  @ValidationRule(
      value = "self.all(x, x in " + SIGNALS + ")",
      message = "valid keys for evictionSoftGracePeriod are " + SIGNALS)
  public Map<String, String> evictionSoftGracePeriod;

  public Integer evictionMaxPodGracePeriod;

  @JsonProperty("cpuCFSQuota")
  public Boolean cpuCFSQuota;
}
