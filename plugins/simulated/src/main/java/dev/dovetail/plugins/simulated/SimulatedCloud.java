package dev.dovetail.plugins.simulated;

import dev.dovetail.cloudprovider.CloudProvider;
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
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.RepairPolicy;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.Extension;

/**
 * A cloud that lives in memory, like Karpenter's kwok provider but with real catalogs, spot
 * pricing, launch latency, capacity errors and spot interruptions. After a launch it makes the Node
 * appear through {@link ProviderContext#nodes()} as a kubelet would, then removes the startup
 * taints as a startup daemon would.
 *
 * <p>Thread-safety: instance bookkeeping is guarded by {@code lock}; Node registrar calls for one
 * instance are serialized on that instance so a delete never races its own registration; capacity
 * faults and the unavailable-offerings cache are {@link SimulatedCapacity}'s (concurrent).
 *
 * <p>Catalog loading is cached per provider instance, not per JVM: {@link #start} parses the chosen
 * catalog once and builds the immutable {@link InstanceType} list, which every {@link
 * #instanceTypes} call reuses (overlaying availability only when an offering is unavailable). A
 * JVM-wide cache would be static mutable state shared by plugin instances with different settings,
 * and it is not needed: one parse takes tens of milliseconds and happens once per start.
 */
@Extension
public class SimulatedCloud implements CloudProvider {
  public static final String NAME = "simulated";
  public static final String PROVIDER_ID_PREFIX = "simulated:///";
  public static final String UNREGISTERED_TAINT_KEY = "karpenter.sh/unregistered";
  public static final String SIMULATED_ANNOTATION = "simulated.dovetail.dev/node";
  public static final String STATE_PENDING = "pending";
  public static final String STATE_RUNNING = "running";
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final System.Logger LOG = System.getLogger(SimulatedCloud.class.getName());

  private final Object lock = new Object();
  private final Map<String, SimInstance> byProviderId = new LinkedHashMap<>();
  private final Map<String, SimInstance> byClaim = new HashMap<>();
  private final SimulatedCapacity capacity = new SimulatedCapacity();
  private final Set<String> interrupted = ConcurrentHashMap.newKeySet();
  private long nextId = 1;
  private String idPrefix = "";

  private Delayer delayer;
  private ProviderContext context;
  private Clock clock;
  private SimulatedSettings settings;
  private Catalog catalog;
  private List<InstanceType> instanceTypes;
  private Map<String, InstanceType> instanceTypesByName;
  private NodeFactory nodes;

  /** For PF4J: delayed work runs on a thread of its own, created at {@link #start}. */
  public SimulatedCloud() {
    this(null);
  }

