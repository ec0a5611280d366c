package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassRef;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.NodeClaims;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypeOfferingsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesResponse;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.InstanceTypeOffering;
import software.amazon.awssdk.services.ec2.model.LocationType;
import software.amazon.awssdk.services.ec2.model.NetworkCardInfo;

/**
 * EFA interfaces for a NodeClaim requesting {@code vpc.amazonaws.com/efa} (issue 18 point 9), as
 * upstream's launch template network interfaces: as many interfaces of type {@code efa} as the
 * instance type's {@code NetworkInfo.EfaInfo.MaximumEfaInterfaces}, one per network card (device
 * index 0 on card 0, 1 on the others), each with the security groups (then not on the template),
 * and one launch template per distinct EFA count. Form names: EC2 Query API,
 * RequestLaunchTemplateData.NetworkInterface.N
 * (LaunchTemplateInstanceNetworkInterfaceSpecificationRequest).
 */
class EfaWireMockTest extends AwsWireMockTestBase {
  private static final String NI = "LaunchTemplateData.NetworkInterface.";
  private static final String SG = "sg-0123456789abcdef0";

  /** An EFA-capable type with DescribeInstanceTypes' figures for its cards and EFA limit. */
  private static InstanceTypeInfo efaType(
      String name, int vcpus, long mib, int cards, int enisPerCard, int maxEfa) {
    InstanceTypeInfo base =
        AwsFixtures.type(
            name, vcpus, mib, "x86_64", "Intel", 3.5, enisPerCard * cards, 50, 100, true);
    List<NetworkCardInfo> cardInfo = new ArrayList<>();
    for (int c = 0; c < cards; c++) {
      cardInfo.add(
          NetworkCardInfo.builder()
              .networkCardIndex(c)
              .networkPerformance("100 Gigabit")
              .maximumNetworkInterfaces(enisPerCard)
              .baselineBandwidthInGbps(100.0)
              .peakBandwidthInGbps(100.0)
              .build());
    }
    return base.toBuilder()
        .networkInfo(
            base.networkInfo().toBuilder()
                .networkPerformance("100 Gigabit")
                .maximumNetworkCards(cards)
                .networkCards(cardInfo)
                .efaSupported(true)
                .efaInfo(e -> e.maximumEfaInterfaces(maxEfa))
                .build())
        .build();
  }

  @BeforeEach
  void efaTypes() {
    List<InstanceTypeInfo> types = new ArrayList<>(AwsFixtures.instanceTypes());
    types.add(efaType("c5n.18xlarge", 72, 196608, 1, 15, 1));
    types.add(efaType("c6in.32xlarge", 128, 262144, 2, 8, 2));
    stubEc2(
        "DescribeInstanceTypes",
        Ec2Xml.response(
            "DescribeInstanceTypes",
            DescribeInstanceTypesResponse.builder().instanceTypes(types).build()));
    List<InstanceTypeOffering> offerings = new ArrayList<>();
    for (InstanceTypeInfo t : types) {
      for (String z : AwsFixtures.ZONES) {
        offerings.add(
            InstanceTypeOffering.builder()
                .instanceType(t.instanceType())
                .locationType(LocationType.AVAILABILITY_ZONE)
                .location(z)
                .build());
      }
    }
    stubEc2(
        "DescribeInstanceTypeOfferings",
        Ec2Xml.response(
            "DescribeInstanceTypeOfferings",
            DescribeInstanceTypeOfferingsResponse.builder()
                .instanceTypeOfferings(offerings)
                .build()));
    stubEc2(
        "CreateFleet",
        createFleet(
            List.of(
                fleetInstance(
                    "i-0efa000000000e1a1",
                    "c6in.32xlarge",
                    "us-west-2a",
                    "subnet-0aa11111111111111",
                    "on-demand")),
            List.of()));
  }

  private static NodeClaimView claim(String name, EC2NodeClass nc, Resources requests) {
    return NodeClaims.pending(
        name,
        Requirements.of(
            Requirement.in(WellKnownLabels.NODE_POOL, "default"),
            Requirement.in(WellKnownLabels.CAPACITY_TYPE, "on-demand"),
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, "c5n.18xlarge", "c6in.32xlarge")),
        requests,
        new NodeClassRef("karpenter.k8s.aws", "EC2NodeClass", nc.getMetadata().getName()),
        nc);
  }

  /** The form's {@code NetworkInterface.N.*} fields, per N. */
  private static Map<Integer, Map<String, String>> interfaces(Map<String, String> form) {
    Map<Integer, Map<String, String>> out = new HashMap<>();
    form.forEach(
        (k, v) -> {
          if (k.startsWith(NI)) {
            String rest = k.substring(NI.length());
            int n = Integer.parseInt(rest.substring(0, rest.indexOf('.')));
            out.computeIfAbsent(n, x -> new HashMap<>())
                .put(rest.substring(rest.indexOf('.') + 1), v);
          }
        });
    return out;
  }

  private static Map<String, String> efaInterface(int card, int device) {
    return Map.of(
        "NetworkCardIndex",
        String.valueOf(card),
        "DeviceIndex",
        String.valueOf(device),
        "InterfaceType",
        "efa",
        "SecurityGroupId.1",
        SG,
        "DeleteOnTermination",
        "true");
  }

  @Test
  void anEfaRequestGetsEachTypesMaximumEfaInterfacesInItsOwnTemplate() {
    provider.create(claim("efa-1", al2023NodeClass(), Resources.of("vpc.amazonaws.com/efa", 1L)));

    List<Map<String, String>> created = ec2Requests("CreateLaunchTemplate");
    assertThat(created).hasSize(2);
    Map<String, Map<Integer, Map<String, String>>> byName = new HashMap<>();
    for (Map<String, String> form : created) {
      assertThat(values(form, "LaunchTemplateData.SecurityGroupId", "")).isEmpty();
      byName.put(form.get("LaunchTemplateName"), interfaces(form));
    }
    assertThat(byName.values())
        .containsExactlyInAnyOrder(
            Map.of(1, efaInterface(0, 0)), Map.of(1, efaInterface(0, 0), 2, efaInterface(1, 1)));

    // The fleet sends each type through the template with its own EFA count.
    Map<String, String> fleet = ec2Requests("CreateFleet").get(0);
    Map<String, String> typeToTemplate = new HashMap<>();
    for (int c = 1;
        fleet.containsKey(
            "LaunchTemplateConfigs." + c + ".LaunchTemplateSpecification.LaunchTemplateName");
        c++) {
      String p = "LaunchTemplateConfigs." + c + ".";
      String lt = fleet.get(p + "LaunchTemplateSpecification.LaunchTemplateName");
      for (int o = 1; fleet.containsKey(p + "Overrides." + o + ".InstanceType"); o++) {
        typeToTemplate.put(fleet.get(p + "Overrides." + o + ".InstanceType"), lt);
      }
    }
    assertThat(byName.get(typeToTemplate.get("c5n.18xlarge"))).hasSize(1);
    assertThat(byName.get(typeToTemplate.get("c6in.32xlarge"))).hasSize(2);
  }

  @Test
  void withoutAnEfaRequestTheSameTypesGetNoInterfaces() {
    provider.create(claim("plain-1", al2023NodeClass(), Resources.EMPTY));

    List<Map<String, String>> created = ec2Requests("CreateLaunchTemplate");
    assertThat(created).hasSize(1);
    assertThat(interfaces(created.get(0))).isEmpty();
    assertThat(values(created.get(0), "LaunchTemplateData.SecurityGroupId", ""))
        .containsExactly(SG);
  }
}
