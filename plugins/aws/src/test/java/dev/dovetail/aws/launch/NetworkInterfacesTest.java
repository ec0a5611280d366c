package dev.dovetail.aws.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.EC2NodeClassSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest;

class NetworkInterfacesTest {
  private static final List<String> GROUPS = List.of("sg-1", "sg-2");

  @Test
  void nothingInterfaceLevelMeansNoInterfaces() {
    assertThat(NetworkInterfaces.of(new EC2NodeClassSpec(), GROUPS, 0)).isEmpty();
  }

  @Test
  void aPublicIpChoiceNeedsOnePrimaryInterfaceCarryingTheGroups() {
    EC2NodeClassSpec spec = new EC2NodeClassSpec();
    spec.associatePublicIPAddress = false;
    spec.ipPrefixCount = 2;

    var out = NetworkInterfaces.of(spec, GROUPS, 0);

    assertThat(out).hasSize(1);
    LaunchTemplateInstanceNetworkInterfaceSpecificationRequest primary = out.get(0);
    assertThat(primary.networkCardIndex()).isZero();
    assertThat(primary.deviceIndex()).isZero();
    assertThat(primary.associatePublicIpAddress()).isFalse();
    assertThat(primary.ipv4PrefixCount()).isEqualTo(2);
    assertThat(primary.groups()).containsExactlyElementsOf(GROUPS);
    assertThat(primary.deleteOnTermination()).isTrue();
  }

  @Test
  void efaRequestsGetOneEfaInterfacePerCardWithCardZeroKeepingThePrimary() {
    var out = NetworkInterfaces.of(new EC2NodeClassSpec(), GROUPS, 3);

    assertThat(out).extracting(n -> n.interfaceType()).containsOnly("efa");
    assertThat(out)
        .extracting(n -> n.networkCardIndex() + ":" + n.deviceIndex())
        .containsExactly("0:0", "1:1", "2:1");
  }

  @Test
  void declaredInterfacesWinOverEfaAndOnlyThePrimaryGetsPublicIpAndPrefixes() {
    EC2NodeClassSpec spec = new EC2NodeClassSpec();
    spec.associatePublicIPAddress = true;
    spec.ipPrefixCount = 1;
    spec.connectionTracking = new EC2NodeClassSpec.ConnectionTracking();
    spec.connectionTracking.tcpEstablishedTimeout = 600;
    spec.networkInterfaces = List.of(iface(0, 0, "interface"), iface(1, 1, "efa-only"));

    var out = NetworkInterfaces.of(spec, GROUPS, 4);

    assertThat(out).hasSize(2);
    var primary = out.get(0);
    var efaOnly = out.get(1);
    assertThat(primary.interfaceType()).isNull();
    assertThat(primary.associatePublicIpAddress()).isTrue();
    assertThat(primary.ipv4PrefixCount()).isEqualTo(1);
    assertThat(primary.connectionTrackingSpecification().tcpEstablishedTimeout()).isEqualTo(600);
    assertThat(efaOnly.interfaceType()).isEqualTo("efa-only");
    assertThat(efaOnly.associatePublicIpAddress()).isNull();
    assertThat(efaOnly.ipv4PrefixCount()).isNull();
    assertThat(efaOnly.connectionTrackingSpecification()).isNull();
  }

  private static EC2NodeClassSpec.NetworkInterface iface(int card, int device, String type) {
    var ni = new EC2NodeClassSpec.NetworkInterface();
    ni.networkCardIndex = card;
    ni.deviceIndex = device;
    ni.interfaceType = type;
    return ni;
  }
}
