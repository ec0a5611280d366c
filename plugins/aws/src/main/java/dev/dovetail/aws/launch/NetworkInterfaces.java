package dev.dovetail.aws.launch;

import dev.dovetail.aws.apis.v1.EC2NodeClassSpec;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest;

/**
 * A launch template's network interfaces: the NodeClass's {@code networkInterfaces} (EFA-only ones
 * as {@code efa-only}); else, for a NodeClaim requesting EFA, {@code efaCount} interfaces of type
 * {@code efa}, one per network card (device index 0 on card 0, 1 on the others, so card 0 keeps the
 * primary interface), as upstream; else one primary interface when a public-IP choice, IPv4
 * prefixes or connection tracking need one; empty when none of these is set (the security groups
 * then go on the template itself).
 */
final class NetworkInterfaces {
  private NetworkInterfaces() {}

  static List<LaunchTemplateInstanceNetworkInterfaceSpecificationRequest> of(
      EC2NodeClassSpec spec, List<String> groups, int efaCount) {
    boolean declaredAny = spec.networkInterfaces != null && !spec.networkInterfaces.isEmpty();
    if (!declaredAny && efaCount > 0) {
      List<LaunchTemplateInstanceNetworkInterfaceSpecificationRequest> out = new ArrayList<>();
      for (int card = 0; card < efaCount; card++) {
        LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.Builder nb =
            LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.builder()
                .networkCardIndex(card)
                .deviceIndex(card == 0 ? 0 : 1)
                .interfaceType("efa")
                .groups(groups)
                .deleteOnTermination(true);
        primarySettings(spec, nb);
        connectionTracking(spec, nb);
        out.add(nb.build());
      }
      return out;
    }
    boolean primaryNeeded =
        spec.associatePublicIPAddress != null
            || spec.ipPrefixCount != null
            || spec.connectionTracking != null;
    List<EC2NodeClassSpec.NetworkInterface> declared =
        spec.networkInterfaces == null ? List.of() : spec.networkInterfaces;
    if (declared.isEmpty() && !primaryNeeded) {
      return List.of();
    }
    if (declared.isEmpty()) {
      var primary = new EC2NodeClassSpec.NetworkInterface();
      primary.networkCardIndex = 0;
      primary.deviceIndex = 0;
      primary.interfaceType = "interface";
      declared = List.of(primary);
    }
    List<LaunchTemplateInstanceNetworkInterfaceSpecificationRequest> out = new ArrayList<>();
    for (var ni : declared) {
      boolean primary = ni.networkCardIndex == 0 && ni.deviceIndex == 0;
      boolean efaOnly = "efa-only".equals(ni.interfaceType);
      LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.Builder nb =
          LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.builder()
              .networkCardIndex(ni.networkCardIndex)
              .deviceIndex(ni.deviceIndex)
              .groups(groups)
              .deleteOnTermination(true);
      if (efaOnly) {
        nb.interfaceType("efa-only");
      }
      if (primary) {
        primarySettings(spec, nb);
      }
      // EFA-only interfaces carry no IP traffic, so there is nothing to track on them.
      if (!efaOnly) {
        connectionTracking(spec, nb);
      }
      out.add(nb.build());
    }
    return out;
  }

  /** Public IP and IPv4 prefixes: settings of the primary interface only. */
  private static void primarySettings(
      EC2NodeClassSpec spec,
      LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.Builder nb) {
    if (spec.associatePublicIPAddress != null) {
      nb.associatePublicIpAddress(spec.associatePublicIPAddress);
    }
    if (spec.ipPrefixCount != null) {
      nb.ipv4PrefixCount(spec.ipPrefixCount);
    }
  }

  private static void connectionTracking(
      EC2NodeClassSpec spec,
      LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.Builder nb) {
    if (spec.connectionTracking != null) {
      var ct = spec.connectionTracking;
      nb.connectionTrackingSpecification(
          c ->
              c.tcpEstablishedTimeout(ct.tcpEstablishedTimeout)
                  .udpStreamTimeout(ct.udpStreamTimeout)
                  .udpTimeout(ct.udpTimeout));
    }
  }
}
