package dev.dovetail.aws.nodeclass;

import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.apis.v1.SelectorTerms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;

/** Resolves subnet selector terms with DescribeSubnets (terms ORed, fields in a term ANDed). */
public final class SubnetProvider {
  private final Ec2Client ec2;

  public SubnetProvider(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  /** Matching subnets, most free addresses first (the one a launch prefers per zone). */
  public List<Subnet> list(List<SelectorTerms.SubnetSelectorTerm> terms) {
    Map<String, Subnet> byId = new LinkedHashMap<>();
    for (SelectorTerms.SubnetSelectorTerm term :
        terms == null ? List.<SelectorTerms.SubnetSelectorTerm>of() : terms) {
      List<Filter> filters = new ArrayList<>(Filters.tags(term.tags));
      if (term.id != null) {
        filters.add(Filters.of("subnet-id", term.id));
      }
      ec2.describeSubnetsPaginator(DescribeSubnetsRequest.builder().filters(filters).build())
          .subnets()
          .forEach(s -> byId.putIfAbsent(s.subnetId(), s));
    }
    List<Subnet> out = new ArrayList<>(byId.values());
    out.sort(
        Comparator.comparing(
                (Subnet s) -> s.availableIpAddressCount() == null ? 0 : s.availableIpAddressCount())
            .reversed()
            .thenComparing(Subnet::subnetId));
    return out;
  }

  public static EC2NodeClassStatus.Subnet toStatus(Subnet s) {
    return new EC2NodeClassStatus.Subnet(
        s.subnetId(), s.availabilityZone(), s.availabilityZoneId());
  }
}
