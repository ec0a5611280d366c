package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kube-controller-manager's disruption controller and the Eviction API, for the pods this API
 * holds. A PodDisruptionBudget's status ({@code expectedPods}, {@code currentHealthy}, {@code
 * desiredHealthy}, {@code disruptionsAllowed}) is recomputed shortly after a pod or budget of its
 * namespace changes. An eviction is decided on the pods as they are at that moment (healthy: bound,
 * not being deleted, not Succeeded/Failed) and refused with 429 when a matching budget allows no
 * disruption; evictions are serialised so two cannot spend the same allowed disruption.
 */
final class DisruptionBudgets {
  private final Store store;
  private final ResourceType pods;
  private final ResourceType budgets;
  private final Set<String> dirtyNamespaces = ConcurrentHashMap.newKeySet();

  DisruptionBudgets(Store store, ResourceTypes types) {
    this.store = store;
    this.pods = types.find("", "v1", "pods").orElseThrow();
    this.budgets = types.find("policy", "v1", "poddisruptionbudgets").orElseThrow();
    store.addListener(
        e -> {
          ResourceType t = e.object().type();
          if (t == pods || t == budgets) {
            dirtyNamespaces.add(e.object().namespace());
          }
        });
  }

  /** Recomputes the status of the budgets in namespaces where something changed. */
  void refresh() {
    for (String ns : List.copyOf(dirtyNamespaces)) {
      dirtyNamespaces.remove(ns);
      for (StoredObject pdb :
          store
              .list(budgets, ns, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING, 0, null)
              .items()) {
        try {
          store.update(budgets, ns, pdb.name(), current -> withStatus(current));
        } catch (ApiException gone) {
          // deleted meanwhile
        }
      }
    }
  }

  private ObjectNode withStatus(StoredObject current) {
    ObjectNode pdb = current.tree();
    Counts c = counts(pdb, current.namespace());
    ObjectNode status = pdb.with("status");
    String previousAllowed = status.path("disruptionsAllowed").asText("");
    status.put("observedGeneration", pdb.path("metadata").path("generation").asLong(1));
    status.put("expectedPods", c.expected());
    status.put("currentHealthy", c.healthy());
    status.put("desiredHealthy", c.desired());
    status.put("disruptionsAllowed", c.allowed());
    boolean allowed = c.allowed() > 0;
    JsonNode oldCondition = status.path("conditions").path(0);
    ArrayNode conditions = status.putArray("conditions");
    ObjectNode cond = conditions.addObject();
    cond.put("type", "DisruptionAllowed");
    cond.put("status", allowed ? "True" : "False");
    cond.put("reason", allowed ? "SufficientPods" : "InsufficientPods");
    cond.put("message", "");
    cond.put("observedGeneration", status.path("observedGeneration").asLong());
    boolean same =
        oldCondition.path("status").asText("").equals(cond.path("status").asText())
            && !previousAllowed.isEmpty();
    cond.put(
        "lastTransitionTime",
        same ? oldCondition.path("lastTransitionTime").asText() : Timestamps.now());
    return pdb;
  }

  record Counts(int expected, int healthy, int desired) {
    int allowed() {
      return Math.max(0, healthy - desired);
    }
  }

  Counts counts(JsonNode pdb, String namespace) {
    LabelSelector selector = selector(pdb.path("spec").path("selector"));
    int expected = 0;
    int healthy = 0;
    for (StoredObject p :
        store.list(pods, namespace, selector, FieldSelector.EVERYTHING, 0, null).items()) {
      if (terminal(p)) {
        continue;
      }
      expected++;
      if (healthy(p)) {
        healthy++;
      }
    }
    JsonNode spec = pdb.path("spec");
    int desired;
    if (spec.hasNonNull("maxUnavailable")) {
      desired = expected - scaled(spec.get("maxUnavailable"), expected);
    } else if (spec.hasNonNull("minAvailable")) {
      desired = scaled(spec.get("minAvailable"), expected);
    } else {
      desired = expected;
    }
    return new Counts(expected, healthy, Math.max(0, desired));
  }

  /**
   * Evicts a pod unless a budget forbids it (429 TooManyRequests); {@code expectedRv}/{@code
   * expectedUid} are the eviction's delete preconditions (null: none; 409 Conflict when the pod of
   * that name is another one, as the real API answers).
   */
  synchronized void evict(String namespace, String name, String expectedRv, String expectedUid) {
    StoredObject pod = store.get(pods, namespace, name);
    if (pod == null) {
      throw ApiException.notFound(pods, name);
    }
    Store.requireUid(pods, pod, expectedUid);
    if (healthy(pod)) {
      for (StoredObject pdb :
          store
              .list(budgets, namespace, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING, 0, null)
              .items()) {
        JsonNode tree = pdb.tree();
        if (!selector(tree.path("spec").path("selector")).matches(pod.labels())) {
          continue;
        }
        if (counts(tree, namespace).allowed() < 1) {
          throw new ApiException(
              429,
              "TooManyRequests",
              "Cannot evict pod as it would violate the pod's disruption budget.");
        }
      }
    }
    store.delete(pods, namespace, name, expectedRv, expectedUid);
  }

  /** policy/v1: an empty selector matches every pod of the namespace. */
  static LabelSelector selector(JsonNode s) {
    List<LabelSelector.Requirement> rs = new ArrayList<>();
    s.path("matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                rs.add(
                    new LabelSelector.Requirement(
                        e.getKey(), LabelSelector.Op.EQUALS, Set.of(e.getValue().asText()))));
    for (JsonNode r : s.path("matchExpressions")) {
      Set<String> values = new java.util.HashSet<>();
      r.path("values").forEach(v -> values.add(v.asText()));
      LabelSelector.Op op =
          switch (r.path("operator").asText()) {
            case "In" -> LabelSelector.Op.IN;
            case "NotIn" -> LabelSelector.Op.NOT_IN;
            case "Exists" -> LabelSelector.Op.EXISTS;
            default -> LabelSelector.Op.DOES_NOT_EXIST;
          };
      rs.add(new LabelSelector.Requirement(r.path("key").asText(), op, Set.copyOf(values)));
    }
    return new LabelSelector(List.copyOf(rs));
  }

  private static int scaled(JsonNode v, int total) {
    if (v.isInt()) {
      return v.asInt();
    }
    String s = v.asText().trim();
    if (s.endsWith("%")) {
      return (int) Math.ceil(Integer.parseInt(s.substring(0, s.length() - 1)) * total / 100.0);
    }
    return Integer.parseInt(s);
  }

  private static boolean terminal(StoredObject p) {
    return "Succeeded".equals(p.phase()) || "Failed".equals(p.phase());
  }

  private static boolean healthy(StoredObject p) {
    return p.nodeName() != null && !p.deleting() && !terminal(p);
  }
}
