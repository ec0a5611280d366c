package dev.dovetail.plugins.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Checks that the conformance kit catches broken providers: each nested class runs the kit against
 * the simulated cloud with one contract broken, and exactly the matching kit test must fail. (The
 * nested classes are not run by surefire directly: it skips inner classes.)
 */
class ConformanceKitSelfTest {

  private static TestExecutionSummary run(Class<?> kit) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    long t0 = System.nanoTime();
    LauncherFactory.create().execute(request, listener);
    System.err.println(
        "KITRUN " + kit.getSimpleName() + " " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    return listener.getSummary();
  }

  private static Set<String> failedTests(TestExecutionSummary summary) {
    return summary.getFailures().stream()
        .map(f -> f.getTestIdentifier().getSource().orElse(null))
        .filter(s -> s instanceof MethodSource)
        .map(s -> ((MethodSource) s).getMethodName())
        .collect(Collectors.toSet());
  }

  @Test
  void healthyProviderPassesEverythingWithoutSkips() {
    TestExecutionSummary s = run(Healthy.class);
    assertThat(failedTests(s)).isEmpty();
    assertThat(s.getTestsSucceededCount()).isEqualTo(s.getTestsFoundCount()).isGreaterThan(10);
  }

  @Test
  void deleteThatSucceedsTwiceIsCaught() {
    assertThat(failedTests(run(LenientDelete.class)))
        .containsExactlyInAnyOrder(
            "deleteIsIdempotentAndReportsNotFoundOnceGone", "deleteOfUnknownProviderIdIsNotFound");
  }

  @Test
  void wrongExceptionForUnknownInstanceIsCaught() {
    assertThat(failedTests(run(WrongNotFound.class)))
        .containsExactlyInAnyOrder("getOfUnknownProviderIdIsNotFound");
  }

  @Test
  void ignoringTheZoneRequirementIsCaught() {
    assertThat(failedTests(run(IgnoresZone.class)))
        .contains("createHonoursZoneAndCapacityTypeRequirements");
  }

  @Test
  void unsupportedCapacityHookIsSkippedNotFailed() {
    TestExecutionSummary s = run(NoCapacityHook.class);
    assertThat(failedTests(s)).isEmpty();
    assertThat(s.getTestsAbortedCount()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- kits under test

  static SimulatedCloud startSimulated() {
    ManualDelayer time = new ManualDelayer();
    SimulatedCloud cloud = new SimulatedCloud(time);
    cloud.start(
        new ProviderContext(
            "self-test",
            Map.of(),
            time,
            new RecordingNodeRegistrar(),
            InterruptionListener.IGNORE));
    return cloud;
  }

  /** A provider that forwards to the simulated cloud; subclasses break one thing. */
  static class Forwarding implements CloudProvider {
    final SimulatedCloud cloud = startSimulated();

    @Override
    public String name() {
      return cloud.name();
    }

    @Override
    public List<NodeClassKind> supportedNodeClasses() {
      return cloud.supportedNodeClasses();
    }

    @Override
    public Instance create(NodeClaimView nodeClaim) {
      return cloud.create(nodeClaim);
    }

    @Override
    public void delete(String providerId) {
      cloud.delete(providerId);
    }

    @Override
    public Instance get(String providerId) {
      return cloud.get(providerId);
    }

    @Override
    public List<Instance> list() {
      return cloud.list();
    }

    @Override
    public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
      return cloud.instanceTypes(nodePool, nodeClass);
    }

    @Override
    public void close() {
      cloud.close();
    }
  }

  abstract static class Kit extends CloudProviderConformanceTest {
    Forwarding forwarding;

    abstract Forwarding forwarding();

    @Override
    protected CloudProvider startProvider() {
      forwarding = forwarding();
      return forwarding;
    }

    @Override
    protected boolean forceInsufficientCapacity(OfferingKey offering) {
      forwarding.cloud.failOfferings(offering);
      return true;
    }
  }

  static class Healthy extends Kit {
    @Override
    Forwarding forwarding() {
      return new Forwarding();
    }
  }

  static class LenientDelete extends Kit {
    @Override
    Forwarding forwarding() {
      return new Forwarding() {
        @Override
        public void delete(String providerId) {
          try {
            cloud.delete(providerId);
          } catch (NodeClaimNotFoundException e) {
            // broken: swallows "already gone"
          }
        }
      };
    }
  }

  static class WrongNotFound extends Kit {
    @Override
    Forwarding forwarding() {
      return new Forwarding() {
        @Override
        public Instance get(String providerId) {
          if (providerId.contains("zone-that-does-not-exist")) {
            throw new IllegalArgumentException("broken: no such zone");
          }
          return cloud.get(providerId);
        }
      };
    }
  }

  static class IgnoresZone extends Kit {
    @Override
    Forwarding forwarding() {
      return new Forwarding() {
        @Override
        public Instance create(NodeClaimView c) {
          NodeClaimView anyZone =
              new NodeClaimView(
                  c.name(),
                  c.nodePool(),
                  c.labels(),
                  c.annotations(),
                  c.taints(),
                  c.startupTaints(),
                  c.requirements().without(WellKnownLabels.ZONE),
                  c.requests(),
                  c.nodeClassRef(),
                  c.nodeClass(),
                  c.providerId(),
                  c.imageId());
          return cloud.create(anyZone);
        }
      };
    }
  }

  static class NoCapacityHook extends Kit {
    @Override
    Forwarding forwarding() {
      return new Forwarding();
    }

    @Override
    protected boolean forceInsufficientCapacity(OfferingKey offering) {
      return false;
    }
  }
}
