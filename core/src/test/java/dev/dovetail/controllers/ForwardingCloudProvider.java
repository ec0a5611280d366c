package dev.dovetail.controllers;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.ProviderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real provider seen through a window tests control: extra instances it does not own appear in
 * {@link #list()}, chosen instances vanish from it, and every delete is recorded.
 */
public final class ForwardingCloudProvider implements CloudProvider {
  private final CloudProvider delegate;
  public final List<Instance> extra = new CopyOnWriteArrayList<>();
  public final Set<String> hidden = ConcurrentHashMap.newKeySet();
  public final List<String> deletes = new CopyOnWriteArrayList<>();

  public ForwardingCloudProvider(CloudProvider delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
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

  /** When set, every create fails with it (a cloud that refuses launches). */
  public volatile RuntimeException createFailure;

  @Override
  public Instance create(NodeClaimView nodeClaim) {
    RuntimeException failure = createFailure;
    if (failure != null) {
      throw failure;
    }
    return delegate.create(nodeClaim);
  }

  @Override
  public void delete(String providerId) {
    deletes.add(providerId);
    delegate.delete(providerId);
  }

  @Override
  public Instance get(String providerId) {
    return delegate.get(providerId);
  }

  @Override
  public List<Instance> list() {
    List<Instance> out = new ArrayList<>();
    for (Instance i : delegate.list()) {
      if (!hidden.contains(i.providerId())) {
        out.add(i);
      }
    }
    out.addAll(extra);
    return out;
  }

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    return delegate.instanceTypes(nodePool, nodeClass);
  }

  /** What {@link #nodeClassStatus} answers; null forwards to the delegate. */
  public volatile java.util.function.Function<
          Object, java.util.Optional<dev.dovetail.cloudprovider.NodeClassStatus>>
      nodeClassStatus;

  /** Names of the NodeClasses finalized, in order. */
  public final List<String> finalized = new CopyOnWriteArrayList<>();

  /** When set, {@link #finalizeNodeClass} throws it. */
  public volatile RuntimeException finalizeFailure;

  @Override
  public java.util.Optional<dev.dovetail.cloudprovider.NodeClassStatus> nodeClassStatus(
      Object nodeClass) {
    var answer = nodeClassStatus;
    return answer == null ? delegate.nodeClassStatus(nodeClass) : answer.apply(nodeClass);
  }

  @Override
  public void finalizeNodeClass(Object nodeClass) {
    RuntimeException failure = finalizeFailure;
    if (failure != null) {
      throw failure;
    }
    delegate.finalizeNodeClass(nodeClass);
    finalized.add(
        ((io.fabric8.kubernetes.api.model.HasMetadata) nodeClass).getMetadata().getName());
  }
}
