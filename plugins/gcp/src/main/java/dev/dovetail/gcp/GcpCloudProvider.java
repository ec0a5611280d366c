package dev.dovetail.gcp;

import dev.dovetail.cloudprovider.DelegatingCloudProvider;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.PeriodicTasks;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.RepairPolicy;
import dev.dovetail.gcp.interruption.PreemptionWatcher;
import dev.dovetail.gcp.pricing.CatalogPricing;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/**
 * The Google Cloud provider ({@code --provider gcp}): GCENodeClass, GCE machine types with
 * on-demand and SPOT offerings, {@code instances.insert} launches, preemption as interruption
 * events, drift. See the plugin README for settings and what was exercised.
 */
@Extension
public class GcpCloudProvider extends DelegatingCloudProvider {
  public static final String NAME = "gcp";

  private GcpProviderCore core;
  private PreemptionWatcher preemptions;

  public GcpCloudProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String status() {
    return core == null
        ? "functional (not started)"
        : "functional: project "
            + core.settings().project()
            + ", region "
            + core.settings().region()
            + ", prices from "
            + core.pricing().source();
  }

  @Override
  public void start(ProviderContext context) {
    start(
        GcpSettings.from(context),
        context.clock(),
        context.interruptions(),
        Duration.ofSeconds(1),
        true);
  }

  /**
   * Starts with explicit settings; {@code background} false leaves preemption polling to the caller
   * (tests call {@link #preemptions()} by hand).
   */
  public void start(
      GcpSettings s,
      Clock clock,
      InterruptionListener interruptions,
      Duration operationPollInterval,
      boolean background) {
    GceClients clients = closedWithProvider(new GceClients(s));
    this.core = new GcpProviderCore(s, clients, new CatalogPricing(), clock, operationPollInterval);
    this.preemptions =
        new PreemptionWatcher(
            clients.zoneOperations(),
            Retrier.of(s),
            s.project(),
            core::zones,
            // A preempted SPOT instance is already deleted (termination action DELETE), so it
            // cannot be looked up; the core ignores providerIDs it has no NodeClaim for.
            providerId -> true,
            interruptions);
    if (background && !s.interruptionPollInterval().isZero()) {
      Duration every = s.interruptionPollInterval();
      closedWithProvider(new PeriodicTasks("dovetail-gcp-preemptions", 1))
          .schedule("preemption poll", every, every, preemptions::pollOnce);
    }
  }

  public PreemptionWatcher preemptions() {
    return preemptions;
  }

  @Override
  public GcpProviderCore core() {
    return core;
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return List.of(NodeClassKind.of(GCENodeClass.class));
  }

  @Override
  public List<RepairPolicy> repairPolicies() {
    // Karpenter's node repair toleration for kubelet readiness, as upstream GCP provider uses.
    return List.of(
        new RepairPolicy("Ready", "False", Duration.ofMinutes(30)),
        new RepairPolicy("Ready", "Unknown", Duration.ofMinutes(30)));
  }
}