  /** With the delayer to run delayed work on (tests pass one driven by their clock). */
  public SimulatedCloud(Delayer delayer) {
    this.delayer = delayer;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String status() {
    return catalog == null
        ? "functional (not started)"
        : "functional: simulated "
            + catalog.provider()
            + " catalog, "
            + instanceTypes.size()
            + " instance types in "
            + catalog.zones();
  }

  @Override
  public void start(ProviderContext ctx) {
    this.context = ctx;
    this.clock = ctx.clock();
    this.settings = SimulatedSettings.from(ctx.settings());
    this.catalog = Catalog.load(settings.catalog());
    this.instanceTypes =
        CatalogInstanceTypes.build(catalog, settings.maxPods(), settings.vmMemoryOverheadPercent());
    Map<String, InstanceType> byName = new LinkedHashMap<>();
    instanceTypes.forEach(it -> byName.put(it.name(), it));
    this.instanceTypesByName = Map.copyOf(byName);
    capacity.fail(settings.iceOfferings());
    this.nodes = new NodeFactory(catalog);
    // Instance ids start with the start time's epoch seconds (8 hex digits) so a restarted cloud
    // never reuses an id a Node of the previous run may still carry; tests' fixed clocks keep them
    // deterministic.
    this.idPrefix = String.format("%08x", clock.instant().getEpochSecond() & 0xffffffffL);
    if (delayer == null) {
      delayer = Delayer.singleThread("simulated-cloud");
    }
    if (settings.spotInterruptionInterval() != null) {
      delayer.schedule(settings.spotInterruptionInterval(), this::interruptOldestSpot);
    }
  }

  /** The periodic chaos of {@code spotInterruptionInterval}: one spot instance per interval. */
  private void interruptOldestSpot() {
    String victim;
    synchronized (lock) {
      victim =
          byProviderId.values().stream()
              .map(s -> s.instance)
              .filter(i -> WellKnownLabels.CAPACITY_TYPE_SPOT.equals(i.capacityType()))
              .filter(i -> STATE_RUNNING.equals(i.state()))
              .filter(i -> !interrupted.contains(i.providerId()))
              .min(Comparator.comparing(Instance::launchTime).thenComparing(Instance::providerId))
              .map(Instance::providerId)
              .orElse(null);
    }
    try {
      if (victim != null) {
        interrupt(victim);
      }
    } catch (NodeClaimNotFoundException goneMeanwhile) {
      // deleted between the choice and the warning
    } finally {
      delayer.schedule(settings.spotInterruptionInterval(), this::interruptOldestSpot);
    }
  }

  @Override
  public void close() {
    if (delayer != null) {
      delayer.close();
    }
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return List.of(NodeClassKind.of(KWOKNodeClass.class));
  }

  @Override
  public List<RepairPolicy> repairPolicies() {
    return List.of(new RepairPolicy("Ready", "False", Duration.ofMinutes(30)));
  }

  // ---------------------------------------------------------------- faults

  /** Makes launches on the offerings fail with insufficient capacity until restored. */
  public void failOfferings(OfferingKey... offerings) {
    capacity.fail(Arrays.stream(offerings).map(OfferingPattern::of).toList());
  }

  /** As {@link #failOfferings(OfferingKey...)}, with {@code *} wildcards. */
  public void failOfferings(OfferingPattern... patterns) {
    capacity.fail(Arrays.asList(patterns));
  }

  /** Gives the offerings capacity again (also forgets that they failed recently). */
  public void restoreOfferings(OfferingKey... offerings) {
    for (OfferingKey key : offerings) {
      capacity.restore(key);
    }
  }

  /** Removes every injected capacity fault and the memory of recent failures. */
  public void clearFaults() {
    capacity.clear();
  }

  public boolean isFaulted(OfferingKey key) {
    return capacity.isFaulted(key);
  }

  /**
   * Sends a spot interruption warning for the instance through {@link
   * ProviderContext#interruptions()} and terminates it after {@code interruptionNotice} (unless it
   * is deleted first), as EC2 does two minutes after its warning.
   *
   * @return the event sent
   * @throws NodeClaimNotFoundException when no such instance runs
   * @throws IllegalStateException when the instance is not spot
   */
  public InterruptionEvent interrupt(String providerId) {
    SimInstance sim;
    synchronized (lock) {
      sim = byProviderId.get(providerId);
    }
    if (sim == null) {
      throw new NodeClaimNotFoundException("no instance " + providerId);
    }
    if (!WellKnownLabels.CAPACITY_TYPE_SPOT.equals(sim.instance.capacityType())) {
      throw new IllegalStateException(
          providerId + " is " + sim.instance.capacityType() + ", only spot is interrupted");
    }
    interrupted.add(providerId);
    Instant deadline = clock.instant().plus(settings.interruptionNotice());
    InterruptionEvent warning =
        new InterruptionEvent(
            InterruptionEvent.Kind.SPOT_INTERRUPTION,
            providerId,
            deadline,
            "Spot Instance Interruption Warning: " + sim.instance.instanceType() + " reclaimed");
    interruptions().onInterruption(warning);
    delayer.schedule(settings.interruptionNotice(), () -> reclaim(providerId));
    return warning;
  }

  private void reclaim(String providerId) {
    SimInstance sim = remove(providerId);
    if (sim == null) {
      return; // the core deleted it before the deadline
    }
    terminate(sim);
    interruptions()
        .onInterruption(
            new InterruptionEvent(
                InterruptionEvent.Kind.INSTANCE_TERMINATING,
                providerId,
                clock.instant(),
                "spot instance reclaimed"));
  }

  // ---------------------------------------------------------------- SPI

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    return capacity.withAvailability(instanceTypes, clock.instant());
  }

