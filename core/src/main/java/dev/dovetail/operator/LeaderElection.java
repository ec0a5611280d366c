package dev.dovetail.operator;

import dev.dovetail.metrics.Metrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the controllers only while this replica holds the Lease (active/standby, like Karpenter's
 * controller-runtime leader election). Losing the Lease stops this process's controllers and
 * returns, so the pod restarts as a standby rather than acting alongside the new leader.
 */
public final class LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private LeaderElection() {}

  /**
   * This candidate's identity in the Lease: the pod's name (POD_NAME, which the chart sets from the
   * downward API) so {@code kubectl get lease} names the leading pod, else the host name; plus a
   * random suffix so a restarted container is a new candidate.
   */
  public static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod.trim() + "_" + UUID.randomUUID();
    }
    try {
      return InetAddress.getLocalHost().getHostName() + "_" + UUID.randomUUID();
    } catch (java.net.UnknownHostException e) {
      return "dovetail_" + UUID.randomUUID();
    }
  }

  /**
   * How long a Lease is held without renewal, how long the leader keeps trying to renew, and how
   * often candidates retry (controller-runtime's defaults: 15 s, 10 s, 2 s).
   */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  /** Blocks until the process is asked to stop or leadership is lost. */
  public static void run(
      KubernetesClient client,
      String namespace,
      String leaseName,
      DovetailOperator operator,
      Metrics metrics,
      CountDownLatch stop)
      throws InterruptedException {
    run(client, namespace, leaseName, identity(), Timing.DEFAULT, operator, metrics, stop);
  }

  /** As above, with the candidate's identity and the timing given (tests shorten it). */
  public static void run(
      KubernetesClient client,
      String namespace,
      String leaseName,
      String id,
      Timing timing,
      DovetailOperator operator,
      Metrics metrics,
      CountDownLatch stop)
      throws InterruptedException {
    CountDownLatch lost = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<RuntimeException> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    LeaderElector elector =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(leaseName)
                    .withLock(new LeaseLock(namespace, leaseName, id))
                    .withLeaseDuration(timing.leaseDuration())
                    .withRenewDeadline(timing.renewDeadline())
                    .withRetryPeriod(timing.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            () -> {
                              LOG.info("became leader ({} in {}/{})", id, namespace, leaseName);
                              try {
                                operator.start();
                              } catch (RuntimeException e) {
                                // e.g. a provider refusing its settings: the process must exit
                                // with the message, not idle on as a leader that does nothing
                                failed.set(e);
                                lost.countDown();
                                return;
                              }
                              if (metrics != null) {
                                metrics.startRefreshing(operator);
                              }
                            },
                            () -> {
                              LOG.warn("lost leadership; stopping");
                              lost.countDown();
                            },
                            leader -> LOG.info("leader is {}", leader)))
                    .build())
            .build();
    CompletableFuture<?> running = elector.start();
    Thread waiter =
        new Thread(
            () -> {
              try {
                stop.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              lost.countDown();
            },
            "leader-stop");
    waiter.setDaemon(true);
    waiter.start();
    lost.await();
    running.cancel(true);
    if (failed.get() != null) {
      throw failed.get();
    }
  }
}
