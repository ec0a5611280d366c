package dev.dovetail.clusterapi;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * fabric8's CRUD mock API server with faults on the bridge's own requests: the management cluster's
 * API server answering the Cluster API bridge with a 409 conflict (another writer changed the
 * object: nothing written), a 429 throttle with {@code Retry-After} (API priority and fairness), a
 * 500, or its real answer held back past the client's request timeout (the write took effect, the
 * bridge heard nothing). Only requests carrying {@link #BRIDGE_AGENT} as User-Agent are faulted, so
 * the fake CAPI controller and the test's own reads and writes see a healthy server.
 */
final class FaultingCrudDispatcher extends KubernetesCrudDispatcher {
  /**
   * The User-Agent of the bridge's client under test (see {@link CapiMockCluster#bridgeClient}).
   */
  static final String BRIDGE_AGENT = "dovetail-clusterapi-under-test";

  /** What the API server answers instead of (or, for a timeout, later than) its real answer. */
  enum Fault {
    CONFLICT,
    THROTTLE,
    SERVER_ERROR,
    TIMEOUT
  }

  /** Which bridge requests a fault hits: an HTTP method on a resource plural, named or not. */
  record Target(String method, String plural, Boolean named) {
    static Target update(String plural) {
      return new Target("PUT", plural, true);
    }

    static Target delete(String plural) {
      return new Target("DELETE", plural, true);
    }

    /** A LIST (GET without a name). */
    static Target list(String plural) {
      return new Target("GET", plural, false);
    }

    boolean matches(RecordedRequest request) {
      if (!method.equalsIgnoreCase(request.getMethod())) {
        return false;
      }
      String path = request.getPath();
      int q = path.indexOf('?');
      List<String> segments = List.of((q < 0 ? path : path.substring(0, q)).split("/"));
      int at = segments.indexOf(plural);
      if (at < 0) {
        return false;
      }
      boolean hasName = at + 1 < segments.size();
      return named == null || named == hasName;
    }
  }

  private record Rule(List<Target> targets, Fault fault, AtomicInteger left) {
    boolean matches(RecordedRequest request) {
      return targets.stream().anyMatch(t -> t.matches(request));
    }
  }

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
  private final Duration hold;
  private volatile double conflictRate;
  private volatile Random random = new Random(0);

  /**
   * @param hold how long a timed-out answer is held back: longer than the bridge client's request
   *     timeout
   */
  FaultingCrudDispatcher(List<CustomResourceDefinitionContext> crds, Duration hold) {
    super(crds);
    this.hold = hold;
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
  }

  /** The next {@code times} bridge requests on the target fail with the fault. */
  void inject(Target target, Fault fault, int times) {
    inject(List.of(target), fault, times);
  }

  /** The next {@code times} bridge requests on any of the targets fail with the fault. */
  void inject(List<Target> targets, Fault fault, int times) {
    rules.add(new Rule(List.copyOf(targets), fault, new AtomicInteger(times)));
  }

  /**
   * A standing share of the bridge's updates (PUT) answer 409, as when CAPI's controllers write the
   * same MachineDeployments and Machines in between; seeded.
   */
  void conflictRate(double rate, long seed) {
    this.random = new Random(seed);
    this.conflictRate = rate;
  }

  /** Removes every rule that has not fired yet and the standing conflict rate. */
  void clear() {
    clearRules();
    conflictRate = 0;
  }

  /** Removes every rule that has not fired yet; a standing conflict rate stays. */
  void clearRules() {
    rules.clear();
  }

  long injected(Fault fault) {
    return injected.get(fault).get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (!BRIDGE_AGENT.equals(request.getHeader("User-Agent"))) {
      return super.dispatch(request);
    }
    Fault fault = take(request);
    if (fault == null) {
      return super.dispatch(request);
    }
    injected.get(fault).incrementAndGet();
    return switch (fault) {
      case CONFLICT ->
          status(
              409,
              "Conflict",
              "Operation cannot be fulfilled: the object has been modified; please apply your"
                  + " changes to the latest version and try again");
      case THROTTLE ->
          status(429, "TooManyRequests", "the server has received too many requests")
              .setHeader("Retry-After", "1");
      case SERVER_ERROR -> status(500, "InternalError", "etcdserver: request timed out");
      // the server did the work; only its answer is late (held on a Vert.x timer, not a thread)
      case TIMEOUT -> super.dispatch(request).setBodyDelay(hold);
    };
  }

  private Fault take(RecordedRequest request) {
    for (Rule r : rules) {
      if (r.matches(request) && r.left().getAndDecrement() > 0) {
        return r.fault();
      }
    }
    double rate = conflictRate;
    if (rate > 0 && "PUT".equalsIgnoreCase(request.getMethod())) {
      synchronized (this) {
        if (random.nextDouble() < rate) {
          return Fault.CONFLICT;
        }
      }
    }
    return null;
  }

  private static MockResponse status(int code, String reason, String message) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\""
                + message
                + "\",\"reason\":\""
                + reason
                + "\",\"code\":"
                + code
                + "}");
  }
}
