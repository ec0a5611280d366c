package dev.dovetail.clusterapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.machine.MachineClaimer;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plugin-api conformance kit against the bridge, on the mock API server with the fake CAPI
 * controller. Three MachineDeployments in three zones at three prices.
 */
class ClusterApiConformanceMockTest extends CloudProviderConformanceTest {

  /** The provider, closing its mock management cluster with it. */
  private static final class Owned extends ClusterApiCloudProvider {
    private final CapiMockCluster cluster;
    private final FakeCapiController capi;

    Owned(CapiMockCluster cluster, FakeCapiController capi) {
      super(cluster.client());
      this.cluster = cluster;
      this.capi = capi;
    }

    @Override
    public void close() {
      super.close();
      capi.close();
      cluster.close();
    }
  }

  private CapiMockCluster cluster;
  private FakeCapiController capi;
  private int capacityFaults;

  @Override
  protected CloudProvider startProvider() {
    cluster = new CapiMockCluster();
    capi = new FakeCapiController(cluster.api).start();
    String[][] mds = {
      {"small-a", "zone-a", "0.10"}, {"medium-b", "zone-b", "0.20"}, {"large-c", "zone-c", "0.40"}
    };
    for (String[] md : mds) {
      cluster.machineDeployment(md[0], 0, Map.of(Capi.PRICE_ANNOTATION, md[2]));
      cluster.edit(
          Capi.MACHINE_DEPLOYMENT,
          md[0],
          o -> Fields.set(o, "spec.template.spec.failureDomain", md[1]));
    }
    Owned p = new Owned(cluster, capi);
    p.start(
        new ProviderContext(
            "conformance",
            Map.of(
                "capiVersion",
                "v1beta1",
                "machineWait",
                "10s",
                "sweepInterval",
                "0s",
                "cacheTtl",
                "0s"),
            Clock.systemUTC(),
            NodeRegistrar.NONE,
            InterruptionListener.IGNORE));
    return p;
  }

  @Override
  protected Object nodeClass() {
    ClusterAPINodeClass nc = new ClusterAPINodeClass();
    nc.setMetadata(new ObjectMetaBuilder().withName("default").build());
    return nc;
  }

  @Override
  protected String unknownProviderId() {
    return "capi-test:///capi/no-such-machine";
  }

  /**
   * Like the kit's default, but offering types whose offering is compatible even when it was just
   * marked full: the core's view of availability can be older than the management cluster's, which
   * is the case the capacity test stands for.
   */
  @Override
  protected NodeClaimView nodeClaim(String name, Requirements extra) {
    List<InstanceType> types =
        provider.instanceTypes(nodePool(), nodeClass()).stream()
            .filter(it -> satisfies(it, extra))
            .filter(it -> it.offerings().stream().anyMatch(o -> o.compatibleWith(extra)))
            .sorted(Comparator.comparingDouble((InstanceType it) -> it.offerings().get(0).price()))
            .toList();
    return nodeClaimOffering(name, types, extra);
  }

  /**
   * A Machine CAPI marks failed for lack of capacity is an insufficient-capacity error naming its
   * offering, not a wait until the launch times out, and it is given back: delete-machine, and its
   * replica returned, so nothing of the failed launch stays.
   */
  @Test
  void aMachineFailedForCapacityIsInsufficientCapacityAndGivenBack() {
    capi.failMachines(
        "small-a", MachineClaimer.INSUFFICIENT_RESOURCES, "no capacity for the requested size");
    OfferingKey key = new OfferingKey("small-a", "zone-a", "on-demand");
    NodeClaimView claim =
        nodeClaim(
            claimName(), Requirements.of(Requirement.in(WellKnownLabels.INSTANCE_TYPE, "small-a")));
    InsufficientCapacityException e =
        expectThrows(
            "create on a MachineDeployment whose Machines fail with InsufficientResources",
            () -> launch(claim),
            InsufficientCapacityException.class);
    assertThat(e.offerings()).extracting(OfferingKey::instanceType).containsExactly("small-a");
    assertThat(e.offerings().get(0).zone()).isEqualTo(key.zone());
    assertThat(Fields.get(cluster.get(Capi.MACHINE_DEPLOYMENT, "small-a"), "spec.replicas"))
        .as("replicas of small-a after the failed launch")
        .isEqualTo(0);
  }

  /**
   * The kit's chaos pass on the management cluster: MachineDeployments at their max size, plus the
   * kit's decorator faults (timed-out and throttled creates, timed-out deletes, Machines that
   * vanish) and Machines failed with {@code InsufficientResources}. {@code -Dchaos.steps=400} runs
   * longer.
   */
  @Test
  void chaos() {
    chaosPass(chaosSteps(30), chaosSeed());
  }

  /**
   * CAPI's two capacity answers, in turn: the resource reaches its max-size annotation, or its new
   * Machines fail with {@code InsufficientResources} (the infrastructure had no capacity).
   */
  @Override
  protected boolean forceInsufficientCapacity(OfferingKey offering) {
    if (capacityFaults++ % 2 == 1) {
      capi.failMachines(
          offering.instanceType(),
          MachineClaimer.INSUFFICIENT_RESOURCES,
          "failed to create instance: InsufficientInstanceCapacity: We currently do not have"
              + " sufficient capacity in the Availability Zone you requested");
      return true;
    }
    cluster.edit(
        Capi.MACHINE_DEPLOYMENT,
        offering.instanceType(),
        o ->
            Fields.annotate(
                o, Capi.MAX_SIZE_ANNOTATION, String.valueOf(Fields.get(o, "spec.replicas"))));
    return true;
  }
}
