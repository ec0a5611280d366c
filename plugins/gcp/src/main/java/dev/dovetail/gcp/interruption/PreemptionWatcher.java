package dev.dovetail.gcp.interruption;

import com.google.cloud.compute.v1.ListZoneOperationsRequest;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.ZoneOperationsClient;
import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.gcp.ProviderId;
import dev.dovetail.gcp.Retrier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds SPOT preemptions: GCE records each as a zone operation of type {@code
 * compute.instances.preempted} whose target is the instance. Each one on an instance of this
 * cluster is reported once as a {@link InterruptionEvent.Kind#SPOT_INTERRUPTION}; when the core's
 * listener throws, the operation is not marked seen and is reported again on the next poll.
 */
public final class PreemptionWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(PreemptionWatcher.class);
  static final String FILTER = "operationType = \"compute.instances.preempted\"";

  private final ZoneOperationsClient operations;
  private final Retrier retrier;
  private final String project;
  private final Supplier<List<String>> zones;
  private final Predicate<String> owned;
  private final InterruptionListener listener;
  private final Set<String> seen = new HashSet<>();

  public PreemptionWatcher(
      ZoneOperationsClient operations,
      Retrier retrier,
      String project,
      Supplier<List<String>> zones,
      Predicate<String> owned,
      InterruptionListener listener) {
    this.operations = operations;
    this.retrier = retrier;
    this.project = project;
    this.zones = zones;
    this.owned = owned;
    this.listener = listener;
  }

  /** Polls every zone once; returns how many interruptions were reported. */
  public synchronized int pollOnce() {
    int reported = 0;
    Set<String> listed = new HashSet<>();
    for (String zone : zones.get()) {
      ListZoneOperationsRequest request =
          ListZoneOperationsRequest.newBuilder()
              .setProject(project)
              .setZone(zone)
              .setFilter(FILTER)
              .build();
      List<Operation> ops =
          retrier.call(
              "zoneOperations.list",
              () -> {
                List<Operation> all = new java.util.ArrayList<>();
                operations.list(request).iterateAll().forEach(all::add);
                return all;
              });
      for (Operation op : ops) {
        if (!"compute.instances.preempted".equals(op.getOperationType())) {
          continue;
        }
        String key = op.getId() != 0 ? Long.toString(op.getId()) : op.getName();
        listed.add(key);
        if (seen.contains(key)) {
          continue;
        }
        String target = op.getTargetLink();
        String name = target.substring(target.lastIndexOf('/') + 1);
        String providerId = new ProviderId(project, zone, name).toString();
        if (!owned.test(providerId)) {
          seen.add(key);
          continue;
        }
        try {
          listener.onInterruption(
              new InterruptionEvent(
                  InterruptionEvent.Kind.SPOT_INTERRUPTION,
                  providerId,
                  null,
                  "GCE preempted SPOT instance " + name + " (operation " + op.getName() + ")"));
          seen.add(key);
          reported++;
        } catch (RuntimeException e) {
          LOG.warn("interruption of {} not handled yet, will retry: {}", providerId, e.toString());
        }
      }
    }
    // Forget operations GCE no longer lists, so the set does not grow without bound.
    seen.retainAll(listed);
    return reported;
  }
}
