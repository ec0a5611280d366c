package dev.dovetail.aws.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dovetail.cloudprovider.crd.TagKeyRules;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * The EC2NodeClass spec with upstream's field names, types and CEL validation. Public fields keep
 * the model a plain Jackson bean; unset optional fields stay null so the hash ignores them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EC2NodeClassSpec {

  @Required
  @Size(max = 30)
  @ValidationRule(value = "self.size() != 0", message = "subnetSelectorTerms cannot be empty")
  @ValidationRule(
      value = "self.all(x, has(x.tags) || has(x.id))",
      message = "expected at least one, got none, ['tags', 'id']")
  @ValidationRule(
      value = "!self.all(x, has(x.id) && has(x.tags))",
      message =
          "'id' is mutually exclusive, cannot be set with a combination of other fields in a"
              + " subnet selector term")
  public List<SelectorTerms.SubnetSelectorTerm> subnetSelectorTerms;

  @Required
  @Size(max = 30)
  @ValidationRule(
      value = "self.size() != 0",
      message = "securityGroupSelectorTerms cannot be empty")
  @ValidationRule(
      value = "self.all(x, has(x.tags) || has(x.id) || has(x.name))",
      message = "expected at least one, got none, ['tags', 'id', 'name']")
  @ValidationRule(
      value = "!self.all(x, has(x.id) && (has(x.tags) || has(x.name)))",
      message =
          "'id' is mutually exclusive, cannot be set with a combination of other fields in a"
              + " security group selector term")
  @ValidationRule(
      value = "!self.all(x, has(x.name) && (has(x.tags) || has(x.id)))",
      message =
          "'name' is mutually exclusive, cannot be set with a combination of other fields in a"
              + " security group selector term")
  public List<SelectorTerms.SecurityGroupSelectorTerm> securityGroupSelectorTerms;

  @Size(max = 30)
  @ValidationRule(
      value = "self.all(x, has(x.tags) || has(x.id) || has(x.instanceMatchCriteria))",
      message = "expected at least one, got none, ['tags', 'id', 'instanceMatchCriteria']")
  @ValidationRule(
      value =
          "!self.all(x, has(x.id) && (has(x.tags) || has(x.ownerID) ||"
              + " has(x.instanceMatchCriteria)))",
      message =
          "'id' is mutually exclusive, cannot be set along with other fields in a capacity"
              + " reservation selector term")
  public List<SelectorTerms.CapacityReservationSelectorTerm> capacityReservationSelectorTerms;

  @ValidationRule(
      value = "has(self.name) || has(self.id)",
      message = "expected at least one, got none, ['name', 'id']")
  @ValidationRule(
      value = "!(has(self.name) && has(self.id))",
      message = "'name' and 'id' are mutually exclusive")
  public SelectorTerms.PlacementGroupSelector placementGroupSelector;

  @JsonProperty("associatePublicIPAddress")
  public Boolean associatePublicIPAddress;

  @Min(0)
  public Integer ipPrefixCount;

  @Required
  @Size(min = 1, max = 30)
  @ValidationRule(
      value =
          "self.all(x, has(x.tags) || has(x.id) || has(x.name) || has(x.alias) ||"
              + " has(x.ssmParameter))",
      message = "expected at least one, got none, ['tags', 'id', 'name', 'alias', 'ssmParameter']")
  @ValidationRule(
      value =
          "!self.exists(x, has(x.id) && (has(x.alias) || has(x.tags) || has(x.name) ||"
              + " has(x.owner)))",
      message =
          "'id' is mutually exclusive, cannot be set with a combination of other fields in"
              + " amiSelectorTerms")
  @ValidationRule(
      value =
          "!self.exists(x, has(x.alias) && (has(x.id) || has(x.tags) || has(x.name) ||"
              + " has(x.owner)))",
      message =
          "'alias' is mutually exclusive, cannot be set with a combination of other fields in"
              + " amiSelectorTerms")
  @ValidationRule(
      value = "!(self.exists(x, has(x.alias)) && self.size() != 1)",
      message =
          "'alias' is mutually exclusive, cannot be set with a combination of other"
              + " amiSelectorTerms")
  public List<SelectorTerms.AMISelectorTerm> amiSelectorTerms;

  public AmiFamily amiFamily;

  public String userData;

  @ValidationRule(value = "self != ''", message = "role cannot be empty")
  public String role;

  @ValidationRule(value = "self != ''", message = "instanceProfile cannot be empty")
  public String instanceProfile;

  @ValidationRule(value = TagKeyRules.NO_EMPTY_KEY, message = TagKeyRules.NO_EMPTY_KEY_MSG)
  @ValidationRule(
      value = "self.all(k, k !='eks:eks-cluster-name')",
      message = "tag contains a restricted tag matching eks:eks-cluster-name")
  @ValidationRule(value = TagKeyRules.NO_CLUSTER, message = TagKeyRules.NO_CLUSTER_MSG)
  @ValidationRule(value = TagKeyRules.NO_NODEPOOL, message = TagKeyRules.NO_NODEPOOL_MSG)
  @ValidationRule(value = TagKeyRules.NO_NODECLAIM, message = TagKeyRules.NO_NODECLAIM_MSG)
  @ValidationRule(
      value = "self.all(k, k !='karpenter.k8s.aws/ec2nodeclass')",
      message = "tag contains a restricted tag matching karpenter.k8s.aws/ec2nodeclass")
  public Map<String, String> tags;

  /**
   * The kubelet configuration: an open object as upstream has it (any KubeletConfiguration field);
   * {@link KubeletSettings} reads the fields that matter for scheduling and bootstrap.
   */
  @PreserveUnknownFields
  @SchemaFrom(type = OpenObject.class)
  public Map<String, Object> kubelet;

  /** Schema stand-in for an object of any shape (upstream: PreserveUnknownFields, type object). */
  public static final class OpenObject {}

  @Size(max = 50)
  @ValidationRule(
      value = "self.filter(x, has(x.rootVolume)?x.rootVolume==true:false).size() <= 1",
      message = "must have only one blockDeviceMappings with rootVolume")
  public List<BlockDeviceMapping> blockDeviceMappings;

  public InstanceStorePolicy instanceStorePolicy;

  @Size(max = 150)
  @ValidationRule(
      value =
          "self.size() == 0 || self.exists(x, x.deviceIndex == 0 && x.networkCardIndex == 0 &&"
              + " x.interfaceType == 'interface')",
      message = "networkInterfaces must include a primary interface with interfaceType='interface'")
  public List<NetworkInterface> networkInterfaces;

  public Boolean detailedMonitoring;

  public MetadataOptions metadataOptions;

  public ConnectionTracking connectionTracking;

  public String context;

  public CpuOptions cpuOptions;

  /** How instance-store disks are used. */
  public enum InstanceStorePolicy {
    RAID0
  }

  /** One network interface of the launch template. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NetworkInterface {
    @Required
    @Min(0)
    public Integer networkCardIndex;

    @Required
    @Min(0)
    public Integer deviceIndex;

    @Required
    @io.fabric8.generator.annotation.Pattern("^(interface|efa-only)$")
    public String interfaceType;
  }

  /** Idle connection tracking timeouts of the ENIs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "has(self.tcpEstablishedTimeout) || has(self.udpStreamTimeout) || has(self.udpTimeout)",
      message =
          "at least one of tcpEstablishedTimeout, udpStreamTimeout, or udpTimeout must be set")
  public static class ConnectionTracking {
    @Min(60)
    @io.fabric8.generator.annotation.Max(432000)
    public Integer tcpEstablishedTimeout;

    @Min(60)
    @io.fabric8.generator.annotation.Max(180)
    public Integer udpStreamTimeout;

    @Min(30)
    @io.fabric8.generator.annotation.Max(60)
    public Integer udpTimeout;
  }

  /** CPU options of the instance. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CpuOptions {
    @io.fabric8.generator.annotation.Pattern("^(enabled|disabled)$")
    public String nestedVirtualization;
  }
}
