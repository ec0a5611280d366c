package dev.dovetail.kube;

import dev.dovetail.translate.Selectors;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mock server's CRUD dispatcher plus the Eviction API ({@code POST
 * /api/v1/namespaces/{ns}/pods/{name}/eviction}) as a real API server answers it. On a real cluster
 * the kube-controller-manager's disruption controller keeps each PodDisruptionBudget's {@code
 * disruptionsAllowed} current and the API server refuses an eviction that would take it below zero;
 * here the budget is computed at the moment of the eviction instead: healthy pods are the bound,
 * non-terminating, non-terminal pods its selector matches, and the eviction is refused with 429
 * TooManyRequests when fewer than one disruption is allowed. Otherwise the pod is deleted (201).
 * Evictions are serialized so two of them cannot both spend the last allowed disruption.
 */
final class EvictionDispatcher extends KubernetesCrudDispatcher {
  private static final Pattern EVICTION =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction(\\?.*)?$");

  EvictionDispatcher(List<CustomResourceDefinitionContext> crds) {
    super(crds);
  }

  /** The Kubernetes version the embedded server reports at {@code /version}. */
  static final String VERSION =
      "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0-dovetail-embedded\","
          + "\"platform\":\"linux/amd64\"}";

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Matcher m = EVICTION.matcher(request.getPath());
    if ("POST".equalsIgnoreCase(request.getMethod()) && m.matches()) {
      return evict(m.group(1), m.group(2));
    }
    if ("GET".equalsIgnoreCase(request.getMethod()) && "/version".equals(request.getPath())) {
      // what a kube-apiserver answers, so the controller's version discovery works here too
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(VERSION);
    }
    return super.dispatch(request);
  }

  private synchronized MockResponse evict(String namespace, String name) {
    String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + name;
    MockResponse found = handleGet(podPath);
    if (found.code() != 200) {
      return status(404, "NotFound", "pods \"" + name + "\" not found");
    }
    Pod pod = Serialization.unmarshal(found.getBody().readUtf8(), Pod.class);
    if (healthy(pod)) {
      List<PodDisruptionBudget> budgets =
          list(
              "/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets",
              PodDisruptionBudgetList.class);
      List<Pod> pods = list("/api/v1/namespaces/" + namespace + "/pods", PodList.class);
      for (PodDisruptionBudget pdb : budgets) {
        if (pdb.getSpec() == null || !Selectors.matches(pdb.getSpec().getSelector(), labels(pod))) {
          continue;
        }
        if (disruptionsAllowed(pdb, pods) < 1) {
          return status(
              429,
              "TooManyRequests",
              "Cannot evict pod as it would violate the pod's disruption budget.");
        }
      }
    }
    MockResponse deleted = handleDelete(podPath);
    if (deleted.code() >= 300) {
      return deleted;
    }
    return status(201, "", "");
  }

  /** What the disruption controller would publish as {@code status.disruptionsAllowed}. */
  static int disruptionsAllowed(PodDisruptionBudget pdb, List<Pod> podsInNamespace) {
    int expected = 0;
    int healthy = 0;
    for (Pod p : podsInNamespace) {
      if (isTerminal(p) || !Selectors.matches(pdb.getSpec().getSelector(), labels(p))) {
        continue;
      }
      expected++;
      if (healthy(p)) {
        healthy++;
      }
    }
    int desiredHealthy;
    if (pdb.getSpec().getMaxUnavailable() != null) {
      desiredHealthy = expected - scaled(pdb.getSpec().getMaxUnavailable(), expected);
    } else if (pdb.getSpec().getMinAvailable() != null) {
      desiredHealthy = scaled(pdb.getSpec().getMinAvailable(), expected);
    } else {
      desiredHealthy = expected; // neither set: the budget allows no disruption
    }
    return healthy - Math.max(0, desiredHealthy);
  }

  /** An int, or a percentage of {@code total} rounded up (as Kubernetes does for PDBs). */
  private static int scaled(IntOrString v, int total) {
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    String s = v.getStrVal().trim();
    if (s.endsWith("%")) {
      int pct = Integer.parseInt(s.substring(0, s.length() - 1));
      return (int) Math.ceil(pct * total / 100.0);
    }
    return Integer.parseInt(s);
  }

  private static boolean healthy(Pod p) {
    return p.getSpec() != null
        && p.getSpec().getNodeName() != null
        && p.getMetadata().getDeletionTimestamp() == null
        && !isTerminal(p);
  }

  private static boolean isTerminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static Map<String, String> labels(Pod p) {
    return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
  }

  private <
          T extends io.fabric8.kubernetes.api.model.HasMetadata,
          L extends KubernetesResourceList<T>>
      List<T> list(String path, Class<L> type) {
    MockResponse r = handleGet(path);
    if (r.code() != 200) {
      return List.of();
    }
    L list = Serialization.unmarshal(r.getBody().readUtf8(), type);
    return list.getItems() == null ? List.of() : list.getItems();
  }

  private static MockResponse status(int code, String reason, String message) {
    String body =
        Serialization.asJson(
            Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Status",
                "status",
                code < 300 ? "Success" : "Failure",
                "reason",
                reason,
                "message",
                message,
                "code",
                code));
    return new MockResponse().setResponseCode(code).setBody(body);
  }
}
