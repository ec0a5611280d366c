package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The IAM policy shipped in the chart docs allows every AWS operation the plugin's code calls: the
 * calls are read from the main sources (every method called on a variable of an SDK client type),
 * so a new call without a policy line fails here, not on a customer's first launch.
 */
class IamPolicyTest {
  static final Path POLICY = Path.of("../../charts/dovetail/aws/iam-policy.json");
  static final Path SOURCES = Path.of("src/main/java");

  /** SDK client type → IAM service prefix. */
  static final Map<String, String> CLIENTS =
      Map.of(
          "Ec2Client", "ec2",
          "SsmClient", "ssm",
          "SqsClient", "sqs",
          "PricingClient", "pricing",
          "IamClient", "iam",
          "EksClient", "eks",
          "AutoScalingClient", "autoscaling");

  /** Permissions a call needs besides its own action (tag-on-create, passing the node role). */
  static final Set<String> IMPLIED =
      Set.of("ec2:CreateTags", "ec2:RunInstances", "iam:PassRole", "iam:TagInstanceProfile");

  private static final Pattern FIELD =
      Pattern.compile(
          "\\b(Ec2Client|SsmClient|SqsClient|PricingClient|IamClient|EksClient|AutoScalingClient)\\s+(\\w+)\\s*[;,=)]");
  private static final Pattern ANY_CLIENT =
      Pattern.compile("software\\.amazon\\.awssdk\\.services\\.(\\w+)\\.(\\w+Client)\\b");

  @Test
  void everyOperationThePluginCallsIsAllowed() throws IOException {
    Set<String> called = calledActions();
    assertThat(called)
        .as("the scan found the plugin's calls")
        .contains(
            "ec2:CreateFleet",
            "ec2:CreateLaunchTemplate",
            "eks:DescribeCluster",
            "sqs:DeleteMessage",
            "autoscaling:UpdateAutoScalingGroup",
            "eks:UpdateNodegroupConfig",
            "sqs:GetQueueAttributes");
    Set<String> allowed = allowedActions();
    Set<String> needed = new TreeSet<>(called);
    needed.addAll(IMPLIED);
    assertThat(allowed).containsAll(needed);
  }

  @Test
  void launchesAreScopedByKarpentersTagConditions() throws IOException {
    JsonNode policy = new ObjectMapper().readTree(Files.readString(POLICY));
    JsonNode withTags = statement(policy, "AllowScopedEC2InstanceActionsWithTags");
    assertThat(withTags.at("/Condition/StringEquals").toString())
        .contains("aws:RequestTag/kubernetes.io/cluster/${CLUSTER_NAME}")
        .contains("aws:RequestTag/eks:eks-cluster-name");
    assertThat(withTags.at("/Condition/StringLike").toString())
        .contains("aws:RequestTag/karpenter.sh/nodepool");
    assertThat(statement(policy, "AllowScopedDeletion").at("/Condition/StringLike").toString())
        .contains("aws:ResourceTag/karpenter.sh/nodepool");
  }

  private static JsonNode statement(JsonNode policy, String sid) {
    for (JsonNode s : policy.get("Statement")) {
      if (sid.equals(s.path("Sid").asText())) {
        return s;
      }
    }
    throw new AssertionError("no statement " + sid);
  }

  private static Set<String> allowedActions() throws IOException {
    JsonNode policy = new ObjectMapper().readTree(Files.readString(POLICY));
    Set<String> out = new TreeSet<>();
    for (JsonNode s : policy.get("Statement")) {
      assertThat(s.path("Effect").asText()).isEqualTo("Allow");
      JsonNode a = s.get("Action");
      if (a.isArray()) {
        a.forEach(x -> out.add(x.asText()));
      } else {
        out.add(a.asText());
      }
    }
    return out;
  }

  static Set<String> calledActions() throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String src = Files.readString(f);
        Matcher any = ANY_CLIENT.matcher(src);
        while (any.find()) {
          assertThat(CLIENTS)
              .as("%s uses %s: add it to the policy and to this test", f, any.group(2))
              .containsKey(any.group(2));
        }
        Matcher m = FIELD.matcher(src);
        while (m.find()) {
          String service = CLIENTS.get(m.group(1));
          Matcher call =
              Pattern.compile("\\b" + Pattern.quote(m.group(2)) + "\\s*\\.\\s*([a-z]\\w*)\\s*\\(")
                  .matcher(src);
          while (call.find()) {
            String op = call.group(1).replaceFirst("Paginator$", "");
            if (op.equals("close")
                || op.equals("serviceName")
                || op.equals("serviceClientConfiguration")) {
              continue;
            }
            out.add(service + ":" + Character.toUpperCase(op.charAt(0)) + op.substring(1));
          }
        }
      }
    }
    return out;
  }
}
