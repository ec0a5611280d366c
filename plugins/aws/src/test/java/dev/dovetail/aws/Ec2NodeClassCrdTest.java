package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.nodeclass.EC2NodeClassValidation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class Ec2NodeClassCrdTest {
  static final Path CHART_CRD =
      Path.of("../../charts/dovetail/crds/karpenter.k8s.aws_ec2nodeclasses.yaml");

  @Test
  void theCrdCarriesUpstreamsShapeAndRules() throws IOException {
    String crd = Files.readString(ExamplesTest.CRD);
    assertThat(crd)
        .contains("name: \"ec2nodeclasses.karpenter.k8s.aws\"")
        .contains("scope: \"Cluster\"")
        .contains("- \"ec2nc\"")
        .contains("status: {}")
        .contains("must specify exactly one of ['role', 'instanceProfile']")
        .contains("windows families may only specify version 'latest'")
        .contains("tag contains a restricted tag matching kubernetes.io/cluster/")
        .contains("x-kubernetes-preserve-unknown-fields: true");
    assertThat(crd.split("rule:", -1).length - 1).isGreaterThanOrEqualTo(30);
  }

  private static EC2NodeClass parse(String spec) {
    return Serialization.unmarshal(
        "apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata: {name: x}\nspec:\n" + spec,
        EC2NodeClass.class);
  }

  @Test
  void javaValidationReportsUpstreamsMessages() {
    String selectors =
        "  subnetSelectorTerms: [{tags: {a: b}}]\n  securityGroupSelectorTerms: [{tags: {a: b}}]\n";
    assertThat(
            EC2NodeClassValidation.validate(
                parse(selectors + "  amiSelectorTerms: [{alias: al2023@latest}]\n")))
        .containsExactly("must specify exactly one of ['role', 'instanceProfile']");
    assertThat(
            EC2NodeClassValidation.validate(
                parse(selectors + "  role: r\n  amiSelectorTerms: [{alias: windows2022@v1}]\n")))
        .containsExactly("windows families may only specify version 'latest'");
    assertThat(
            EC2NodeClassValidation.validate(
                parse(selectors + "  role: r\n  amiSelectorTerms: [{id: ami-0123}]\n")))
        .containsExactly("must specify amiFamily if amiSelectorTerms does not contain an alias");
    assertThat(
            EC2NodeClassValidation.validate(
                parse(
                    selectors
                        + "  role: r\n  amiFamily: Bottlerocket\n  amiSelectorTerms: [{alias: al2023@latest}]\n")))
        .containsExactly(
            "if set, amiFamily must be 'AL2023' or 'Custom' when using an AL2023 alias");
    assertThat(
            EC2NodeClassValidation.validate(
                parse(
                    selectors
                        + "  role: r\n  amiSelectorTerms: [{alias: al2023@latest}, {id: ami-0123}]\n")))
        .contains(
            "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms");
    assertThat(
            EC2NodeClassValidation.validate(
                parse(
                    selectors
                        + "  role: r\n  amiSelectorTerms: [{alias: al2023@latest}]\n  tags: {karpenter.sh/nodepool: x}\n")))
        .containsExactly("tag contains a restricted tag matching karpenter.sh/nodepool");
    assertThat(
            EC2NodeClassValidation.validate(
                parse(
                    "  role: r\n  amiSelectorTerms: [{alias: al2023@latest}]\n  securityGroupSelectorTerms: [{tags: {a: b}}]\n  subnetSelectorTerms: []\n")))
        .containsExactly("subnetSelectorTerms cannot be empty");
  }
}
