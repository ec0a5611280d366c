package dev.dovetail.e2e;

import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.controllers.disruption.DisruptionController;
import dev.dovetail.demo.Binder;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.operator.Settings;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Dovetail's real controllers and the stand-in scheduler ({@link Binder}) on an embedded API
 * server, as the end-to-end tests of the core and of each plugin run them: the operator batches
 * pods for 100 ms (at most 1 s) so a test's pods are solved together, and disruption passes run
 * only when the test asks ({@code operator().disruption()}), so a test decides when consolidation
 * may move its pods. Closing stops the binder, the operator, the client and the server, in that
 * order.
 */
public final class EndToEndCluster implements AutoCloseable {
  /** The name of the NodePool {@link #nodePool} makes and of the NodeClass tests create. */
  public static final String DEFAULT = "default";

  private final KubeApiServer api;
  private final KubernetesClient client;
  private final DovetailOperator operator;
  private final Binder binder;

  private EndToEndCluster(
      KubeApiServer api, KubernetesClient client, DovetailOperator operator, Binder binder) {
    this.api = api;
    this.client = client;
    this.operator = operator;
    this.binder = binder;
  }

  /**
   * Starts the operator over {@code provider} (configured by {@code providerSettings}) and the
   * binder on {@code api}, which the caller started and owns the CRDs of; {@code settings} are
   * applied to {@link #settings}.
   */
  public static EndToEndCluster start(
      KubeApiServer api,
      CloudProvider provider,
      Clock clock,
      Settings settings,
      Map<String, String> providerSettings) {
    KubernetesClient client = api.client();
    DovetailOperator operator =
        new DovetailOperator(
                client,
                provider,
                clock,
                settings,
                providerSettings,
                DovetailOperator.Listeners.NONE)
            .withDisruptionOptions(
                DisruptionController.Options.DEFAULT.withPollInterval(Duration.ofHours(1)))
            .start();
    Binder binder = new Binder(client, operator.state(), clock).start();
    return new EndToEndCluster(api, client, operator, binder);
  }

  /** The operator's settings the end-to-end tests share, for cluster {@code clusterName}. */
  public static Settings settings(String clusterName) {
    return Settings.defaults()
        .withClusterName(clusterName)
        .withBatch(Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  /**
   * NodePool {@value #DEFAULT} over {@code nodeClass} with {@code requirements}; all of its nodes
   * may be disrupted at once (upstream's default budget is 10%), so a test's scale-down converges
   * in one pass.
   */
  public static NodePool nodePool(
      NodeClassReference nodeClass, NodeSelectorRequirementWithMinValues... requirements) {
    NodePool pool = new NodePool();
    pool.setMetadata(new ObjectMetaBuilder().withName(DEFAULT).build());
    pool.getSpec().getTemplate().getSpec().setRequirements(List.of(requirements));
    pool.getSpec().getTemplate().getSpec().setNodeClassRef(nodeClass);
    pool.getSpec().getDisruption().getBudgets().get(0).setNodes("100%");
    return pool;
  }

  /** The requirement that {@code key} is one of {@code values}. */
  public static NodeSelectorRequirementWithMinValues in(String key, String... values) {
    return new NodeSelectorRequirementWithMinValues(key, "In", List.of(values), null);
  }

  public KubeApiServer api() {
    return api;
  }

  public KubernetesClient client() {
    return client;
  }

  public DovetailOperator operator() {
    return operator;
  }

  public Binder binder() {
    return binder;
  }

  @Override
  public void close() {
    binder.close();
    operator.close();
    client.close();
    api.close();
  }
}
