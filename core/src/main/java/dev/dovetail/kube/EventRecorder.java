package dev.dovetail.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes Kubernetes events (events.k8s.io/v1) about Dovetail's objects and pods. The same
 * (object, reason, message) is published at most once per {@code dedupeWindow}, so a pod that stays
 * unschedulable for an hour does not flood the API server (Karpenter dedupes the same way).
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final Clock clock;
  private final RecentEvents recent;

  /**
   * Per-pod events of a provisioning pass (one per pod of 20,000) go out on this one thread, so the
   * pass does not wait for thousands of API round trips before its next NodeClaim. Bounded like
   * client-go's event broadcaster (1,000 queued, dropped when full): events are best effort.
   */
  private final ThreadPoolExecutor background =
      new ThreadPoolExecutor(
          1,
          1,
          10,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(1000),
          r -> {
            Thread t = new Thread(r, "event-recorder");
            t.setDaemon(true);
            return t;
          },
          (r, executor) -> LOG.debug("event queue full: an event was dropped"));

  public EventRecorder(KubernetesClient client, Clock clock, Duration dedupeWindow) {
    this.client = client;
    this.clock = clock;
    this.recent = new RecentEvents(dedupeWindow, 50_000);
    background.allowCoreThreadTimeOut(true);
  }

  public void normal(HasMetadata about, String reason, String message) {
    publish(about, "Normal", reason, message);
  }

  public void warning(HasMetadata about, String reason, String message) {
    publish(about, "Warning", reason, message);
  }

  /**
   * Like {@link #normal}, but published from a background thread (dropped if 1,000 are already
   * waiting), and only while {@code limit} has a token (taken after the dedupe, as upstream's
   * recorder checks an event's rate limiter only for events it would publish): for per-pod events
   * of a pass over thousands of pods.
   */
  public void normalInBackground(
      HasMetadata about, String reason, String message, TokenBucket limit) {
    Instant now = clock.instant();
    if (fresh(about, reason, message, now) && limit.tryTake()) {
      background.execute(() -> create(about, "Normal", reason, message, now));
    }
  }

  /**
   * Like {@link #warning}, published from the background thread (see {@link #normalInBackground}).
   */
  public void warningInBackground(HasMetadata about, String reason, String message) {
    Instant now = clock.instant();
    if (fresh(about, reason, message, now)) {
      background.execute(() -> create(about, "Warning", reason, message, now));
    }
  }

  private void publish(HasMetadata about, String type, String reason, String message) {
    Instant now = clock.instant();
    if (fresh(about, reason, message, now)) {
      create(about, type, reason, message, now);
    }
  }

  /** Whether this event was not published within the dedupe window (and notes it as published). */
  private boolean fresh(HasMetadata about, String reason, String message, Instant now) {
    return recent.fresh(
        about.getKind() + "/" + about.getMetadata().getName() + "/" + reason + "/" + message, now);
  }

  private void create(HasMetadata about, String type, String reason, String message, Instant now) {
    String namespace =
        about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
    try {
      client
          .events()
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(about.getMetadata().getName() + "." + UUID.randomUUID())
                  .withNamespace(namespace)
                  .endMetadata()
                  .withType(type)
                  .withReason(reason)
                  .withNote(truncate(message))
                  .withAction(reason)
                  .withReportingController("karpenter.sh/dovetail")
                  .withReportingInstance("dovetail")
                  .withEventTime(new io.fabric8.kubernetes.api.model.MicroTime(MICRO.format(now)))
                  .withRegarding(
                      new ObjectReferenceBuilder()
                          .withApiVersion(about.getApiVersion())
                          .withKind(about.getKind())
                          .withName(about.getMetadata().getName())
                          .withNamespace(about.getMetadata().getNamespace())
                          .withUid(about.getMetadata().getUid())
                          .build())
                  .build())
          .create();
    } catch (KubernetesClientException | IllegalStateException e) {
      // Events are best effort: losing one must never fail a reconcile. IllegalStateException is
      // fabric8's "Client already closed": a background event still queued when the operator
      // shuts down, which must not end as an uncaught exception on the event-recorder thread.
      LOG.debug(
          "could not publish event {} for {}: {}",
          reason,
          about.getMetadata().getName(),
          e.getMessage());
    }
    LOG.info("{} {} {}: {}", about.getKind(), about.getMetadata().getName(), reason, message);
  }

  private static String truncate(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 997) + "...";
  }
}
