package dev.dovetail.gcp.launch;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.compute.v1.AggregatedListInstancesRequest;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesScopedList;
import com.google.cloud.compute.v1.Operation;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.gcp.Retrier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GCE instance calls for the plugin: insert and wait, get, list the cluster's instances by label,
 * delete. Launch failures come back as {@link LaunchFailure} with their {@link GceErrors.Kind}; an
 * instance whose insert was accepted but whose operation failed or could not be followed is deleted
 * before the failure is reported, so nothing leaks.
 */
public final class InstanceProvider {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceProvider.class);

  private final InstancesClient instances;
  private final OperationWaiter waiter;
  private final Retrier retrier;
  private final String project;
  private final String clusterLabelValue;

  public InstanceProvider(
      InstancesClient instances,
      OperationWaiter waiter,
      Retrier retrier,
      String project,
      String clusterName) {
    this.instances = instances;
    this.waiter = waiter;
    this.retrier = retrier;
    this.project = project;
    this.clusterLabelValue = GceNames.labelValue(clusterName);
  }

  /** A launch that failed, with what kind of failure it was. */
  public static final class LaunchFailure extends RuntimeException {
    private final GceErrors.Kind kind;

    public LaunchFailure(GceErrors.Kind kind, String message, Throwable cause) {
      super(message, cause);
      this.kind = kind;
    }

    public GceErrors.Kind kind() {
      return kind;
    }
  }

  /**
   * Inserts the instance and waits for the operation. An instance of that name already in the zone
   * (a retried launch) is returned as is.
   */
  public Instance launch(String zone, Instance body) {
    String name = body.getName();
    Operation op;
    try {
      op =
          retrier.call(
              "instances.insert",
              () ->
                  instances
                      .insertCallable()
                      .call(
                          com.google.cloud.compute.v1.InsertInstanceRequest.newBuilder()
                              .setProject(project)
                              .setZone(zone)
                              .setInstanceResource(body)
                              .build()));
    } catch (ApiException e) {
      if (Retrier.httpStatus(e) == 409) {
        return get(zone, name)
            .orElseThrow(
                () ->
                    new LaunchFailure(
                        GceErrors.Kind.OTHER, "insert conflict: " + e.getMessage(), e));
      }
      throw new LaunchFailure(
          GceErrors.of(e), "instances.insert " + name + ": " + e.getMessage(), e);
    }
    Operation done;
    try {
      done = waiter.await(op, zone);
    } catch (TimeoutException | RuntimeException e) {
      deleteQuietly(zone, name, "its insert operation could not be followed: " + e);
      throw new LaunchFailure(
          GceErrors.Kind.OTHER,
          "instances.insert " + name + " accepted but its operation failed to complete: " + e,
          e);
    }
    if (done.hasError()) {
      deleteQuietly(zone, name, "its insert operation failed");
      throw new LaunchFailure(
          GceErrors.of(done), "instances.insert " + name + ": " + GceErrors.describe(done), null);
    }
    return get(zone, name)
        .orElseThrow(
            () ->
                new LaunchFailure(
                    GceErrors.Kind.OTHER, "instance " + name + " vanished after its insert", null));
  }

  /** The instance, or empty when GCE says 404. */
  public Optional<Instance> get(String zone, String name) {
    try {
      return Optional.of(retrier.call("instances.get", () -> instances.get(project, zone, name)));
    } catch (ApiException e) {
      if (Retrier.httpStatus(e) == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Every instance carrying this cluster's ownership label, across the project's zones. */
  public List<Instance> list() {
    return retrier.call(
        "instances.aggregatedList",
        () -> {
          List<Instance> out = new ArrayList<>();
          AggregatedListInstancesRequest request =
              AggregatedListInstancesRequest.newBuilder()
                  .setProject(project)
                  .setFilter("labels." + InstanceRequests.LABEL_CLUSTER + " = " + clusterLabelValue)
                  .build();
          for (Map.Entry<String, InstancesScopedList> scope :
              instances.aggregatedList(request).iterateAll()) {
            for (Instance i : scope.getValue().getInstancesList()) {
              // the filter is the server's; check again so a misread filter cannot adopt others
              if (clusterLabelValue.equals(i.getLabelsMap().get(InstanceRequests.LABEL_CLUSTER))) {
                out.add(i);
              }
            }
          }
          return out;
        });
  }

  /**
   * Starts deleting the instance.
   *
   * @throws NodeClaimNotFoundException when it is already gone
   */
  public void delete(String zone, String name) {
    try {
      retrier.call(
          "instances.delete",
          () ->
              instances
                  .deleteCallable()
                  .call(
                      com.google.cloud.compute.v1.DeleteInstanceRequest.newBuilder()
                          .setProject(project)
                          .setZone(zone)
                          .setInstance(name)
                          .build()));
    } catch (ApiException e) {
      if (Retrier.httpStatus(e) == 404) {
        throw new NodeClaimNotFoundException("instance " + zone + "/" + name + " not found");
      }
      throw e;
    }
  }

  private void deleteQuietly(String zone, String name, String why) {
    try {
      delete(zone, name);
      LOG.warn("deleted instance {}/{}: {}", zone, name, why);
    } catch (NodeClaimNotFoundException gone) {
      // never created
    } catch (RuntimeException e) {
      // It still carries the ownership labels: garbage collection (list) finds and removes it.
      LOG.warn("could not delete instance {}/{} ({}): {}", zone, name, why, e.toString());
    }
  }
}
