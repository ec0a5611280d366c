package dev.dovetail.metrics;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.RepairPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wraps a provider so every call is timed and every failure counted, under upstream's names ({@code
 * karpenter_cloudprovider_duration_seconds}, {@code karpenter_cloudprovider_errors_total}). A
 * NodeClaimNotFoundException from delete/get is the expected answer, not an error.
 */
public final class MeteredCloudProvider implements CloudProvider {
  private final CloudProvider delegate;
  private final MeterRegistry registry;

  public MeteredCloudProvider(CloudProvider delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  private <T> T timed(String method, Supplier<T> call) {
    Timer.Sample sample = Timer.start(registry);
    try {
      return call.get();
    } catch (NodeClaimNotFoundException e) {
      throw e;
    } catch (RuntimeException e) {
      Counter.builder("karpenter.cloudprovider.errors")
          .description("Total errors returned from CloudProvider calls")
          .tag("controller", "dovetail")
          .tag("method", method)
          .tag("provider", delegate.name())
          .tag("error", e.getClass().getSimpleName())
          .register(registry)
          .increment();
      throw e;
    } finally {
      sample.stop(
          Timer.builder("karpenter.cloudprovider.duration")
              .description("Duration of cloud provider method calls")
              .publishPercentileHistogram()
              .tag("controller", "dovetail")
              .tag("method", method)
              .tag("provider", delegate.name())
              .register(registry));
    }
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public boolean functional() {
    return delegate.functional();
  }

  @Override
  public String status() {
    return delegate.status();
  }

  @Override
  public void start(ProviderContext context) {
    delegate.start(context);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return delegate.supportedNodeClasses();
  }

  @Override
  public Instance create(NodeClaimView nodeClaim) {
    return timed("Create", () -> delegate.create(nodeClaim));
  }

  @Override
  public void delete(String providerId) {
    timed(
        "Delete",
        () -> {
          delegate.delete(providerId);
          return null;
        });
  }

  @Override
  public Instance get(String providerId) {
    return timed("Get", () -> delegate.get(providerId));
  }

  @Override
  public List<Instance> list() {
    return timed("List", delegate::list);
  }

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    return timed("GetInstanceTypes", () -> delegate.instanceTypes(nodePool, nodeClass));
  }

  @Override
  public Optional<String> isDrifted(NodeClaimView nodeClaim) {
    return timed("IsDrifted", () -> delegate.isDrifted(nodeClaim));
  }

  @Override
  public Optional<NodeClassStatus> nodeClassStatus(Object nodeClass) {
    return timed("NodeClassStatus", () -> delegate.nodeClassStatus(nodeClass));
  }

  @Override
  public void finalizeNodeClass(Object nodeClass) {
    timed(
        "FinalizeNodeClass",
        () -> {
          delegate.finalizeNodeClass(nodeClass);
          return null;
        });
  }

  @Override
  public List<RepairPolicy> repairPolicies() {
    return delegate.repairPolicies();
  }

  /** Not timed: it reads the provider's counters and never calls the cloud. */
  @Override
  public List<dev.dovetail.cloudprovider.ProviderMetric> metrics() {
    return delegate.metrics();
  }
}
