package dev.dovetail.cloudprovider.testkit;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.CloudProviderException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.RepairPolicy;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A {@link CloudProvider} decorator that injects cloud faults around any provider, so the chaos
 * suite and the conformance kit's chaos pass work for every plugin without hooks inside it:
 *
 * <ul>
 *   <li>{@link Fault#CALL_ERROR}: a share of create/delete/get/list calls fail before reaching the
 *       cloud (throttling, 5xx);
 *   <li>{@link Fault#TIMEOUT}: a share of calls hang and then fail as a client timeout does; a
 *       create or delete has reached the cloud first, so the instance exists (or is gone) although
 *       the caller heard only an error;
 *   <li>{@link Fault#NEVER_REGISTER}: a share of launches whose machine never joins (the node the
 *       provider would register through {@link ProviderContext#nodes()} is swallowed);
 *   <li>{@link Fault#INTERRUPTION}: {@link #interrupt} warns through {@link
 *       ProviderContext#interruptions()} as a real provider delivers a spot interruption, then
 *       reclaims the instance at the deadline unless the core removed it first;
 *   <li>{@link Fault#VANISH}: {@link #vanish} deletes an instance with no event at all.
 * </ul>
 *
 * Every decision comes from one seeded {@link Random}, so a schedule replays. {@link #start} may be
 * called again by a new operator on the same cloud (one killed and restarted): the provider is
 * started once and later starts only retarget its callbacks to the newest caller.
 */
public class FaultInjectingCloudProvider implements CloudProvider {

  /** The kinds of fault this decorator injects. */
  public enum Fault {
    CALL_ERROR,
    TIMEOUT,
    NEVER_REGISTER,
    INTERRUPTION,
    VANISH
  }

  private final CloudProvider cloud;
  private final Random random;
  private final AtomicReference<InterruptionListener> listener =
      new AtomicReference<>(InterruptionListener.IGNORE);
  private final AtomicReference<NodeRegistrar> registrar =
      new AtomicReference<>(NodeRegistrar.NONE);
  private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
  private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
  private final Set<String> unregisteredClaims = ConcurrentHashMap.newKeySet();
  private final Set<String> swallowedNodes = ConcurrentHashMap.newKeySet();
  // set during a vanish whose Node stays: the provider deregisters it inside delete, on this thread
  private final ThreadLocal<Boolean> keepNodes = ThreadLocal.withInitial(() -> false);
  private final AtomicInteger interruptionsHandledByCore = new AtomicInteger();
  private final AtomicInteger interruptionsReclaimed = new AtomicInteger();
  private ScheduledExecutorService timer;
  private volatile Clock clock = Clock.systemUTC();
  private volatile double errorRate;
  private volatile double timeoutRate;
  private volatile double neverRegisterRate;
  private volatile Duration hang = Duration.ofMillis(500);
  private volatile Duration repairToleration;
  private volatile boolean dropInterruptions;
  private boolean started;

  public FaultInjectingCloudProvider(CloudProvider cloud, long seed) {
    this.cloud = cloud;
    this.random = new Random(seed);
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
  }

  /** The timer of delayed faults (reclaims, redeliveries), started on first use. */
  private synchronized ScheduledExecutorService timer() {
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "fault-injection");
                t.setDaemon(true);
                return t;
              });
    }
    return timer;
  }

  // ------------------------------------------------------------------ the fault schedule

  /** Fails this share (0..1) of create/delete/get/list calls from now on; 0 stops it. */
  public FaultInjectingCloudProvider errorRate(double rate) {
    this.errorRate = rate;
    return this;
  }

  /**
   * Makes this share (0..1) of calls hang for {@code hang} and then fail as a timed-out client
   * call; a create or delete goes through to the cloud before the hang.
   */
  public FaultInjectingCloudProvider timeoutRate(double rate, Duration hang) {
    this.hang = hang;
    this.timeoutRate = rate;
    return this;
  }

  /** Makes this share (0..1) of new launches never register a node. */
  public FaultInjectingCloudProvider neverRegisterRate(double rate) {
    this.neverRegisterRate = rate;
    return this;
  }

  /**
   * Caps the provider's {@link #repairPolicies()} tolerations (a chaos run compresses time: a
   * thirty-minute toleration would outlast it). Null keeps the provider's.
   */
  public FaultInjectingCloudProvider repairToleration(Duration cap) {
    this.repairToleration = cap;
    return this;
  }

  /**
   * Loses every interruption event from now on (a queue the provider never reads): the instance is
   * still reclaimed at its deadline. Shows what the core's interruption handling saves.
   */
  public FaultInjectingCloudProvider dropInterruptions(boolean drop) {
    this.dropInterruptions = drop;
    return this;
  }

  /** Stops call errors, timeouts and never-registering launches (scheduled reclaims still run). */
  public FaultInjectingCloudProvider clearFaults() {
    errorRate = 0;
    timeoutRate = 0;
    neverRegisterRate = 0;
    return this;
  }

  /**
   * A spot interruption: the warning goes to the core now (redelivered while the core refuses it,
   * as a provider keeps a queue message), and the instance is reclaimed at {@code notice} unless
   * the core has removed it by then.
   *
   * @return false when no such instance is listed
   */
  public boolean interrupt(String providerId, Duration notice) {
    if (cloud.list().stream().noneMatch(i -> providerId.equals(i.providerId()))) {
      return false;
    }
    Instant deadline = clock.instant().plus(notice);
    injected.get(Fault.INTERRUPTION).incrementAndGet();
    deliver(
        new InterruptionEvent(
            InterruptionEvent.Kind.SPOT_INTERRUPTION,
            providerId,
            deadline,
            "chaos: spot interruption warning, reclaimed at " + deadline),
        deadline);
    timer().schedule(() -> reclaim(providerId), notice.toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  /**
   * The instance disappears without any event (a reclaim without warning, a host failure); only
   * list/get say so from now on.
   *
   * @return false when it was already gone
   */
  public boolean vanish(String providerId) {
    return vanish(providerId, false);
  }

  /**
   * As {@link #vanish(String)}; with {@code nodeStays} the Node object the provider registered is
   * not deregistered (a host failure: the kubelet stops, the Node stays until something notices),
   * for providers that register nodes and would otherwise remove it with the instance.
   */
  public boolean vanish(String providerId, boolean nodeStays) {
    keepNodes.set(nodeStays);
    try {
      cloud.delete(providerId);
    } catch (NodeClaimNotFoundException e) {
      return false;
    } finally {
      keepNodes.remove();
    }
    injected.get(Fault.VANISH).incrementAndGet();
    return true;
  }

  // ------------------------------------------------------------------ what happened

  /** Faults injected so far, all kinds. */
  public long injected() {
    return injected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Faults of one kind injected so far. */
  public long injected(Fault kind) {
    return injected.get(kind).get();
  }

  /** Interrupted instances the core removed before their deadline (it acted on the warning). */
  public int interruptionsHandledByCore() {
    return interruptionsHandledByCore.get();
  }

  /** Interrupted instances still there at their deadline, reclaimed by the cloud. */
  public int interruptionsReclaimed() {
    return interruptionsReclaimed.get();
  }

  /** The provider IDs of launches whose node was made never to register. */
  public Set<String> neverRegistered() {
    return Collections.unmodifiableSet(unregistered);
  }

  /** The cloud's instances, with no fault injected (for invariant checks). */
  public List<Instance> listQuietly() {
    return cloud.list();
  }

  /** The provider decorated. */
  public CloudProvider delegate() {
    return cloud;
  }

  // ------------------------------------------------------------------ the SPI

  @Override
  public synchronized void start(ProviderContext context) {
    listener.set(
        context.interruptions() == null ? InterruptionListener.IGNORE : context.interruptions());
    registrar.set(context.nodes() == null ? NodeRegistrar.NONE : context.nodes());
    clock = context.clock();
    if (!started) {
      started = true;
      cloud.start(
          new ProviderContext(
              context.clusterName(),
              context.settings(),
              context.clock(),
              new FilteringRegistrar(),
              event -> listener.get().onInterruption(event)));
    }
  }

  /** Stops the timer and the provider. */
  @Override
  public void close() {
    synchronized (this) {
      if (timer != null) {
        timer.shutdownNow();
      }
    }
    cloud.close();
  }

  @Override
  public Instance create(NodeClaimView nodeClaim) {
    maybeFail("create");
    // a retried create of a claim already launched is not a new launch to lose
    boolean lost =
        roll(neverRegisterRate)
            && cloud.list().stream().noneMatch(i -> nodeClaim.name().equals(i.nodeClaim()));
    boolean timesOut = roll(timeoutRate);
    if (lost) {
      // marked before the call: a provider may register the node before create returns
      unregisteredClaims.add(nodeClaim.name());
    }
    Instance instance = cloud.create(nodeClaim);
    if (lost && unregistered.add(instance.providerId())) {
      injected.get(Fault.NEVER_REGISTER).incrementAndGet();
    }
    if (timesOut) {
      timeOut("create of " + nodeClaim.name() + " (the instance was created)");
    }
    return instance;
  }

  @Override
  public void delete(String providerId) {
    maybeFail("delete");
    boolean timesOut = roll(timeoutRate);
    cloud.delete(providerId);
    if (timesOut) {
      timeOut("delete of " + providerId + " (the instance was deleted)");
    }
  }

  @Override
  public Instance get(String providerId) {
    maybeFail("get");
    if (roll(timeoutRate)) {
      timeOut("get of " + providerId);
    }
    return cloud.get(providerId);
  }

  @Override
  public List<Instance> list() {
    maybeFail("list");
    if (roll(timeoutRate)) {
      timeOut("list");
    }
    return cloud.list();
  }

  @Override
  public String name() {
    return cloud.name();
  }

  @Override
  public boolean functional() {
    return cloud.functional();
  }

  @Override
  public String status() {
    return cloud.status();
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return cloud.supportedNodeClasses();
  }

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    return cloud.instanceTypes(nodePool, nodeClass);
  }

  @Override
  public Optional<String> isDrifted(NodeClaimView nodeClaim) {
    return cloud.isDrifted(nodeClaim);
  }

  @Override
  public Optional<NodeClassStatus> nodeClassStatus(Object nodeClass) {
    return cloud.nodeClassStatus(nodeClass);
  }

  @Override
  public void finalizeNodeClass(Object nodeClass) {
    cloud.finalizeNodeClass(nodeClass);
  }

  @Override
  public List<RepairPolicy> repairPolicies() {
    Duration cap = repairToleration;
    List<RepairPolicy> policies = cloud.repairPolicies();
    if (cap == null) {
      return policies;
    }
    return policies.stream()
        .map(
            p ->
                p.toleration().compareTo(cap) <= 0
                    ? p
                    : new RepairPolicy(p.conditionType(), p.conditionStatus(), cap))
        .toList();
  }

  // ------------------------------------------------------------------ internals

  private boolean roll(double rate) {
    if (rate <= 0) {
      return false;
    }
    synchronized (random) {
      return random.nextDouble() < rate;
    }
  }

  private void maybeFail(String call) {
    if (roll(errorRate)) {
      injected.get(Fault.CALL_ERROR).incrementAndGet();
      throw new CloudProviderException("chaos: " + call + " failed (throttled / 5xx)");
    }
  }

  private void timeOut(String what) {
    injected.get(Fault.TIMEOUT).incrementAndGet();
    try {
      Thread.sleep(hang.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new CloudProviderException("chaos: " + what + " timed out after " + hang);
  }

  /** Delivers until the core accepts the event (it throws when it has not recorded it). */
  private void deliver(InterruptionEvent event, Instant until) {
    if (dropInterruptions) {
      return;
    }
    try {
      listener.get().onInterruption(event);
    } catch (RuntimeException refused) {
      if (clock.instant().isBefore(until)) {
        timer().schedule(() -> deliver(event, until), 200, TimeUnit.MILLISECONDS);
      }
    }
  }

  private void reclaim(String providerId) {
    try {
      cloud.delete(providerId);
    } catch (NodeClaimNotFoundException gone) {
      interruptionsHandledByCore.incrementAndGet();
      return;
    } catch (RuntimeException e) {
      return; // the provider refused; nothing was reclaimed
    }
    interruptionsReclaimed.incrementAndGet();
    deliver(
        new InterruptionEvent(
            InterruptionEvent.Kind.INSTANCE_TERMINATING,
            providerId,
            clock.instant(),
            "chaos: spot instance reclaimed"),
        clock.instant().plusSeconds(5));
  }

  /**
   * The provider's node registrations, less those of launches made never to register (their kubelet
   * never reaches the API server).
   */
  private final class FilteringRegistrar implements NodeRegistrar {
    @Override
    public void register(Node node) {
      String providerId = node.getSpec() == null ? null : node.getSpec().getProviderID();
      if (providerId != null && lost(providerId)) {
        swallowedNodes.add(node.getMetadata().getName());
        return;
      }
      registrar.get().register(node);
    }

    private boolean lost(String providerId) {
      if (unregistered.contains(providerId)) {
        return true;
      }
      return !unregisteredClaims.isEmpty()
          && cloud.list().stream()
              .anyMatch(
                  i ->
                      providerId.equals(i.providerId())
                          && unregisteredClaims.contains(String.valueOf(i.nodeClaim())));
    }

    @Override
    public void update(String nodeName, UnaryOperator<Node> change) {
      if (!swallowedNodes.contains(nodeName)) {
        registrar.get().update(nodeName, change);
      }
    }

    @Override
    public void deregister(String nodeName) {
      if (!swallowedNodes.remove(nodeName) && !keepNodes.get()) {
        registrar.get().deregister(nodeName);
      }
    }
  }
}
