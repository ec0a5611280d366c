package dev.dovetail.aws.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.ArrayList;
import java.util.List;

/** What the provider resolved for an EC2NodeClass, and whether it is Ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EC2NodeClassStatus {
  public static final String READY = "Ready";
  public static final String SUBNETS_READY = "SubnetsReady";
  public static final String SECURITY_GROUPS_READY = "SecurityGroupsReady";
  public static final String AMIS_READY = "AMIsReady";
  public static final String INSTANCE_PROFILE_READY = "InstanceProfileReady";
  public static final String CAPACITY_RESERVATIONS_READY = "CapacityReservationsReady";
  public static final String VALIDATION_SUCCEEDED = "ValidationSucceeded";

  /**
   * Dovetail's own: the API server endpoint nodes join is known (setting or eks:DescribeCluster).
   * Upstream refuses to start without it; here the NodeClass is not Ready and says why.
   */
  public static final String CLUSTER_ENDPOINT_READY = "ClusterEndpointReady";

  public List<Subnet> subnets;
  public List<SecurityGroup> securityGroups;
  public List<CapacityReservation> capacityReservations;

  @JsonProperty("amis")
  public List<Ami> amis;

  public String instanceProfile;
  public List<Condition> conditions = new ArrayList<>();

  /** A resolved subnet. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Subnet {
    @Required public String id;
    @Required public String zone;

    @JsonProperty("zoneID")
    public String zoneID;

    public Subnet() {}

    public Subnet(String id, String zone, String zoneID) {
      this.id = id;
      this.zone = zone;
      this.zoneID = zoneID;
    }
  }

  /** A resolved security group. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecurityGroup {
    @Required public String id;
    public String name;

    public SecurityGroup() {}

    public SecurityGroup(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  /** A resolved AMI with the node requirements it serves (arch, GPU or not, ...). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Ami {
    @Required public String id;
    public Boolean deprecated;
    public String name;
    @Required public List<NodeSelectorRequirement> requirements = new ArrayList<>();
  }

  /** A resolved capacity reservation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CapacityReservation {
    @Required public String availabilityZone;
    public String endTime;
    @Required public String id;
    @Required public String instanceMatchCriteria;
    @Required public String instanceType;

    @JsonProperty("ownerID")
    @Required
    public String ownerID;

    @Required public String reservationType = "default";
    @Required public Boolean interruptible = false;
    @Required public String state = "active";

    /** Instances still free (not in upstream's status; used for the reserved offering). */
    public Integer availableInstanceCount;
  }

  /** The condition of this type, or null. */
  public Condition condition(String type) {
    if (conditions == null) {
      return null;
    }
    for (Condition c : conditions) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  /** Whether the Ready condition is True. */
  public boolean ready() {
    Condition c = condition(READY);
    return c != null && "True".equals(c.getStatus());
  }
}
