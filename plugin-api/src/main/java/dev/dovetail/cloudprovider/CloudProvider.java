package dev.dovetail.cloudprovider;

import java.util.List;
import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * The SPI a cloud implements: turn generic NodeClaims into machines and report what exists.
 *
 * <p>Mirrors Karpenter's {@code cloudprovider.CloudProvider}. A plugin JAR contributes exactly one
 * implementation as a PF4J {@code @Extension}; the core calls {@link #start} once, then the other
 * methods from several threads, so implementations must be thread-safe.
 *
 * <p>Errors are reported with the typed exceptions of this package: {@link
 * InsufficientCapacityException} (the core marks those offerings unavailable and re-plans), {@link
 * NodeClaimNotFoundException} (the instance is gone), {@link NodeClassNotReadyException} (retry
 * later), {@link CreateException} (any other launch failure, with a reason). Any other runtime
 * exception is treated as transient and retried.
 */
public interface CloudProvider extends ExtensionPoint {

  /**
   * The contract version of this SPI. PF4J compares it with each plugin's {@code Plugin-Requires}
   * manifest entry, so a plugin built against an incompatible API is refused at load time.
   */
  String API_VERSION = "0.1.0";

  /** The provider name selected with {@code --provider} (e.g. {@code aws}, {@code simulated}). */
  String name();

  /**
   * Whether the provider can launch machines. A plugin that only ships its NodeClass model returns
   * false with {@link #status()} explaining why; the core refuses to run with it.
   */
  default boolean functional() {
    return true;
  }

  /** A one-line, human-readable status (shown by {@code dovetail plugins} and on refusal). */
  default String status() {
    return functional() ? "functional" : "not functional";
  }

  /** Called once after loading, before any other call. */
  default void start(ProviderContext context) {}

  /** Called once at shutdown; release threads and clients. */
  default void close() {}

  /** The NodeClass kinds this provider reads; the first is the default. */
  List<NodeClassKind> supportedNodeClasses();

  /**
   * Launches a machine for the NodeClaim. The claim's requirements say which instance types, zones
   * and capacity types are acceptable (instance types cheapest first). Idempotent by claim name: a
   * second call for a claim that already has an instance returns that instance.
   *
   * @return the launched instance, resolved: providerID, instance type, zone, capacity type,
   *     capacity and allocatable
   */
  Instance create(NodeClaimView nodeClaim);

  /**
   * Terminates the instance. Throws {@link NodeClaimNotFoundException} once the instance is gone
   * (the core keeps calling until it does), so a repeated delete is safe.
   */
  void delete(String providerId);

  /** The instance with this providerID, or {@link NodeClaimNotFoundException}. */
  Instance get(String providerId);

  /** Every instance this provider launched for this cluster (used by garbage collection). */
  List<Instance> list();

  /**
   * All instance types a NodePool could use with its NodeClass, including those whose offerings are
   * currently unavailable (marked {@code available=false}).
   */
  List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass);

  /**
   * Whether a launched NodeClaim no longer matches what its NodeClass would launch now (e.g. a
   * newer image). Returns the drift reason, or empty when not drifted.
   */
  default Optional<String> isDrifted(NodeClaimView nodeClaim) {
    return Optional.empty();
  }

  /**
   * Resolves a NodeClass and reports its status for the core to write back to the API server
   * (Karpenter's NodeClass status controllers). Called by the core's NodeClass controller when a
   * NodeClass changes and periodically after that (so a subnet or image that appears later is
   * picked up). A NodeClass that is not {@linkplain NodeClassStatus#isReady() Ready} makes the
   * NodePools referencing it not Ready and blocks their launches with an event.
   *
   * <p>Throwing means the status could not be observed (an API error): the core keeps the last
   * written status, logs and retries; it never reads a failure as Ready.
   *
   * @param nodeClass the NodeClass object, of one of {@link #supportedNodeClasses()}' types
   * @return the status, or empty when the provider keeps none (the core then writes only a Ready
   *     condition)
   */
  default java.util.Optional<NodeClassStatus> nodeClassStatus(Object nodeClass) {
    return java.util.Optional.empty();
  }

  /**
   * Releases what the provider created for a NodeClass that is being deleted (launch templates,
   * instance profiles, ...). The core holds the NodeClass's finalizer and calls this only after
   * every NodeClaim using the NodeClass is gone; throwing retries later, and the finalizer stays
   * until a call returns.
   */
  default void finalizeNodeClass(Object nodeClass) {}

  /** Node conditions that, held for their toleration, mean the node should be replaced. */
  default List<RepairPolicy> repairPolicies() {
    return List.of();
  }

  /**
   * The provider's own metrics (queue counters, API call counts, ...), which the core cannot see
   * otherwise: the core polls this every few seconds and publishes each value on its Prometheus
   * endpoint (see {@link ProviderMetric} for names and types). Must be cheap and must not call the
   * cloud; throwing skips one poll. Default: none.
   */
  default List<ProviderMetric> metrics() {
    return List.of();
  }
}
