package dev.dovetail.aws.nodeclass;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.BlockDeviceMapping;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassSpec;
import dev.dovetail.aws.apis.v1.SelectorTerms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's CEL rules, checked in Java: {@code dovetail validate} and the NodeClass's
 * ValidationSucceeded condition use it where no API server evaluates the CRD's rules. Messages are
 * upstream's, so a user sees the same text either way.
 */
public final class EC2NodeClassValidation {
  private EC2NodeClassValidation() {}

  private static final Set<String> ALIAS_FAMILIES =
      Set.of("al2", "al2023", "bottlerocket", "windows2019", "windows2022", "windows2025");
  private static final Set<String> RESTRICTED_TAGS =
      Set.of(
          "eks:eks-cluster-name",
          "karpenter.sh/nodepool",
          "karpenter.sh/nodeclaim",
          "karpenter.k8s.aws/ec2nodeclass");

  /** The violations, empty when valid. */
  public static List<String> validate(EC2NodeClass nodeClass) {
    List<String> errors = new ArrayList<>();
    EC2NodeClassSpec spec = nodeClass.getSpec();
    if (spec == null) {
      errors.add("spec is required");
      return errors;
    }
    boolean hasRole = spec.role != null;
    boolean hasProfile = spec.instanceProfile != null;
    if (hasRole == hasProfile) {
      errors.add("must specify exactly one of ['role', 'instanceProfile']");
    }
    if ("".equals(spec.role)) {
      errors.add("role cannot be empty");
    }
    if ("".equals(spec.instanceProfile)) {
      errors.add("instanceProfile cannot be empty");
    }
    subnets(spec.subnetSelectorTerms, errors);
    securityGroups(spec.securityGroupSelectorTerms, errors);
    amis(spec, errors);
    tags(spec.tags, errors);
    if (spec.capacityReservationSelectorTerms != null) {
      for (SelectorTerms.CapacityReservationSelectorTerm t :
          spec.capacityReservationSelectorTerms) {
        if (t.tags == null && t.id == null && t.instanceMatchCriteria == null) {
          errors.add("expected at least one, got none, ['tags', 'id', 'instanceMatchCriteria']");
        }
        if (t.id != null
            && (t.tags != null || t.ownerID != null || t.instanceMatchCriteria != null)) {
          errors.add(
              "'id' is mutually exclusive, cannot be set along with other fields in a capacity"
                  + " reservation selector term");
        }
        if (t.id != null && !t.id.matches("^cr-[0-9a-z]+$")) {
          errors.add("capacityReservationSelectorTerms.id must match ^cr-[0-9a-z]+$");
        }
      }
    }
    if (spec.blockDeviceMappings != null) {
      long roots =
          spec.blockDeviceMappings.stream().filter(b -> Boolean.TRUE.equals(b.rootVolume)).count();
      if (roots > 1) {
        errors.add("must have only one blockDeviceMappings with rootVolume");
      }
      for (BlockDeviceMapping b : spec.blockDeviceMappings) {
        if (b.ebs != null && b.ebs.snapshotID == null && b.ebs.volumeSize == null) {
          errors.add("snapshotID or volumeSize must be defined");
        }
      }
    }
    if (spec.metadataOptions != null && spec.metadataOptions.httpPutResponseHopLimit != null) {
      long hop = spec.metadataOptions.httpPutResponseHopLimit;
      if (hop < 1 || hop > 64) {
        errors.add("metadataOptions.httpPutResponseHopLimit must be between 1 and 64");
      }
    }
    return errors;
  }

  private static void subnets(List<SelectorTerms.SubnetSelectorTerm> terms, List<String> errors) {
    if (terms == null || terms.isEmpty()) {
      errors.add("subnetSelectorTerms cannot be empty");
      return;
    }
    for (SelectorTerms.SubnetSelectorTerm t : terms) {
      if (t.tags == null && t.id == null) {
        errors.add("expected at least one, got none, ['tags', 'id']");
      }
      if (t.id != null && t.tags != null) {
        errors.add(
            "'id' is mutually exclusive, cannot be set with a combination of other fields in a"
                + " subnet selector term");
      }
      emptyTags(t.tags, errors);
    }
  }

