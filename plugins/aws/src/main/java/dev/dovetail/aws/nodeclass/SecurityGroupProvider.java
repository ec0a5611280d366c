package dev.dovetail.aws.nodeclass;

import dev.dovetail.aws.apis.v1.SelectorTerms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/** Resolves security group selector terms with DescribeSecurityGroups. */
public final class SecurityGroupProvider {
  private final Ec2Client ec2;

  public SecurityGroupProvider(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  public List<SecurityGroup> list(List<SelectorTerms.SecurityGroupSelectorTerm> terms) {
    Map<String, SecurityGroup> byId = new LinkedHashMap<>();
    for (SelectorTerms.SecurityGroupSelectorTerm term :
        terms == null ? List.<SelectorTerms.SecurityGroupSelectorTerm>of() : terms) {
      List<Filter> filters = new ArrayList<>(Filters.tags(term.tags));
      if (term.id != null) {
        filters.add(Filters.of("group-id", term.id));
      }
      if (term.name != null) {
        filters.add(Filters.of("group-name", term.name));
      }
      ec2.describeSecurityGroupsPaginator(
              DescribeSecurityGroupsRequest.builder().filters(filters).build())
          .securityGroups()
          .forEach(g -> byId.putIfAbsent(g.groupId(), g));
    }
    return new ArrayList<>(byId.values());
  }
}
