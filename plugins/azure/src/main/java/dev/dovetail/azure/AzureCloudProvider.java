package dev.dovetail.azure;

import dev.dovetail.azure.arm.Sleeper;
import dev.dovetail.azure.launch.ProviderIds;
import dev.dovetail.azure.nodeclass.NodeClassSpecs;
import dev.dovetail.azure.options.AzureSettings;
import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.PeriodicTasks;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.RepairPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * The Azure provider (Azure/karpenter-provider-azure's behaviour on the Azure SDK for Java): VMs
 * with a NIC each in the AKS node resource group, sizes from the Resource SKUs API, prices from the
 * Retail Prices API, AKSNodeClass status. Settings: {@link AzureSettings}.
 */
@Extension
public class AzureCloudProvider implements CloudProvider {
  private volatile AzureProviderCore core;
  private volatile PeriodicTasks refresher;

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public String status() {
    return "functional: Azure VMs via the Azure SDK (exercised against WireMock only)";
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return List.of(NodeClassKind.of(AKSNodeClass.class));
  }

  @Override
  public void start(ProviderContext context) {
    AzureSettings settings = AzureSettings.from(context.clusterName(), context::setting);
    start(settings, context.clock(), Sleeper.REAL);
    long hours = context.setting("pricingRefreshHours").map(Long::parseLong).orElse(12L);
    if (hours > 0) {
      refresher =
          new PeriodicTasks("azure-pricing", 1)
              .schedule(
                  "pricing refresh",
                  Duration.ZERO,
                  Duration.ofHours(hours),
                  core.pricing()::refresh);
    }
  }

  /** Starts with explicit settings (tests: a recording sleeper, no background refresh). */
  public void start(AzureSettings settings, Clock clock, Sleeper sleeper) {
    core = AzureProviderCore.create(settings, clock, sleeper);
  }

  /** The wired components (tests refresh prices through it). */
  public AzureProviderCore core() {
    AzureProviderCore c = core;
    if (c == null) {
      throw new IllegalStateException("azure provider not started");
    }
    return c;
  }

  @Override
  public void close() {
    PeriodicTasks r = refresher;
    if (r != null) {
      r.close();
    }
  }

  @Override
  public Instance create(NodeClaimView nodeClaim) {
    return core().launcher().launch(nodeClaim, NodeClassSpecs.of(nodeClaim.nodeClass()));
  }

  @Override
  public void delete(String providerId) {
    ProviderIds.VmRef ref = ProviderIds.parse(providerId);
    if (!core().vms().deleteAll(ref.resourceGroup(), ref.name())) {
      throw new NodeClaimNotFoundException("VM " + ref.name() + " is gone");
    }
  }

  @Override
  public Instance get(String providerId) {
    return core().vms().toInstance(core().vms().require(ProviderIds.parse(providerId)));
  }

  @Override
  public List<Instance> list() {
    List<Instance> instances =
        core().vms().listOwned().stream().map(core().vms()::toInstance).toList();
    // The core lists for garbage collection: NICs of failed launches are collected here too.
    core()
        .vms()
        .collectOrphanNics(
            instances.stream()
                .map(i -> i.providerId().substring(i.providerId().lastIndexOf('/') + 1))
                .collect(java.util.stream.Collectors.toSet()),
            core().launcher()::inFlight);
    return instances;
  }

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    return core().instanceTypes().list(NodeClassSpecs.of(nodeClass));
  }

  @Override
  public Optional<String> isDrifted(NodeClaimView nodeClaim) {
    return core().drift().check(nodeClaim);
  }

  @Override
  public Optional<NodeClassStatus> nodeClassStatus(Object nodeClass) {
    return Optional.of(core().statusResolver().resolve(NodeClassSpecs.of(nodeClass)));
  }

  /** Upstream's repair policies (Ready False/Unknown for 10 minutes, AKS node problems at once). */
  @Override
  public List<RepairPolicy> repairPolicies() {
    return List.of(
        new RepairPolicy("Ready", "False", Duration.ofMinutes(10)),
        new RepairPolicy("Ready", "Unknown", Duration.ofMinutes(10)),
        new RepairPolicy("kubernetes.azure.com/NodeHealthy", "False", Duration.ZERO),
        new RepairPolicy("PreemptionScheduled", "True", Duration.ZERO));
  }
}
