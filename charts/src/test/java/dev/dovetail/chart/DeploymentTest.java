package dev.dovetail.chart;

import static dev.dovetail.chart.RenderedChart.render;
import static dev.dovetail.chart.RenderedChart.sets;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The controller Deployment and the objects around it, with default and overridden values. */
class DeploymentTest {

  private static final Map<String, String> SELECTOR =
      Map.of("app.kubernetes.io/name", "dovetail", "app.kubernetes.io/instance", "dovetail");

  static Container controller(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("controller"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no controller container"));
  }

  private static PodSpec pod(RenderedChart chart) {
    return chart.deployment().getSpec().getTemplate().getSpec();
  }

  private final RenderedChart defaults = render(Provider.AWS.validSets());

  @Test
  void runsNonRootWithReadOnlyRootFilesystemNoEscalationNoCapabilitiesAndRuntimeDefaultSeccomp() {
    PodSecurityContext podContext = pod(defaults).getSecurityContext();
    assertThat(podContext.getRunAsNonRoot()).isTrue();
    assertThat(podContext.getRunAsUser()).isPositive();
    assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    SecurityContext container = controller(defaults.deployment()).getSecurityContext();
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getPrivileged()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void givesTheJvmAWritableTmpBecauseTheRootFilesystemIsReadOnly() {
    Volume tmp =
        pod(defaults).getVolumes().stream()
            .filter(v -> v.getName().equals("tmp"))
            .findFirst()
            .orElseThrow();
    assertThat(tmp.getEmptyDir()).isNotNull();
    assertThat(controller(defaults.deployment()).getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getMountPath)
        .contains(org.assertj.core.groups.Tuple.tuple("tmp", "/tmp"));
  }

  @Test
  void probesHealthAndReadinessOnTheHealthPortAndExposesMetrics() {
    Container controller = controller(defaults.deployment());

    assertThat(controller.getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("http-metrics", 8080),
            org.assertj.core.groups.Tuple.tuple("http", 8081));
    Probe liveness = controller.getLivenessProbe();
    assertThat(liveness.getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(liveness.getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
    Probe readiness = controller.getReadinessProbe();
    assertThat(readiness.getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(readiness.getHttpGet().getPort()).isEqualTo(new IntOrString("http"));

    Service service = defaults.one(Service.class);
    assertThat(service.getSpec().getSelector()).isEqualTo(SELECTOR);
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http-metrics");
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort()).isEqualTo(new IntOrString("http-metrics"));
            });
  }

  @Test
  void movedPortsFollowIntoEnvironmentContainerAndService() {
    RenderedChart chart =
        render(with(Provider.AWS.validSets(), "metrics.port", 9090, "healthProbe.port", 9091));
    Container controller = controller(chart.deployment());

    assertThat(ProviderRenderingTest.env(controller))
        .containsEntry("METRICS_PORT", "9090")
        .containsEntry("HEALTH_PROBE_PORT", "9091");
    assertThat(controller.getPorts())
        .extracting(ContainerPort::getContainerPort)
        .containsExactlyInAnyOrder(9090, 9091);
    assertThat(chart.one(Service.class).getSpec().getPorts().get(0).getPort()).isEqualTo(9090);
  }

  @Test
  void runsTwoReplicasWithLeaderElectionAndADisruptionBudgetByDefault() {
    assertThat(defaults.deployment().getSpec().getReplicas()).isEqualTo(2);
    assertThat(ProviderRenderingTest.env(controller(defaults.deployment())))
        .containsEntry("LEADER_ELECT", "true");

    PodDisruptionBudget pdb = defaults.one(PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
    assertThat(defaults.deployment().getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(SELECTOR);
  }

  @Test
  void aSingleReplicaMayRunWithoutLeaderElectionAndWithoutABudget() {
    RenderedChart chart =
        render(
            with(
                Provider.AWS.validSets(),
                "replicas",
                1,
                "leaderElection.enabled",
                false,
                "podDisruptionBudget.enabled",
                false));

    assertThat(chart.deployment().getSpec().getReplicas()).isEqualTo(1);
    assertThat(ProviderRenderingTest.env(controller(chart.deployment())))
        .containsEntry("LEADER_ELECT", "false");
    assertThat(chart.all(PodDisruptionBudget.class)).isEmpty();
  }

  @Test
  void schedulesAwayFromNodesItManagesAndSpreadsReplicas() {
    PodSpec pod = pod(defaults);

    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getKey()).isEqualTo("karpenter.sh/nodepool");
              assertThat(e.getOperator()).isEqualTo("DoesNotExist");
            });
    // The chart fills in the selector of anti-affinity and spread constraints given without one.
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .get(0)
                .getLabelSelector()
                .getMatchLabels())
        .isEqualTo(SELECTOR);
    assertThat(pod.getTopologySpreadConstraints())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
              assertThat(t.getLabelSelector().getMatchLabels()).isEqualTo(SELECTOR);
            });
    assertThat(pod.getTolerations())
        .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("CriticalAddonsOnly"));
  }

  @Test
  void takesSchedulingAndResourcesFromValues() {
    String values =
        """
        nodeSelector:
          node-role.kubernetes.io/system: "true"
        tolerations:
          - key: dedicated
            operator: Equal
            value: system
            effect: NoSchedule
        affinity: null
        topologySpreadConstraints: []
        priorityClassName: ""
        resources:
          requests: {cpu: "1", memory: 1Gi}
          limits: {memory: 2Gi}
        """;
    PodSpec pod = pod(render(Provider.AWS.validSets(), values));

    // Helm merges maps: the default kubernetes.io/os selector stays unless set to null.
    assertThat(pod.getNodeSelector())
        .isEqualTo(Map.of("node-role.kubernetes.io/system", "true", "kubernetes.io/os", "linux"));
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getValue()).isEqualTo("system"));
    assertThat(pod.getAffinity()).isNull();
    assertThat(pod.getTopologySpreadConstraints()).isNullOrEmpty();
    assertThat(pod.getPriorityClassName()).isNull();
    Container controller = pod.getContainers().get(0);
    assertThat(controller.getResources().getRequests())
        .containsEntry("cpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("1Gi"));
    assertThat(controller.getResources().getLimits()).containsEntry("memory", new Quantity("2Gi"));
  }

  @Test
  void rendersLogAndBatchSettingsAndFeatureGatesInKarpentersFormat() {
    String values =
        """
        logLevel: debug
        logFormat: text
        settings:
          clusterEndpoint: https://api.demo.example:6443
          interruptionQueue: demo-interruptions
          batchMaxDuration: 30s
          batchIdleDuration: 500ms
          kubeClientQPS: 500
          kubeClientBurst: 700
          featureGates:
            spotToSpotConsolidation: true
            nodeRepair: false
            reservedCapacity: true
        """;
    Map<String, String> env =
        ProviderRenderingTest.env(
            controller(render(Provider.AWS.validSets(), values).deployment()));

    assertThat(env)
        .containsEntry("LOG_LEVEL", "debug")
        .containsEntry("LOG_FORMAT", "text")
        .containsEntry("CLUSTER_ENDPOINT", "https://api.demo.example:6443")
        .containsEntry("INTERRUPTION_QUEUE", "demo-interruptions")
        .containsEntry("BATCH_MAX_DURATION", "30s")
        .containsEntry("BATCH_IDLE_DURATION", "500ms")
        .containsEntry("KUBE_CLIENT_QPS", "500")
        .containsEntry("KUBE_CLIENT_BURST", "700")
        .containsEntry(
            "FEATURE_GATES",
            "CapacityBuffer=false,NodeOverlay=false,NodeRepair=false,ReservedCapacity=true,"
                + "SpotToSpotConsolidation=true,StaticCapacity=false");
  }

  @Test
  void leavesOutOptionalSettingsThatAreEmpty() {
    assertThat(ProviderRenderingTest.env(controller(defaults.deployment())))
        .doesNotContainKeys("CLUSTER_ENDPOINT", "INTERRUPTION_QUEUE");
  }

  @Test
  void usesTheAppVersionTagUnlessATagOrDigestIsGiven() {
    assertThat(controller(defaults.deployment()).getImage())
        .isEqualTo("ghcr.io/dovetail-dev/dovetail:0.1.0");
    assertThat(
            controller(
                    render(with(Provider.AWS.validSets(), "image.tag", "0.2.0-rc1")).deployment())
                .getImage())
        .isEqualTo("ghcr.io/dovetail-dev/dovetail:0.2.0-rc1");
    String digest = "sha256:" + "ab".repeat(32);
    assertThat(
            controller(render(with(Provider.AWS.validSets(), "image.digest", digest)).deployment())
                .getImage())
        .isEqualTo("ghcr.io/dovetail-dev/dovetail@" + digest);
  }

  @Test
  void annotatesTheServiceAccountForIrsa() {
    // The `--set` form the README shows, dots of the annotation key escaped.
    RenderedChart chart =
        render(
            with(
                Provider.AWS.validSets(),
                "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn",
                "arn:aws:iam::111122223333:role/dovetail"));

    assertThat(chart.one(ServiceAccount.class).getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/dovetail");
    assertThat(chart.deployment().getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainKey("azure.workload.identity/use");
  }

  @Test
  void labelsPodsForAzureWorkloadIdentityWhenTheServiceAccountIsBoundToOne() {
    String values =
        """
        serviceAccount:
          annotations:
            azure.workload.identity/client-id: 11111111-2222-3333-4444-555555555555
        """;
    RenderedChart chart = render(Provider.AZURE.validSets(), values);

    assertThat(chart.one(ServiceAccount.class).getMetadata().getAnnotations())
        .containsEntry("azure.workload.identity/client-id", "11111111-2222-3333-4444-555555555555");
    assertThat(chart.deployment().getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("azure.workload.identity/use", "true");
  }

  @Test
  void annotatesTheServiceAccountForGkeWorkloadIdentity() {
    String values =
        """
        serviceAccount:
          annotations:
            iam.gke.io/gcp-service-account: dovetail@my-project.iam.gserviceaccount.com
        """;
    assertThat(
            render(Provider.GCP.validSets(), values)
                .one(ServiceAccount.class)
                .getMetadata()
                .getAnnotations())
        .containsEntry(
            "iam.gke.io/gcp-service-account", "dovetail@my-project.iam.gserviceaccount.com");
  }

  @Test
  void usesAnExistingServiceAccountWhenAskedNotToCreateOne() {
    RenderedChart chart =
        render(
            with(
                Provider.AWS.validSets(),
                "serviceAccount.create",
                false,
                "serviceAccount.name",
                "existing"));

    assertThat(chart.all(ServiceAccount.class)).isEmpty();
    assertThat(pod(chart).getServiceAccountName()).isEqualTo("existing");
    assertThat(chart.all(io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class))
        .allSatisfy(b -> assertThat(b.getSubjects().get(0).getName()).isEqualTo("existing"));
  }

  @Test
  void mountsTheClusterApiManagementKubeconfigFromItsSecret() {
    RenderedChart chart =
        render(
            with(
                Provider.CLUSTERAPI.validSets(),
                "settings.clusterapi.managementKubeconfigSecretKey",
                "kubeconfig"));
    PodSpec pod = pod(chart);
    Container controller = controller(chart.deployment());

    Volume secret =
        pod.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();
    assertThat(secret.getSecret().getSecretName()).isEqualTo("mgmt-kubeconfig");
    assertThat(controller.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo(secret.getName());
              assertThat(m.getMountPath()).isEqualTo("/etc/dovetail/management-kubeconfig");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(ProviderRenderingTest.env(controller))
        .containsEntry(
            "DOVETAIL_PROVIDER_MANAGEMENT_KUBECONFIG",
            "/etc/dovetail/management-kubeconfig/kubeconfig")
        .doesNotContainKeys(
            "DOVETAIL_PROVIDER_MANAGEMENT_KUBECONFIG_SECRET",
            "DOVETAIL_PROVIDER_MANAGEMENT_KUBECONFIG_SECRET_KEY");
  }

  @Test
  void clusterApiWithoutAManagementSecretUsesItsOwnServiceAccount() {
    RenderedChart chart =
        render(RenderedChart.sets("provider", "clusterapi", "settings.clusterName", "demo"));

    assertThat(pod(chart).getVolumes()).noneMatch(v -> v.getSecret() != null);
    assertThat(ProviderRenderingTest.env(controller(chart.deployment())))
        .doesNotContainKey("DOVETAIL_PROVIDER_MANAGEMENT_KUBECONFIG");
  }

  @Test
  void passesFurtherProviderSettingsOnWithAcronymsKeptWhole() {
    String values =
        """
        settings:
          aws:
            clusterCABundle: LS0tLS1CRUdJTg==
            reservedENIs: "1"
            isolatedVPC: true
            vmMemoryOverheadPercent: 0.1
            interruptionQueueURL: ""
        """;
    Map<String, String> env =
        ProviderRenderingTest.env(
            controller(render(Provider.AWS.validSets(), values).deployment()));

    assertThat(env)
        .containsEntry("DOVETAIL_PROVIDER_REGION", "eu-west-1")
        .containsEntry("DOVETAIL_PROVIDER_CLUSTER_CA_BUNDLE", "LS0tLS1CRUdJTg==")
        .containsEntry("DOVETAIL_PROVIDER_RESERVED_ENIS", "1")
        .containsEntry("DOVETAIL_PROVIDER_ISOLATED_VPC", "true")
        .containsEntry("DOVETAIL_PROVIDER_VM_MEMORY_OVERHEAD_PERCENT", "0.1")
        .doesNotContainKey("DOVETAIL_PROVIDER_INTERRUPTION_QUEUE_URL");
  }

  @Test
  void addsPodLabelsAndAnnotationsWithoutTouchingTheSelector() {
    String values =
        """
        podLabels:
          team: infra
        podAnnotations:
          cluster-autoscaler.kubernetes.io/safe-to-evict: "false"
        """;
    Deployment deployment = render(Provider.AWS.validSets(), values).deployment();

    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "infra")
        .containsAllEntriesOf(SELECTOR);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("cluster-autoscaler.kubernetes.io/safe-to-evict", "false");
    assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
  }

  @Test
  void passesExtraEnvironmentThrough() {
    String values =
        """
        extraEnv:
          - name: HTTPS_PROXY
            value: http://proxy:3128
        """;
    assertThat(
            ProviderRenderingTest.env(
                controller(render(Provider.AWS.validSets(), values).deployment())))
        .containsEntry("HTTPS_PROXY", "http://proxy:3128");
  }

  static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
    Map<String, Object> sets = new java.util.LinkedHashMap<>(base);
    sets.putAll(sets(keyValues));
    return sets;
  }
}
