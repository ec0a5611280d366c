package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a {@link SchedulingResult} against its {@link SchedulingInput}, independently of the
 * engine: it re-derives every constraint from the input with plain maps and loops (no engine class
 * other than the public records). Returns the violations found; empty means valid.
 *
 * <p>Topology spread is checked on the final state for self-contained groups (every pod the
 * selector matches is a pending pod carrying the same constraint, none already running): for those,
 * placing each pod with {@code count + 1 - min <= maxSkew} keeps {@code max - min <= maxSkew} at
 * the end; for hostname keys a new node is always an empty domain, so each node holds at most
 * maxSkew of them.
 */
final class PlacementVerifier {
  private final SchedulingInput in;
  private final SchedulingResult out;
  private final List<String> errors = new ArrayList<>();
  private final Map<String, SchedulingPod> pending = new HashMap<>();

  /** Pods per target: existing node name or new claim hostname. */
  private final Map<String, List<SchedulingPod>> podsOn = new HashMap<>();

  /** Labels known for a target's domains (existing labels; claim single-valued requirements). */
  private final Map<String, Map<String, String>> domainLabels = new HashMap<>();

  private PlacementVerifier(SchedulingInput in, SchedulingResult out) {
    this.in = in;
    this.out = out;
  }

  static List<String> verify(SchedulingInput in, SchedulingResult out) {
    PlacementVerifier v = new PlacementVerifier(in, out);
    v.run();
    return v.errors;
  }

  private void run() {
    for (SchedulingPod p : in.pods()) {
      pending.put(p.id(), p);
    }
    checkAccounting();
    Map<String, ExistingNode> nodes = new HashMap<>();
    for (ExistingNode n : in.nodes()) {
      nodes.put(n.name(), n);
      podsOn.put(n.name(), new ArrayList<>(n.pods()));
      Map<String, String> l = new HashMap<>(n.labels());
      l.putIfAbsent(WellKnownLabels.HOSTNAME, n.name());
      domainLabels.put(n.name(), l);
    }
    out.placements()
        .forEach(
            (pod, node) ->
                podsOn.computeIfAbsent(node, k -> new ArrayList<>()).add(pending.get(pod)));
    for (NewNodeClaim c : out.newNodeClaims()) {
      List<SchedulingPod> ps = new ArrayList<>();
      for (String id : c.podIds()) {
        ps.add(pending.get(id));
      }
      podsOn.put(c.hostname(), ps);
      Map<String, String> l = new HashMap<>(c.requirements().singleValueLabels());
      l.putAll(c.labels());
      l.put(WellKnownLabels.HOSTNAME, c.hostname());
      l.remove(WellKnownLabels.INSTANCE_TYPE);
      domainLabels.put(c.hostname(), l);
    }
    out.placements().forEach((pod, node) -> checkExisting(pending.get(pod), nodes.get(node)));
    for (ExistingNode n : in.nodes()) {
      checkExistingCapacity(n);
    }
    Map<String, NodePoolTemplate> pools = new HashMap<>();
    for (NodePoolTemplate p : in.nodePools()) {
      pools.put(p.name(), p);
    }
    for (NewNodeClaim c : out.newNodeClaims()) {
      checkClaim(c, pools.get(c.nodePool()));
    }
    checkLimits(pools);
    checkTopology();
    checkHostPorts();
  }

  private void err(String s) {
    errors.add(s);
  }

  private void checkAccounting() {
    Map<String, Integer> seen = new HashMap<>();
    out.placements().keySet().forEach(id -> seen.merge(id, 1, Integer::sum));
    out.unschedulable().keySet().forEach(id -> seen.merge(id, 1, Integer::sum));
    for (NewNodeClaim c : out.newNodeClaims()) {
      c.podIds().forEach(id -> seen.merge(id, 1, Integer::sum));
    }
    for (SchedulingPod p : in.pods()) {
      Integer n = seen.get(p.id());
      if (n == null) {
        err("pod " + p.id() + " silently dropped");
      } else if (n > 1) {
        err("pod " + p.id() + " appears " + n + " times");
      }
    }
    for (String id : seen.keySet()) {
      if (!pending.containsKey(id)) {
        err("unknown pod " + id + " in result");
      }
    }
    out.unschedulable()
        .forEach(
            (id, why) -> {
              if (why == null || why.isBlank()) {
                err("pod " + id + " unschedulable without a reason");
              }
            });
  }

