package dev.dovetail.cloudprovider;

import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A {@link CloudProvider} whose machine and NodeClass calls all go to one {@link Core}, the way
 * Karpenter's cloud providers hand their {@code CloudProvider} methods to an instance provider and
 * an instance-type provider. The plugin class keeps what is its own (name, settings, background
 * work, NodeClass kinds, repair policies) and states the forwarding once, here, rather than each
 * plugin writing the same seven one-line methods.
 *
 * <p>The subclass returns its core from {@link #core()}; it may narrow the return type to its own
 * core class and make it public (tests and tools reach the internals through it). What its {@link
 * #start} opens (SDK clients, {@link PeriodicTasks}) it hands to {@link #closedWithProvider}, and
 * {@link #close()} releases it.
 */
public abstract class DelegatingCloudProvider implements CloudProvider {
  private final Deque<AutoCloseable> opened = new ConcurrentLinkedDeque<>();

  /** The work behind the SPI's machine and NodeClass calls, without the plugin's lifecycle. */
  public interface Core {
    /** See {@link CloudProvider#create}. */
    Instance create(NodeClaimView nodeClaim);

    /** See {@link CloudProvider#delete}. */
    void delete(String providerId);

    /** See {@link CloudProvider#get}. */
    Instance get(String providerId);

    /** See {@link CloudProvider#list}. */
    List<Instance> list();

    /** See {@link CloudProvider#instanceTypes}: the NodePool does not change a cloud's types. */
    List<InstanceType> instanceTypes(Object nodeClass);

    /** See {@link CloudProvider#isDrifted}. */
    Optional<String> isDrifted(NodeClaimView nodeClaim);

    /** See {@link CloudProvider#nodeClassStatus}. */
    Optional<NodeClassStatus> nodeClassStatus(Object nodeClass);

    /** See {@link CloudProvider#finalizeNodeClass}; default: nothing to release. */
    default void finalizeNodeClass(Object nodeClass) {}
  }

  /** The started core; the calls below are only made after {@link #start}. */
  protected abstract Core core();

  /** Registers what {@link #start} opened, for {@link #close()} to close; returns it. */
  protected final <T extends AutoCloseable> T closedWithProvider(T resource) {
    opened.push(resource);
    return resource;
  }

  /**
   * Closes what {@link #closedWithProvider} registered, the last opened first (background tasks
   * stop before the clients they use); every one is closed even when one fails.
   */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (AutoCloseable r = opened.poll(); r != null; r = opened.poll()) {
      try {
        r.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing " + r + " failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public Instance create(NodeClaimView nodeClaim) {
    return core().create(nodeClaim);
  }

  @Override
  public void delete(String providerId) {
    core().delete(providerId);
  }

  @Override
  public Instance get(String providerId) {
    return core().get(providerId);
  }

  @Override
  public List<Instance> list() {
    return core().list();
  }

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    return core().instanceTypes(nodeClass);
  }

  @Override
  public Optional<String> isDrifted(NodeClaimView nodeClaim) {
    return core().isDrifted(nodeClaim);
  }

  @Override
  public Optional<NodeClassStatus> nodeClassStatus(Object nodeClass) {
    return core().nodeClassStatus(nodeClass);
  }

  @Override
  public void finalizeNodeClass(Object nodeClass) {
    core().finalizeNodeClass(nodeClass);
  }
}