  @Override
  public Instance create(NodeClaimView claim) {
    SimInstance sim;
    synchronized (lock) {
      SimInstance existing = byClaim.get(claim.name());
      if (existing != null) {
        return existing.instance;
      }
      SimulatedCapacity.Candidate chosen = choose(claim);
      sim = launch(claim, chosen);
    }
    delayer.schedule(registrationDelay(claim), () -> register(sim));
    return sim.instance;
  }

  @Override
  public void delete(String providerId) {
    SimInstance sim = remove(providerId);
    if (sim == null) {
      throw new NodeClaimNotFoundException("instance " + providerId + " not found");
    }
    terminate(sim);
  }

  @Override
  public Instance get(String providerId) {
    synchronized (lock) {
      SimInstance sim = byProviderId.get(providerId);
      if (sim == null) {
        throw new NodeClaimNotFoundException("instance " + providerId + " not found");
      }
      return sim.instance;
    }
  }

  @Override
  public List<Instance> list() {
    synchronized (lock) {
      return byProviderId.values().stream().map(s -> s.instance).toList();
    }
  }

  // ---------------------------------------------------------------- launch

  /** The offering to launch among the claim's instance type options (all types if none). */
  private SimulatedCapacity.Candidate choose(NodeClaimView claim) {
    List<String> options = claim.instanceTypeOptions();
    Collection<InstanceType> types =
        options.isEmpty()
            ? instanceTypes
            : options.stream().map(instanceTypesByName::get).filter(t -> t != null).toList();
    return capacity.choose(
        claim,
        types,
        InstanceTypeLabels.prefix(catalog.provider()),
        catalog.provider(),
        clock.instant(),
        settings.unavailableOfferingsTtl());
  }

  private SimInstance launch(NodeClaimView claim, SimulatedCapacity.Candidate c) {
    InstanceType it = c.type();
    Offering o = c.offering();
    String id = "i-" + idPrefix + String.format("%09x", nextId++);
    String providerId = PROVIDER_ID_PREFIX + o.zone() + "/" + id;
    String nodeName = claim.name();
    Map<String, String> labels = new LinkedHashMap<>(it.requirements().singleValueLabels());
    labels.putAll(claim.labels());
    labels.put(WellKnownLabels.INSTANCE_TYPE, it.name());
    labels.put(WellKnownLabels.ZONE, o.zone());
    labels.put(WellKnownLabels.REGION, catalog.region());
    labels.put(WellKnownLabels.CAPACITY_TYPE, o.capacityType());
    labels.put(WellKnownLabels.OS, CatalogInstanceTypes.OS_LINUX);
    labels.put(WellKnownLabels.HOSTNAME, nodeName);
    if (claim.nodePool() != null) {
      labels.put(WellKnownLabels.NODE_POOL, claim.nodePool());
    }
    String arch = labels.getOrDefault(WellKnownLabels.ARCH, "amd64");
    Instance instance =
        new Instance(
            providerId,
            claim.name(),
            claim.nodePool(),
            it.name(),
            o.zone(),
            o.capacityType(),
            "simulated-" + catalog.provider() + "-linux-" + arch,
            labels,
            it.capacity(),
            it.allocatable(),
            clock.instant(),
            STATE_PENDING);
    List<Taint> taints = new ArrayList<>(claim.taints());
    taints.addAll(claim.startupTaints());
    taints.add(new Taint(UNREGISTERED_TAINT_KEY, "", "NoExecute"));
    SimInstance sim = new SimInstance(instance, nodeName, taints, claim.startupTaints());
    byProviderId.put(providerId, sim);
    byClaim.put(claim.name(), sim);
    return sim;
  }