  // ---------------------------------------------------------------------------- node affinity

  /** Whether the pod's nodeSelector, volume and required node affinity accept these labels. */
  static boolean nodeAccepts(SchedulingPod p, Map<String, String> labels) {
    for (Map.Entry<String, String> e : p.nodeSelector().entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    if (!p.volumeRequirements().matches(labels)) {
      return false;
    }
    if (p.requiredNodeAffinity().isEmpty()) {
      return true;
    }
    for (Requirements t : p.requiredNodeAffinity()) {
      if (t.matches(labels)) {
        return true;
      }
    }
    return false;
  }

  static boolean tolerates(SchedulingPod p, List<Taint> taints) {
    for (Taint t : taints) {
      if (!t.effect().equals("NoSchedule") && !t.effect().equals("NoExecute")) {
        continue;
      }
      boolean ok = false;
      for (Toleration tol : p.tolerations()) {
        boolean effect = tol.effect().isEmpty() || tol.effect().equals(t.effect());
        boolean key =
            tol.key().isEmpty()
                ? tol.operator().equals("Exists")
                : tol.key().equals(t.key())
                    && (tol.operator().equals("Exists") || tol.value().equals(t.value()));
        ok |= effect && key;
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private void checkExisting(SchedulingPod p, ExistingNode n) {
    if (n == null) {
      err("pod " + p.id() + " placed on unknown node");
      return;
    }
    if (n.markedForDeletion()) {
      err("pod " + p.id() + " placed on node " + n.name() + " that is being deleted");
    }
    List<Taint> taints = new ArrayList<>();
    for (Taint t : n.taints()) {
      if (!n.inFlight()
          || !Set.of(
                  "node.kubernetes.io/not-ready",
                  "node.kubernetes.io/unreachable",
                  "node.cloudprovider.kubernetes.io/uninitialized",
                  "karpenter.sh/unregistered")
              .contains(t.key())) {
        taints.add(t);
      }
    }
    if (!tolerates(p, taints)) {
      err("pod " + p.id() + " does not tolerate taints of " + n.name());
    }
    if (!nodeAccepts(p, n.labels())) {
      err("pod " + p.id() + " node affinity/selector rejects " + n.name());
    }
  }

  private void checkExistingCapacity(ExistingNode n) {
    Map<String, Long> used = new HashMap<>(n.requested().asMap());
    used.putIfAbsent(Resources.PODS, (long) n.pods().size());
    for (Map.Entry<String, String> e : out.placements().entrySet()) {
      if (e.getValue().equals(n.name())) {
        pending.get(e.getKey()).requests().asMap().forEach((k, v) -> used.merge(k, v, Long::sum));
        used.merge(Resources.PODS, 1L, Long::sum);
      }
    }
    long placed = out.placements().values().stream().filter(n.name()::equals).count();
    if (placed == 0) {
      return;
    }
    for (Map.Entry<String, Long> e : used.entrySet()) {
      if (e.getValue() > n.allocatable().get(e.getKey())
          && e.getValue() > n.requested().get(e.getKey())) {
        err("node " + n.name() + " over-committed on " + e.getKey());
      }
    }
  }

  // ------------------------------------------------------------------------------- new claims

  private void checkClaim(NewNodeClaim c, NodePoolTemplate pool) {
    if (pool == null) {
      err("claim " + c.hostname() + " from unknown NodePool " + c.nodePool());
      return;
    }
    if (c.instanceTypeOptions().isEmpty()) {
      err("claim " + c.hostname() + " has no instance type");
      return;
    }
    Requirements reqs = c.requirements();
    // The claim keeps every NodePool requirement.
    for (Requirement r : pool.requirements().all()) {
      Requirement mine = reqs.get(r.key());
      if (mine == null || !r.intersects(mine)) {
        err("claim " + c.hostname() + " dropped NodePool requirement " + r);
      }
    }
    Map<String, Long> sum = new HashMap<>();
    for (String id : c.podIds()) {
      SchedulingPod p = pending.get(id);
      p.requests().asMap().forEach((k, v) -> sum.merge(k, v, Long::sum));
      sum.merge(Resources.PODS, 1L, Long::sum);
      if (!tolerates(p, pool.taints())) {
        err("pod " + id + " does not tolerate NodePool " + pool.name() + " taints");
      }
    }
    for (Map.Entry<String, Long> e : sum.entrySet()) {
      if (e.getValue() > c.requests().get(e.getKey())) {
        err("claim " + c.hostname() + " requests understate " + e.getKey());
      }
    }
    Set<String> names = new HashSet<>();
    for (InstanceType t : c.instanceTypeOptions()) {
      names.add(t.name());
      if (!pool.instanceTypes().contains(t)) {
        err("claim " + c.hostname() + " option " + t.name() + " not in NodePool");
      }
      if (!c.requests().fitsIn(t.allocatable())) {
        err("claim " + c.hostname() + " option " + t.name() + " cannot hold " + c.requests());
      }
      if (!optionSatisfies(t, c, pool)) {
        err("claim " + c.hostname() + " option " + t.name() + " violates the pods' requirements");
      }
    }
    Requirement itReq = reqs.get(WellKnownLabels.INSTANCE_TYPE);
    if (itReq == null || !new HashSet<>(itReq.values()).equals(names)) {
      err("claim " + c.hostname() + " instance-type requirement differs from its options");
    }
    for (Requirement r : pool.requirements().all()) {
      if (r.minValues() != null && r.minValues() > 1) {
        Set<String> vals = new HashSet<>();
        for (InstanceType t : c.instanceTypeOptions()) {
          if (r.key().equals(WellKnownLabels.INSTANCE_TYPE)) {
            vals.add(t.name());
          } else {
            Requirement tr = t.requirements().get(r.key());
            if (tr != null && !tr.complement()) {
              for (String v : tr.values()) {
                if (r.has(v)) {
                  vals.add(v);
                }
              }
            }
          }
        }
        // BestEffort: a claim marked relaxed carries the lowered minValues it must still meet
        Requirement claimed = reqs.get(r.key());
        int min =
            c.minValuesRelaxed() && claimed != null && claimed.minValues() != null
                ? claimed.minValues()
                : r.minValues();
        if (c.minValuesRelaxed() && !in.options().relaxMinValues()) {
          err("claim " + c.hostname() + " relaxed minValues under the Strict policy");
        }
        if (vals.size() < min) {
          err(
              "claim "
                  + c.hostname()
                  + " options span "
                  + vals.size()
                  + " values of "
                  + r.key()
                  + " < minValues "
                  + min);
        }
      }
    }
  }

  /** Labels a node of type t from this claim would have, then every pod's node terms hold. */
  private boolean optionSatisfies(InstanceType t, NewNodeClaim c, NodePoolTemplate pool) {
    Requirements reqs = c.requirements();
    // some available offering must match the claim's zone/capacity-type
    Offering off = null;
    for (Offering o : t.offerings()) {
      if (o.available() && o.compatibleWith(reqs)) {
        off = o;
        break;
      }
    }
    if (off == null) {
      return false;
    }
    for (String id : c.podIds()) {
      SchedulingPod p = pending.get(id);
      if (!podCompatibleWithType(p, t, reqs, pool)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A pod fits a type of a claim when one of its terms intersects, key by key, what the node may
   * be: the claim's requirements, the pool labels, the type's labels and its offerings.
   */
  static boolean podCompatibleWithType(
      SchedulingPod p, InstanceType t, Requirements claim, NodePoolTemplate pool) {
    List<Requirements> terms = new ArrayList<>();
    Requirements base = Requirements.fromLabels(p.nodeSelector()).and(p.volumeRequirements());
    if (p.requiredNodeAffinity().isEmpty()) {
      terms.add(base);
    } else {
      for (Requirements r : p.requiredNodeAffinity()) {
        terms.add(base.and(r));
      }
    }
    for (Requirements term : terms) {
      boolean ok = true;
      for (Requirement r : term.all()) {
        String key = r.key();
        Requirement node = claim.get(key);
        Requirement typeR = t.requirements().get(key);
        String label = pool.labels().get(key);
        if (key.equals(WellKnownLabels.HOSTNAME)) {
          continue;
        }
        if (key.equals(WellKnownLabels.INSTANCE_TYPE)) {
          ok &= r.has(t.name());
        } else if (label != null) {
          ok &= r.has(label);
        } else if (node != null && !r.intersects(node)) {
          ok = false;
        } else if (typeR != null) {
          ok &= typeR.intersects(r);
        } else if (node == null
            && !key.equals(WellKnownLabels.ZONE)
            && !key.equals(WellKnownLabels.CAPACITY_TYPE)
            && !key.equals(WellKnownLabels.NODE_POOL)) {
          // the label will be absent: only NotIn / DoesNotExist accept that
          var op = r.operator();
          ok &=
              r.greaterThan() == null
                  && r.lessThan() == null
                  && (op == dev.dovetail.cloudprovider.Operator.NotIn
                      || op == dev.dovetail.cloudprovider.Operator.DoesNotExist);
        }
        if (!ok) {
          break;
        }
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  private void checkLimits(Map<String, NodePoolTemplate> pools) {
    for (NodePoolTemplate pool : pools.values()) {
      if (pool.limits().isEmpty()) {
        continue;
      }
      Map<String, Long> total = new HashMap<>(pool.usage().asMap());
      for (NewNodeClaim c : out.newNodeClaims()) {
        if (!c.nodePool().equals(pool.name())) {
          continue;
        }
        total.merge("nodes", 1L, Long::sum);
        for (String k : pool.limits().asMap().keySet()) {
          if (k.equals("nodes")) {
            continue;
          }
          long max = 0;
          for (InstanceType t : c.instanceTypeOptions()) {
            max = Math.max(max, t.capacity().get(k));
          }
          total.merge(k, max, Long::sum);
        }
      }
      pool.limits()
          .asMap()
          .forEach(
              (k, limit) -> {
                if (total.getOrDefault(k, 0L) > limit
                    && total.getOrDefault(k, 0L) > pool.usage().get(k)) {
                  err(
                      "NodePool "
                          + pool.name()
                          + " limit on "
                          + k
                          + " exceeded: "
                          + total.get(k)
                          + " > "
                          + limit);
                }
              });
    }
  }

  // --------------------------------------------------------------------------------- topology

  private static boolean selects(PodAffinityTerm t, SchedulingPod owner, SchedulingPod other) {
    if (t.selector() == null) {
      return false;
    }
    Set<String> ns =
        t.namespaces() == null
            ? null
            : t.namespaces().isEmpty() ? Set.of(owner.namespace()) : t.namespaces();
    return (ns == null || ns.contains(other.namespace())) && t.selector().matches(other.labels());
  }

  private void checkTopology() {
    List<String> targets = new ArrayList<>(podsOn.keySet());
    for (String target : targets) {
      Map<String, String> labels = domainLabels.get(target);
      for (SchedulingPod p : podsOn.get(target)) {
        if (p == null) {
          continue;
        }
        boolean isPending = pending.containsKey(p.id()) && !isExistingPod(p);
        for (PodAffinityTerm t : p.podAntiAffinity()) {
          String d = labels.get(t.topologyKey());
          if (d == null) {
            continue;
          }
          for (String other : targets) {
            if (!d.equals(domainLabels.get(other).get(t.topologyKey()))) {
              continue;
            }
            for (SchedulingPod q : podsOn.get(other)) {
              if (q != null
                  && q != p
                  && selects(t, p, q)
                  && (isPending || pending.containsKey(q.id()))) {
                err(
                    "anti-affinity of "
                        + p.id()
                        + " on "
                        + t.topologyKey()
                        + "="
                        + d
                        + " violated by "
                        + q.id());
              }
            }
          }
        }
        if (!isPending) {
          continue;
        }
        for (PodAffinityTerm t : p.podAffinity()) {
          String d = labels.get(t.topologyKey());
          boolean found = false;
          if (d != null) {
            for (String other : targets) {
              if (d.equals(domainLabels.get(other).get(t.topologyKey()))) {
                for (SchedulingPod q : podsOn.get(other)) {
                  found |= q != null && selects(t, p, q);
                }
              }
            }
          }
          if (!found) {
            err("affinity of " + p.id() + " on " + t.topologyKey() + " unmet (domain " + d + ")");
          }
        }
      }
    }
    checkSpread();
  }

  private boolean isExistingPod(SchedulingPod p) {
    for (ExistingNode n : in.nodes()) {
      if (n.pods().contains(p)) {
        return true;
      }
    }
    return false;
  }

  private void checkSpread() {
    Map<TopologySpreadConstraint, List<SchedulingPod>> groups = new HashMap<>();
    for (SchedulingPod p : in.pods()) {
      for (TopologySpreadConstraint c : p.topologySpread()) {
        if (c.doNotSchedule() && c.matchLabelKeys().isEmpty()) {
          groups.computeIfAbsent(c, k -> new ArrayList<>()).add(p);
        }
      }
    }
    groups.forEach(
        (c, members) -> {
          // self-contained: everything the selector matches is a member
          for (List<SchedulingPod> ps : podsOn.values()) {
            for (SchedulingPod q : ps) {
              if (q != null
                  && c.selector() != null
                  && c.selector().matches(q.labels())
                  && !members.contains(q)) {
                return;
              }
            }
          }
          Map<String, Integer> counts = new HashMap<>();
          for (Map.Entry<String, List<SchedulingPod>> e : podsOn.entrySet()) {
            for (SchedulingPod q : e.getValue()) {
              if (q != null && members.contains(q) && !out.unschedulable().containsKey(q.id())) {
                String d = domainLabels.get(e.getKey()).get(c.topologyKey());
                if (d == null) {
                  err(
                      "pod "
                          + q.id()
                          + " with spread on "
                          + c.topologyKey()
                          + " landed where the label is undecided");
                  continue;
                }
                counts.merge(d, 1, Integer::sum);
              }
            }
          }
          if (c.topologyKey().equals(WellKnownLabels.HOSTNAME)) {
            counts.forEach(
                (d, n) -> {
                  if (n > c.maxSkew()) {
                    err(
                        "hostname spread exceeded on "
                            + d
                            + ": "
                            + n
                            + " > maxSkew "
                            + c.maxSkew());
                  }
                });
            return;
          }
          // Each member was placed with count + 1 - min(its eligible domains) <= maxSkew, and
          // its eligible domains include the shared ones: max(all) - min(shared) <= maxSkew.
          Set<String> domains = null;
          for (SchedulingPod m : members) {
            Set<String> e = domainsOf(c.topologyKey(), m, c.honorNodeTaints());
            if (domains == null) {
              domains = e;
            } else {
              domains.retainAll(e);
            }
          }
          if (domains.isEmpty()) {
            return; // members share no domain: nothing to compare against
          }
          int min = Integer.MAX_VALUE;
          for (String d : domains) {
            min = Math.min(min, counts.getOrDefault(d, 0));
          }
          if (min == Integer.MAX_VALUE) {
            min = 0;
          }
          int max = 0;
          for (int n : counts.values()) {
            max = Math.max(max, n);
          }
          if (c.minDomains() != null && domains.size() < c.minDomains()) {
            min = 0;
          }
          if (max - min > c.maxSkew()) {
            err(
                "spread on "
                    + c.topologyKey()
                    + " skew "
                    + (max - min)
                    + " > "
                    + c.maxSkew()
                    + " "
                    + counts
                    + " over "
                    + domains);
          }
        });
  }

  /**
   * Domains a pod could land in: from pools' offerings (zones/capacity types) and existing nodes.
   */
  private Set<String> domainsOf(String key, SchedulingPod p, boolean honorTaints) {
    Set<String> out = new HashSet<>();
    for (ExistingNode n : in.nodes()) {
      String v = n.labels().get(key);
      if (v != null && nodeAccepts(p, n.labels()) && (!honorTaints || tolerates(p, n.taints()))) {
        out.add(v);
      }
    }
    for (NodePoolTemplate pool : in.nodePools()) {
      if (!tolerates(p, pool.taints())) {
        continue;
      }
      for (InstanceType t : pool.instanceTypes()) {
        for (Offering o : t.offerings()) {
          if (!o.available()) {
            continue;
          }
          Requirements pr = pool.requirements();
          if (!o.compatibleWith(pr)) {
            continue;
          }
          String v =
              key.equals(WellKnownLabels.ZONE)
                  ? o.zone()
                  : key.equals(WellKnownLabels.CAPACITY_TYPE) ? o.capacityType() : null;
          if (v != null) {
            Map<String, String> l = Map.of(key, v);
            boolean ok =
                p.requiredNodeAffinity().isEmpty()
                    || p.requiredNodeAffinity().stream()
                        .anyMatch(r -> r.get(key) == null || r.get(key).has(v));
            String sel = p.nodeSelector().get(key);
            ok &= sel == null || sel.equals(v);
            Requirement vol = p.volumeRequirements().get(key);
            ok &= vol == null || vol.has(v);
            if (ok && (l != null)) {
              out.add(v);
            }
          }
        }
      }
    }
    return out;
  }

  private void checkHostPorts() {
    podsOn.forEach(
        (target, ps) -> {
          List<HostPort> used = new ArrayList<>();
          for (SchedulingPod p : ps) {
            if (p == null) {
              continue;
            }
            for (HostPort hp : p.hostPorts()) {
              for (HostPort u : used) {
                if (u.port() == hp.port()
                    && u.protocol().equals(hp.protocol())
                    && (u.hostIp().equals(hp.hostIp())
                        || u.hostIp().equals("0.0.0.0")
                        || hp.hostIp().equals("0.0.0.0"))) {
                  err("host port " + hp.port() + " conflict on " + target);
                }
              }
            }
            used.addAll(p.hostPorts());
          }
        });
  }

  /** The cheapest price of any pool type that could carry the claim (checked by tests). */
  static double cheapestFitting(NewNodeClaim c, NodePoolTemplate pool, List<SchedulingPod> pods) {
    Requirements reqs = c.requirements().without(WellKnownLabels.INSTANCE_TYPE);
    double best = Double.POSITIVE_INFINITY;
    for (InstanceType t : pool.instanceTypes()) {
      if (!c.requests().fitsIn(t.allocatable())) {
        continue;
      }
      boolean labelsOk = true;
      for (Requirement r : reqs.all()) {
        Requirement tr = t.requirements().get(r.key());
        if (tr != null && !tr.intersects(r)) {
          labelsOk = false;
        }
      }
      for (SchedulingPod p : pods) {
        labelsOk &= podCompatibleWithType(p, t, reqs, pool);
      }
      if (!labelsOk) {
        continue;
      }
      for (Offering o : t.offerings()) {
        if (o.available() && o.compatibleWith(reqs)) {
          best = Math.min(best, o.price());
        }
      }
    }
    return best;
  }
}
