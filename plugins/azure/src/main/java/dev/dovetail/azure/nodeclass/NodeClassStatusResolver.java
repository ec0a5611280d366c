package dev.dovetail.azure.nodeclass;

import dev.dovetail.azure.arm.ArmErrors;
import dev.dovetail.azure.arm.AzureClients;
import dev.dovetail.azure.options.AzureSettings;
import dev.dovetail.azure.v1beta1.AKSNodeClassSpec;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.NodeClassStatus.Condition;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AKSNodeClass's status as upstream's status controllers compute it: the resolved images (one
 * per architecture), the Kubernetes version, the LocalDNS state, and the conditions ImagesReady,
 * KubernetesVersionReady, SubnetsReady, ValidationSucceeded and LocalDNSReady (Ready derived by the
 * core). An ARM error other than "not found" throws, so the core keeps the last status.
 */
public final class NodeClassStatusResolver {
  private static final Pattern SUBNET =
      Pattern.compile(
          "(?i)^/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/Microsoft\\.Network/virtualNetworks/([^/]+)/subnets/([^/]+)$");

  private final AzureClients clients;
  private final AzureSettings settings;
  private final ImageProvider images;

  public NodeClassStatusResolver(
      AzureClients clients, AzureSettings settings, ImageProvider images) {
    this.clients = clients;
    this.settings = settings;
    this.images = images;
  }

  public NodeClassStatus resolve(AKSNodeClassSpec spec) {
    AKSNodeClassSpec s = spec == null ? new AKSNodeClassSpec() : spec;
    Map<String, Object> fields = new LinkedHashMap<>();
    List<Condition> conditions = new ArrayList<>();

    List<Map<String, Object>> resolved = new ArrayList<>();
    String imageError = null;
    for (String arch : List.of("amd64", "arm64")) {
      try {
        String id = images.latest(s.imageFamily, arch);
        resolved.add(
            Map.of(
                "id",
                id,
                "requirements",
                List.of(
                    Map.of(
                        "key", WellKnownLabels.ARCH, "operator", "In", "values", List.of(arch)))));
      } catch (RuntimeException e) {
        if (imageError == null) {
          imageError = arch + ": " + ArmErrors.describe(e);
        }
      }
    }
    fields.put("images", resolved);
    conditions.add(
        resolved.isEmpty()
            ? Condition.isFalse("ImagesReady", "ImagesNotFound", "no node image: " + imageError)
            : Condition.isTrue("ImagesReady", "ImagesReady"));

    fields.put("kubernetesVersion", settings.kubernetesVersion());
    conditions.add(Condition.isTrue("KubernetesVersionReady", "KubernetesVersionReady"));

    conditions.add(subnetCondition(s));
    conditions.add(Condition.isTrue("ValidationSucceeded", "ValidationSucceeded"));

    // Without AKS's cluster gates, Preferred resolves to Disabled; Required forces it on.
    boolean localDns =
        s.localDNS != null && s.localDNS.mode == AKSNodeClassSpec.LocalDNSMode.Required;
    fields.put("localDNSState", localDns ? "Enabled" : "Disabled");
    conditions.add(Condition.isTrue("LocalDNSReady", "LocalDNSReady"));
    return new NodeClassStatus(fields, conditions);
  }

  private Condition subnetCondition(AKSNodeClassSpec s) {
    String id = s.vnetSubnetID != null ? s.vnetSubnetID : settings.vnetSubnetId();
    Matcher m = SUBNET.matcher(id);
    if (!m.matches()) {
      return Condition.isFalse("SubnetsReady", "SubnetInvalid", "not a subnet id: " + id);
    }
    try {
      clients.network().getSubnets().get(m.group(1), m.group(2), m.group(3));
      return Condition.isTrue("SubnetsReady", "SubnetsReady");
    } catch (RuntimeException e) {
      if (ArmErrors.isNotFound(e)) {
        return Condition.isFalse("SubnetsReady", "SubnetNotFound", "subnet " + id + " not found");
      }
      throw e;
    }
  }
}
