package dev.dovetail.aws.nodeclass;

import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.cloudprovider.NodeClassStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resolved EC2NodeClass status as the SPI's {@link NodeClassStatus}: the status fields in
 * upstream's JSON names ({@code subnets}, {@code securityGroups}, {@code amis}, {@code
 * instanceProfile}, {@code capacityReservations}) as plain JSON values, and every condition (Ready
 * among them) for the core to write to {@code .status}.
 */
public final class NodeClassStatusView {
  private NodeClassStatusView() {}

  @SuppressWarnings("unchecked")
  public static NodeClassStatus of(EC2NodeClassStatus status) {
    Map<String, Object> fields =
        new LinkedHashMap<>(Serialization.jsonMapper().convertValue(status, Map.class));
    fields.remove("conditions");
    // Dovetail's own bookkeeping (free instances move with every launch), not upstream's status
    // field: writing it would update the object after every launch for nobody.
    Object reservations = fields.get("capacityReservations");
    if (reservations instanceof List<?> list) {
      List<Object> cleaned = new ArrayList<>();
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
          copy.remove("availableInstanceCount");
          cleaned.add(copy);
        } else {
          cleaned.add(o);
        }
      }
      fields.put("capacityReservations", cleaned);
    }
    List<NodeClassStatus.Condition> conditions = new ArrayList<>();
    if (status.conditions != null) {
      for (var c : status.conditions) {
        conditions.add(
            new NodeClassStatus.Condition(
                c.getType(), "True".equals(c.getStatus()), c.getReason(), c.getMessage()));
      }
    }
    return new NodeClassStatus(fields, conditions);
  }
}
