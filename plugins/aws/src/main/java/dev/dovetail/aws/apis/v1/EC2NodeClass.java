package dev.dovetail.aws.apis.v1;

import dev.dovetail.cloudprovider.crd.NodeClassResource;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.k8s.aws/v1 EC2NodeClass}: how to launch EC2 instances (subnets, security groups,
 * AMIs, user data, volumes, metadata options). Cluster-scoped and wire-compatible with upstream
 * Karpenter, so published manifests apply unchanged. The CEL rules below are upstream's rules on
 * the object, checked by the API server; {@link EC2NodeClassValidation} checks the same in Java.
 */
@Group(EC2NodeClass.GROUP)
@Version(EC2NodeClass.VERSION)
@Singular("ec2nodeclass")
@Plural("ec2nodeclasses")
@ShortNames({"ec2nc", "ec2ncs"})
@Categories("karpenter")
@AdditionalPrinterColumn(
    name = "Role",
    jsonPath = ".spec.role",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class EC2NodeClass extends NodeClassResource<EC2NodeClassSpec, EC2NodeClassStatus> {
  public static final String GROUP = "karpenter.k8s.aws";
  public static final String VERSION = "v1";
  public static final String KIND = "EC2NodeClass";

  @Override
  @ValidationRule(
      value =
          "(has(self.role) && !has(self.instanceProfile)) || (!has(self.role) &&"
              + " has(self.instanceProfile))",
      message = "must specify exactly one of ['role', 'instanceProfile']")
  @ValidationRule(
      value =
          "!has(self.amiFamily) || (self.amiSelectorTerms.exists(x, has(x.alias) &&"
              + " x.alias.find('^[^@]+') == 'al2') ? (self.amiFamily == 'Custom' || self.amiFamily"
              + " == 'AL2') : true)",
      message = "if set, amiFamily must be 'AL2' or 'Custom' when using an AL2 alias")
  @ValidationRule(
      value =
          "!has(self.amiFamily) || (self.amiSelectorTerms.exists(x, has(x.alias) &&"
              + " x.alias.find('^[^@]+') == 'al2023') ? (self.amiFamily == 'Custom' ||"
              + " self.amiFamily == 'AL2023') : true)",
      message = "if set, amiFamily must be 'AL2023' or 'Custom' when using an AL2023 alias")
  @ValidationRule(
      value =
          "!has(self.amiFamily) || (self.amiSelectorTerms.exists(x, has(x.alias) &&"
              + " x.alias.find('^[^@]+') == 'bottlerocket') ? (self.amiFamily == 'Custom' ||"
              + " self.amiFamily == 'Bottlerocket') : true)",
      message =
          "if set, amiFamily must be 'Bottlerocket' or 'Custom' when using a Bottlerocket alias")
  @ValidationRule(
      value =
          "!has(self.amiFamily) || (self.amiSelectorTerms.exists(x, has(x.alias) &&"
              + " x.alias.find('^[^@]+') == 'windows2019') ? (self.amiFamily == 'Custom' ||"
              + " self.amiFamily == 'Windows2019') : true)",
      message =
          "if set, amiFamily must be 'Windows2019' or 'Custom' when using a Windows2019 alias")
  @ValidationRule(
      value =
          "!has(self.amiFamily) || (self.amiSelectorTerms.exists(x, has(x.alias) &&"
              + " x.alias.find('^[^@]+') == 'windows2022') ? (self.amiFamily == 'Custom' ||"
              + " self.amiFamily == 'Windows2022') : true)",
      message =
          "if set, amiFamily must be 'Windows2022' or 'Custom' when using a Windows2022 alias")
  @ValidationRule(
      value =
          "!has(self.amiFamily) || (self.amiSelectorTerms.exists(x, has(x.alias) &&"
              + " x.alias.find('^[^@]+') == 'windows2025') ? (self.amiFamily == 'Custom' ||"
              + " self.amiFamily == 'Windows2025') : true)",
      message =
          "if set, amiFamily must be 'Windows2025' or 'Custom' when using a Windows2025 alias")
  @ValidationRule(
      value = "self.amiSelectorTerms.exists(x, has(x.alias)) ? true : has(self.amiFamily)",
      message = "must specify amiFamily if amiSelectorTerms does not contain an alias")
  public EC2NodeClassSpec getSpec() {
    return super.getSpec();
  }

  @Override
  protected EC2NodeClassSpec initSpec() {
    return new EC2NodeClassSpec();
  }

  @Override
  protected EC2NodeClassStatus initStatus() {
    return new EC2NodeClassStatus();
  }
}