  /**
   * A KWOKNodeClass is Ready when its spec parses (its {@code nodeRegistrationDelay} is a
   * duration); otherwise not Ready with the reason, so its NodePools do not launch.
   */
  @Override
  public java.util.Optional<NodeClassStatus> nodeClassStatus(Object nodeClass) {
    if (nodeClass instanceof KWOKNodeClass kwok
        && kwok.getSpec() != null
        && kwok.getSpec().getNodeRegistrationDelay() != null) {
      try {
        SimulatedSettings.parseDuration(kwok.getSpec().getNodeRegistrationDelay());
      } catch (RuntimeException e) {
        return java.util.Optional.of(
            NodeClassStatus.notReady(
                Map.of(),
                "InvalidNodeRegistrationDelay",
                "spec.nodeRegistrationDelay is not a duration: '"
                    + kwok.getSpec().getNodeRegistrationDelay()
                    + "'"));
      }
    }
    return java.util.Optional.of(NodeClassStatus.ready(Map.of()));
  }

  private Duration registrationDelay(NodeClaimView claim) {
    if (claim.nodeClass() instanceof KWOKNodeClass kwok
        && kwok.getSpec() != null
        && kwok.getSpec().getNodeRegistrationDelay() != null) {
      return SimulatedSettings.parseDuration(kwok.getSpec().getNodeRegistrationDelay());
    }
    return settings.launchLatency();
  }

  /**
   * The kubelet's part: the Node appears, Ready, with the claim's taints. Like a kubelet, it keeps
   * retrying (every {@link #RETRY}) while the API refuses, until the instance is terminated.
   */
  private void register(SimInstance sim) {
    synchronized (sim) {
      if (sim.terminated) {
        return;
      }
      try {
        registrar().register(nodes.node(sim.instance, sim.nodeName, sim.taints));
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "registering node " + sim.nodeName + " failed, retrying",
            e);
        delayer.schedule(RETRY, () -> register(sim));
        return;
      }
      sim.registered = true;
      synchronized (lock) {
        sim.instance = sim.instance.withState(STATE_RUNNING);
      }
    }
    if (!sim.startupTaints.isEmpty()) {
      delayer.schedule(settings.startupTaintDelay(), () -> removeStartupTaints(sim));
    }
  }

  /** The startup daemon's part: it removes its taints once it runs (retrying like a daemon). */
  private void removeStartupTaints(SimInstance sim) {
    synchronized (sim) {
      if (sim.terminated) {
        return;
      }
      try {
        registrar().update(sim.nodeName, n -> NodeFactory.withoutTaints(n, sim.startupTaints));
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "removing startup taints of " + sim.nodeName + " failed, retrying",
            e);
        delayer.schedule(RETRY, () -> removeStartupTaints(sim));
      }
    }
  }

  private NodeRegistrar registrar() {
    return context.nodes() == null ? NodeRegistrar.NONE : context.nodes();
  }

  private InterruptionListener interruptions() {
    return context.interruptions() == null ? InterruptionListener.IGNORE : context.interruptions();
  }

  private SimInstance remove(String providerId) {
    synchronized (lock) {
      SimInstance sim = byProviderId.remove(providerId);
      if (sim != null) {
        byClaim.remove(sim.instance.nodeClaim(), sim);
        interrupted.remove(providerId);
      }
      return sim;
    }
  }

  private void terminate(SimInstance sim) {
    synchronized (sim) {
      sim.terminated = true;
      if (sim.registered) {
        registrar().deregister(sim.nodeName);
      }
    }
  }

  // ---------------------------------------------------------------- accessors

  /** The settings in effect (after {@link #start}). */
  public SimulatedSettings settings() {
    return settings;
  }

  /** The catalog in use (after {@link #start}). */
  public Catalog catalog() {
    return catalog;
  }

  /** One instance as the simulated cloud tracks it. */
  private static final class SimInstance {
    volatile Instance instance;
    final String nodeName;
    final List<Taint> taints;
    final List<Taint> startupTaints;
    boolean terminated; // guarded by this
    boolean registered; // guarded by this

    SimInstance(Instance instance, String nodeName, List<Taint> taints, List<Taint> startupTaints) {
      this.instance = instance;
      this.nodeName = nodeName;
      this.taints = List.copyOf(taints);
      this.startupTaints = List.copyOf(startupTaints);
    }
  }
}
