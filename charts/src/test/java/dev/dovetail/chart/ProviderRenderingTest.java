package dev.dovetail.chart;

import static dev.dovetail.chart.Rules.verbs;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** `helm template` for each provider: the plugin it selects, its settings and its RBAC. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderRenderingTest {

  /** What the core controllers use in every cluster: granted exactly, whatever the provider. */
  static final Map<String, Set<String>> CORE_GRANTS =
      Map.ofEntries(
          Map.entry("core/nodes", verbs("get", "list", "watch", "patch", "update", "delete")),
          Map.entry("core/pods", verbs("get", "list", "watch", "patch", "delete")),
          Map.entry("core/pods/eviction", verbs("create")),
          Map.entry(
              "karpenter.sh/nodepools",
              verbs("get", "list", "watch", "create", "patch", "update", "delete")),
          Map.entry(
              "karpenter.sh/nodeclaims",
              verbs("get", "list", "watch", "create", "patch", "update", "delete")),
          Map.entry("karpenter.sh/nodepools/status", verbs("patch", "update")),
          Map.entry("karpenter.sh/nodeclaims/status", verbs("patch", "update")),
          Map.entry("policy/poddisruptionbudgets", verbs("get", "list", "watch")),
          Map.entry("apps/daemonsets", verbs("get", "list", "watch")),
          Map.entry("core/persistentvolumes", verbs("get", "list", "watch")),
          Map.entry("core/persistentvolumeclaims", verbs("get", "list", "watch")),
          Map.entry("core/namespaces", verbs("get", "list", "watch")),
          Map.entry("storage.k8s.io/storageclasses", verbs("get", "list", "watch")),
          Map.entry("storage.k8s.io/csinodes", verbs("get", "list", "watch")),
          Map.entry("storage.k8s.io/volumeattachments", verbs("get", "list", "watch")),
          Map.entry("karpenter.sh/nodeoverlays", verbs("get", "list", "watch")),
          Map.entry("karpenter.sh/nodeoverlays/status", verbs("patch", "update")),
          Map.entry("autoscaling.x-k8s.io/capacitybuffers", verbs("get", "list", "watch")),
          Map.entry("autoscaling.x-k8s.io/capacitybuffers/status", verbs("patch", "update")),
          Map.entry("core/podtemplates", verbs("get", "list", "watch")),
          Map.entry("apps/deployments", verbs("get", "list", "watch")),
          Map.entry("apps/statefulsets", verbs("get", "list", "watch")),
          Map.entry("apps/replicasets", verbs("get", "list", "watch")),
          Map.entry("core/events", verbs("create", "patch")));

  /** Cluster-wide grants each provider adds to the core ones, and nothing else. */
  static final Map<Provider, Map<String, Set<String>>> PROVIDER_GRANTS =
      new EnumMap<>(
          Map.of(
              Provider.AWS,
              Map.of(
                  "karpenter.k8s.aws/ec2nodeclasses",
                  verbs("get", "list", "watch", "patch", "update"),
                  "karpenter.k8s.aws/ec2nodeclasses/status",
                  verbs("patch", "update")),
              Provider.AZURE,
              Map.of(
                  "karpenter.azure.com/aksnodeclasses",
                  verbs("get", "list", "watch", "patch", "update"),
                  "karpenter.azure.com/aksnodeclasses/status",
                  verbs("patch", "update")),
              Provider.GCP,
              Map.of(
                  "karpenter.k8s.gcp/gcenodeclasses",
                  verbs("get", "list", "watch", "patch", "update"),
                  "karpenter.k8s.gcp/gcenodeclasses/status",
                  verbs("patch", "update")),
              Provider.CLUSTERAPI,
              Map.of(
                  "karpenter.cluster.x-k8s.io/clusterapinodeclasses",
                  verbs("get", "list", "watch", "patch", "update"),
                  "karpenter.cluster.x-k8s.io/clusterapinodeclasses/status",
                  verbs("patch", "update"),
                  "cluster.x-k8s.io/machines",
                  verbs("get", "list", "watch", "create", "update", "patch", "delete"),
                  "cluster.x-k8s.io/machinedeployments",
                  verbs("get", "list", "watch", "patch", "update"),
                  "cluster.x-k8s.io/machinedeployments/scale",
                  verbs("get", "patch", "update"),
                  "cluster.x-k8s.io/machinesets",
                  verbs("get", "list", "watch", "patch", "update"),
                  "cluster.x-k8s.io/machinepools",
                  verbs("get", "list", "watch", "patch", "update")),
              Provider.SIMULATED,
              Map.of(
                  "core/nodes", verbs("create", "delete"),
                  "core/nodes/status", verbs("get", "patch", "update"))));

  private final Map<Provider, RenderedChart> rendered = new EnumMap<>(Provider.class);

  @BeforeAll
  void renderEveryProvider() {
    for (Provider provider : Provider.values()) {
      // Every provider block is filled in, so a leak of another provider's settings would show.
      Map<String, Object> sets = new HashMap<>();
      Stream.of(Provider.values()).forEach(p -> sets.putAll(p.settings));
      sets.putAll(provider.validSets());
      rendered.put(provider, RenderedChart.render(sets));
    }
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void runsTheSelectedProviderWithTheOfficialPluginsDirectory(Provider provider) {
    Container controller = controller(provider);

    assertThat(controller.getCommand()).containsExactly("/opt/dovetail/bin/dovetail");
    assertThat(controller.getArgs())
        .containsExactly(
            "run", "--provider", provider.id, "--plugins-dir", "/opt/dovetail/plugins");
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void rendersSettingsAsEnvironmentAndOnlyTheSelectedProvidersBlock(Provider provider) {
    Map<String, String> env = env(controller(provider));

    assertThat(env)
        .containsEntry("CLUSTER_NAME", "demo")
        .containsEntry("BATCH_MAX_DURATION", "10s")
        .containsEntry("BATCH_IDLE_DURATION", "1s")
        .containsEntry("KUBE_CLIENT_QPS", "200")
        .containsEntry("KUBE_CLIENT_BURST", "300")
        .containsEntry(
            "FEATURE_GATES",
            "CapacityBuffer=false,NodeOverlay=false,NodeRepair=false,ReservedCapacity=true,"
                + "SpotToSpotConsolidation=false,StaticCapacity=false")
        .containsEntry("LOG_LEVEL", "info")
        .containsEntry("LOG_FORMAT", "json")
        .containsEntry("METRICS_PORT", "8080")
        .containsEntry("HEALTH_PROBE_PORT", "8081")
        .containsEntry("LEADER_ELECT", "true")
        .containsEntry("LEADER_ELECTION_NAMESPACE", RenderedChart.NAMESPACE);
    Map<String, String> providerEnv =
        env.entrySet().stream()
            .filter(e -> e.getKey().startsWith("DOVETAIL_PROVIDER_"))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(providerEnv).isEqualTo(provider.providerEnv);
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void isHardenedAndProbedWhateverTheProvider(Provider provider) {
    PodSpec pod = rendered.get(provider).deployment().getSpec().getTemplate().getSpec();
    Container controller = controller(provider);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(controller.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(controller.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(controller.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(controller.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(controller.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void grantsTheCoreVerbsExactly(Provider provider) {
    ClusterRole core = clusterRole(provider, RenderedChart.RELEASE + "-core");

    assertThat(Rules.flatten(core.getRules())).isEqualTo(new TreeMap<>(CORE_GRANTS));
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void grantsTheSelectedProvidersNodeClassAndNothingOfTheOthers(Provider provider) {
    ClusterRole providerRole = clusterRole(provider, RenderedChart.RELEASE + "-" + provider.id);
    assertThat(Rules.flatten(providerRole.getRules()))
        .isEqualTo(new TreeMap<>(PROVIDER_GRANTS.get(provider)));

    Set<String> everyGrant = allGrants(rendered.get(provider)).keySet();
    for (Provider other : Provider.values()) {
      if (other != provider && other.nodeClassGroup != null) {
        assertThat(everyGrant)
            .as("RBAC of %s must not reach %s", provider.id, other.nodeClassResource)
            .noneMatch(g -> g.startsWith(other.nodeClassGroup + "/"));
      }
    }
    if (provider != Provider.CLUSTERAPI) {
      assertThat(everyGrant).noneMatch(g -> g.startsWith("cluster.x-k8s.io/"));
    }
    if (provider != Provider.SIMULATED) {
      assertThat(everyGrant).doesNotContain("core/nodes/status");
      assertThat(allGrants(rendered.get(provider)).get("core/nodes")).doesNotContain("create");
    }
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void neverGrantsWildcardsSecretsOrPodCreation(Provider provider) {
    Map<String, Set<String>> grants = allGrants(rendered.get(provider));

    assertThat(grants.keySet())
        .noneMatch(g -> g.contains("*"))
        .noneMatch(g -> g.contains("secrets"));
    assertThat(grants.values()).noneMatch(v -> v.contains("*"));
    assertThat(grants.get("core/pods")).doesNotContain("create");
    assertThat(grants).doesNotContainKey("core/pods/binding");
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void leaderElectionMayUseOnlyItsLeaseInTheReleaseNamespace(Provider provider) {
    RenderedChart chart = rendered.get(provider);
    Role role = chart.one(Role.class);

    assertThat(role.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
    assertThat(Rules.flatten(role.getRules()))
        .isEqualTo(
            new TreeMap<>(
                Map.of(
                    "coordination.k8s.io/leases", verbs("create"),
                    "coordination.k8s.io/leases#dovetail-leader-election",
                        verbs("get", "watch", "update", "patch"),
                    "core/events", verbs("create", "patch"))));
    RoleBinding binding = chart.one(RoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(serviceAccountName(chart));
              assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
            });
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void bindsEveryClusterRoleToTheControllersServiceAccount(Provider provider) {
    RenderedChart chart = rendered.get(provider);
    List<String> roles =
        chart.all(ClusterRole.class).stream().map(r -> r.getMetadata().getName()).toList();
    List<ClusterRoleBinding> bindings = chart.all(ClusterRoleBinding.class);

    assertThat(bindings).extracting(b -> b.getRoleRef().getName()).hasSameElementsAs(roles);
    for (ClusterRoleBinding binding : bindings) {
      assertThat(binding.getSubjects())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getName()).isEqualTo(serviceAccountName(chart));
                assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
              });
    }
    assertThat(chart.deployment().getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(serviceAccountName(chart));
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void putsNamespacedObjectsInTheReleaseNamespace(Provider provider) {
    for (HasMetadata object : rendered.get(provider).objects()) {
      boolean clusterScoped = object instanceof ClusterRole || object instanceof ClusterRoleBinding;
      assertThat(object.getMetadata().getNamespace())
          .as("%s/%s", object.getKind(), object.getMetadata().getName())
          .isEqualTo(clusterScoped ? null : RenderedChart.NAMESPACE);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Provider.class, names = "CLUSTERAPI", mode = EnumSource.Mode.EXCLUDE)
  void mountsNoManagementKubeconfigOutsideClusterApi(Provider provider) {
    PodSpec pod = rendered.get(provider).deployment().getSpec().getTemplate().getSpec();

    assertThat(pod.getVolumes()).noneMatch(v -> v.getSecret() != null);
  }

  private Container controller(Provider provider) {
    return DeploymentTest.controller(rendered.get(provider).deployment());
  }

  private ClusterRole clusterRole(Provider provider, String name) {
    return rendered.get(provider).all(ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ClusterRole " + name));
  }

  /** Grants of every ClusterRole and Role together. */
  static Map<String, Set<String>> allGrants(RenderedChart chart) {
    return Rules.flatten(
        Stream.concat(
                chart.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
                chart.all(Role.class).stream().flatMap(r -> r.getRules().stream()))
            .toList());
  }

  static String serviceAccountName(RenderedChart chart) {
    return chart.one(ServiceAccount.class).getMetadata().getName();
  }

  static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