  private static void securityGroups(
      List<SelectorTerms.SecurityGroupSelectorTerm> terms, List<String> errors) {
    if (terms == null || terms.isEmpty()) {
      errors.add("securityGroupSelectorTerms cannot be empty");
      return;
    }
    for (SelectorTerms.SecurityGroupSelectorTerm t : terms) {
      if (t.tags == null && t.id == null && t.name == null) {
        errors.add("expected at least one, got none, ['tags', 'id', 'name']");
      }
      if (t.id != null && (t.tags != null || t.name != null)) {
        errors.add(
            "'id' is mutually exclusive, cannot be set with a combination of other fields in a"
                + " security group selector term");
      }
      emptyTags(t.tags, errors);
    }
  }

  private static void amis(EC2NodeClassSpec spec, List<String> errors) {
    List<SelectorTerms.AMISelectorTerm> terms = spec.amiSelectorTerms;
    if (terms == null || terms.isEmpty()) {
      errors.add("amiSelectorTerms must have at least 1 item");
      return;
    }
    boolean anyAlias = false;
    for (SelectorTerms.AMISelectorTerm t : terms) {
      if (t.tags == null
          && t.id == null
          && t.name == null
          && t.alias == null
          && t.ssmParameter == null) {
        errors.add(
            "expected at least one, got none, ['tags', 'id', 'name', 'alias', 'ssmParameter']");
      }
      if (t.id != null
          && (t.alias != null || t.tags != null || t.name != null || t.owner != null)) {
        errors.add(
            "'id' is mutually exclusive, cannot be set with a combination of other fields in"
                + " amiSelectorTerms");
      }
      if (t.alias != null) {
        anyAlias = true;
        if (t.id != null || t.tags != null || t.name != null || t.owner != null) {
          errors.add(
              "'alias' is mutually exclusive, cannot be set with a combination of other fields in"
                  + " amiSelectorTerms");
        }
        if (!t.alias.matches("^[a-zA-Z0-9]+@.+$")) {
          errors.add("'alias' is improperly formatted, must match the format 'family@version'");
        } else {
          String family = t.aliasFamily();
          if (!ALIAS_FAMILIES.contains(family)) {
            errors.add(
                "family is not supported, must be one of the following: 'al2', 'al2023',"
                    + " 'bottlerocket', 'windows2019', 'windows2022', 'windows2025'");
          } else if (family.startsWith("windows") && !"latest".equals(t.aliasVersion())) {
            errors.add("windows families may only specify version 'latest'");
          }
          AmiFamily aliasFamily = AmiFamily.fromAlias(family);
          if (spec.amiFamily != null
              && aliasFamily != null
              && spec.amiFamily != AmiFamily.Custom
              && spec.amiFamily != aliasFamily) {
            errors.add(
                "if set, amiFamily must be '"
                    + aliasFamily
                    + "' or 'Custom' when using an "
                    + aliasFamily
                    + " alias");
          }
        }
      }
      emptyTags(t.tags, errors);
    }
    if (anyAlias && terms.size() != 1) {
      errors.add(
          "'alias' is mutually exclusive, cannot be set with a combination of other"
              + " amiSelectorTerms");
    }
    if (!anyAlias && spec.amiFamily == null) {
      errors.add("must specify amiFamily if amiSelectorTerms does not contain an alias");
    }
  }

  private static void tags(Map<String, String> tags, List<String> errors) {
    if (tags == null) {
      return;
    }
    for (String k : tags.keySet()) {
      if (k.isEmpty()) {
        errors.add("empty tag keys aren't supported");
      } else if (RESTRICTED_TAGS.contains(k)) {
        errors.add("tag contains a restricted tag matching " + k);
      } else if (k.startsWith("kubernetes.io/cluster")) {
        errors.add("tag contains a restricted tag matching kubernetes.io/cluster/");
      }
    }
  }

  private static void emptyTags(Map<String, String> tags, List<String> errors) {
    if (tags != null) {
      tags.forEach(
          (k, v) -> {
            if (k.isEmpty() || v == null || v.isEmpty()) {
              errors.add("empty tag keys or values aren't supported");
            }
          });
    }
  }

  /** The family in effect: the spec's, else the alias's. */
  public static AmiFamily effectiveFamily(EC2NodeClassSpec spec) {
    if (spec.amiFamily != null) {
      return spec.amiFamily;
    }
    if (spec.amiSelectorTerms != null) {
      for (SelectorTerms.AMISelectorTerm t : spec.amiSelectorTerms) {
        AmiFamily f = AmiFamily.fromAlias(t.aliasFamily());
        if (f != null) {
          return f;
        }
      }
    }
    return AmiFamily.Custom;
  }
}
