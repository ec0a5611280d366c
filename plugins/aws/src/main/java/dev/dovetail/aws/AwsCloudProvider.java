package dev.dovetail.aws;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.autoscaling.AwsAutoscaling;
import dev.dovetail.aws.interruption.InterruptionPoller;
import dev.dovetail.cloudprovider.DelegatingCloudProvider;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.PeriodicTasks;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.RepairPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * The AWS provider ({@code --provider aws}): EC2NodeClass, EC2 instance types with on-demand, spot
 * and reserved offerings, CreateFleet launches, interruption via SQS, drift. See the plugin README
 * for settings and what is implemented.
 */
@Extension
public class AwsCloudProvider extends DelegatingCloudProvider
    implements dev.dovetail.cloudprovider.NodeGroupScaler, dev.dovetail.cloudprovider.QueueMetrics {
  public static final String NAME = "aws";

  private AwsSettings settings;

  private AwsAutoscaling autoscaling;
  private Clock clock;
  private AwsProviderCore core;
  private InterruptionPoller poller;

  public AwsCloudProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String status() {
    return settings == null
        ? "functional (not started)"
        : "functional: region "
            + settings.region()
            + ", prices from "
            + core.pricing().onDemandSource();
  }

  @Override
  public void start(ProviderContext context) {
    start(AwsSettings.from(context), context.clock(), context.interruptions(), true);
  }

  /**
   * Starts with explicit settings; {@code background} false leaves pricing refresh and queue
   * polling to the caller (tests drive them by hand).
   */
  public void start(
      AwsSettings s, Clock clk, InterruptionListener interruptions, boolean background) {
    this.settings = s;
    this.clock = clk;
    ApiRateLimiter limiter = ApiRateLimiter.systemDefault(s.apiRateLimit(), s.apiBurst());
    AwsClients clients = closedWithProvider(new AwsClients(s, limiter));
    this.core = new AwsProviderCore(s, clients, clk);
    this.autoscaling = new AwsAutoscaling(clients.autoScaling(), clients.eks(), clients.sqs());
    if (!s.interruptionQueue().isBlank()) {
      this.poller =
          new InterruptionPoller(
              clients.sqs(),
              s.interruptionQueue(),
              interruptions,
              core::providerIdOfInstance,
              core::onSpotInterruption,
              background ? 20 : 0,
              clk);
    }
    if (background) {
      PeriodicTasks tasks = closedWithProvider(new PeriodicTasks("dovetail-aws", 2));
      tasks.schedule(
          "pricing refresh",
          Duration.ZERO,
          Duration.ofMinutes(Math.max(1, s.pricingRefresh().toMinutes())),
          core.pricing()::refresh);
      if (poller != null) {
        tasks.schedule("interruption poll", Duration.ZERO, Duration.ofSeconds(1), poller::pollOnce);
      }
    }
  }

  /**
   * The interruption queue's counters under upstream's names. {@code
   * karpenter_interruption_received_messages_total} is not among them: the core publishes that name
   * itself (by message type, for the events it is handed).
   */
  @Override
  public java.util.List<dev.dovetail.cloudprovider.ProviderMetric> metrics() {
    if (poller == null) {
      return java.util.List.of();
    }
    return poller.metrics().asProviderMetrics();
  }

  /** The interruption poller, when a queue is configured. */
  public Optional<InterruptionPoller> interruptionPoller() {
    return Optional.ofNullable(poller);
  }

  /** The internals, for tests and tools. */
  @Override
  public AwsProviderCore core() {
    return core;
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return List.of(NodeClassKind.of(EC2NodeClass.class));
  }

  @Override
  public List<RepairPolicy> repairPolicies() {
    return List.of(
        new RepairPolicy("Ready", "False", Duration.ofMinutes(30)),
        new RepairPolicy("Ready", "Unknown", Duration.ofMinutes(30)),
        new RepairPolicy("AcceleratedHardwareReady", "False", Duration.ofMinutes(10)),
        new RepairPolicy("StorageReady", "False", Duration.ofMinutes(30)),
        new RepairPolicy("NetworkingReady", "False", Duration.ofMinutes(30)),
        new RepairPolicy("KernelReady", "False", Duration.ofMinutes(30)),
        new RepairPolicy("ContainerRuntimeReady", "False", Duration.ofMinutes(30)));
  }

  // ---- autoscaling.karpenter.sh/v1alpha1: ScalableNodeGroup and MetricsProducer queue

  @Override
  public java.util.Set<String> supportedNodeGroupTypes() {
    return java.util.Set.of(
        dev.dovetail.aws.autoscaling.AutoScalingGroups.TYPE,
        dev.dovetail.aws.autoscaling.EksNodeGroups.TYPE);
  }

  @Override
  public int replicas(String type, String id) {
    return autoscaling.replicas(type, id);
  }

  @Override
  public void setReplicas(String type, String id, int replicas) {
    autoscaling.setReplicas(type, id, replicas);
  }

  @Override
  public java.util.Set<String> supportedQueueTypes() {
    return java.util.Set.of(dev.dovetail.aws.autoscaling.SqsQueueLength.TYPE);
  }

  @Override
  public long length(String type, String id) {
    return autoscaling.length(type, id);
  }
}
