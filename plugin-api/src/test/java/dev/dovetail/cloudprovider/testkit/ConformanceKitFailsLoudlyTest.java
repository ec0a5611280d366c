package dev.dovetail.cloudprovider.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.ProviderContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The kit must not pass silently and must say what it expected: each nested kit runs the contract
 * against the in-memory cloud with one thing broken, through the JUnit launcher, and the failures
 * it reports are checked. (Surefire skips nested classes, so they only run from here.)
 */
class ConformanceKitFailsLoudlyTest {

  private static TestExecutionSummary run(Class<?> kit) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(),
            listener);
    return listener.getSummary();
  }

  /** Failed test method name -> failure message. */
  private static Map<String, String> failures(TestExecutionSummary summary) {
    return summary.getFailures().stream()
        .collect(
            Collectors.toMap(
                f ->
                    f.getTestIdentifier()
                        .getSource()
                        .filter(MethodSource.class::isInstance)
                        .map(s -> ((MethodSource) s).getMethodName())
                        .orElse("<class>"),
                f -> String.valueOf(f.getException().getMessage()),
                (a, b) -> a + " | " + b));
  }

  @Test
  void aProviderThatKeepsTheContractPassesEveryTestAndTheChaosPass() {
    TestExecutionSummary s = run(Healthy.class);
    assertThat(failures(s)).isEmpty();
    assertThat(s.getTestsFoundCount()).isGreaterThan(12);
    assertThat(s.getTestsSucceededCount()).isEqualTo(s.getTestsFoundCount());
  }

  @Test
  void aProviderWithoutNodeClassFailsLoudly() {
    Map<String, String> failed = failures(run(NoNodeClass.class));
    assertThat(failed).containsOnlyKeys("providerDeclaresItsNodeClass");
    assertThat(failed.get("providerDeclaresItsNodeClass"))
        .contains("supportedNodeClasses() of inmemory is empty")
        .contains("HasMetadata");
  }

  @Test
  void everyMissingExceptionIsNamedNotAnonymous() {
    Map<String, String> failed = failures(run(LenientDelete.class));
    assertThat(failed)
        .containsOnlyKeys(
            "deleteIsIdempotentAndReportsNotFoundOnceGone", "deleteOfUnknownProviderIdIsNotFound");
    assertThat(failed.values())
        .allSatisfy(
            m ->
                assertThat(m)
                    .contains("must throw NodeClaimNotFoundException, but returned normally")
                    .doesNotContain("Expecting code to raise a throwable"));
  }

  @Test
  void aNullFromGetIsAnAssertionNotAnNpe() {
    Map<String, String> failed = failures(run(NullForUnknown.class));
    assertThat(failed)
        .containsOnlyKeys("getOfUnknownProviderIdIsNotFound", "createGetListDeleteRoundTrip");
    assertThat(failed.get("createGetListDeleteRoundTrip"))
        .contains("after delete returned null: it must throw NodeClaimNotFoundException");
    assertThat(failed.get("getOfUnknownProviderIdIsNotFound"))
        .contains("must throw NodeClaimNotFoundException, but returned normally");
  }

  @Test
  void theChaosPassFindsAnInstanceLeakedByAFailedCreateAndPrintsItsSeed() {
    Map<String, String> failed = failures(run(LeaksOnCapacityError.class));
    assertThat(failed).containsKeys("chaos", "insufficientCapacityNamesTheFailedOfferings");
    assertThat(failed.get("chaos"))
        .contains("chaos pass failed (seed 7")
        .contains("chaosPass(60, 7L) replays it")
        .contains("whose create failed (a leak)");
  }

  @Test
  void aRunInWhichEveryContractTestWasSkippedFails() {
    TestExecutionSummary s = run(NeverReachable.class);
    assertThat(s.getTestsSucceededCount()).isZero();
    assertThat(failures(s))
        .containsOnlyKeys("<class>")
        .hasValueSatisfying(
            new org.assertj.core.api.Condition<>(
                m -> m.contains("ran 0 contract tests for NeverReachable"), "zero-run message"));
  }

  // ---------------------------------------------------------------- kits under test

  abstract static class Kit extends CloudProviderConformanceTest {
    InMemoryCloud cloud;

    InMemoryCloud newCloud() {
      return new InMemoryCloud();
    }

    CloudProvider wrap(InMemoryCloud c) {
      return c;
    }

    @Override
    protected CloudProvider startProvider() {
      cloud = newCloud();
      cloud.start(
          new ProviderContext(
              "kit", Map.of(), Clock.systemUTC(), NodeRegistrar.NONE, InterruptionListener.IGNORE));
      return wrap(cloud);
    }

    @Override
    protected boolean forceInsufficientCapacity(OfferingKey offering) {
      cloud.exhaust(offering);
      return true;
    }
  }

  static class Healthy extends Kit {
    @Test
    void chaos() {
      chaosPass(60, 42L);
    }
  }

  static class NoNodeClass extends Kit {
    @Override
    InMemoryCloud newCloud() {
      return new InMemoryCloud() {
        @Override
        public List<NodeClassKind> supportedNodeClasses() {
          return List.of();
        }
      };
    }
  }

  static class LenientDelete extends Kit {
    @Override
    InMemoryCloud newCloud() {
      return new InMemoryCloud() {
        @Override
        public void delete(String providerId) {
          try {
            super.delete(providerId);
          } catch (RuntimeException ignored) {
            // the bug: deleting what is not there "succeeds"
          }
        }
      };
    }
  }

  static class NullForUnknown extends Kit {
    @Override
    InMemoryCloud newCloud() {
      return new InMemoryCloud() {
        @Override
        public Instance get(String providerId) {
          return list().stream()
              .filter(i -> i.providerId().equals(providerId))
              .findFirst()
              .orElse(null);
        }
      };
    }
  }

  static class LeaksOnCapacityError extends Kit {
    @Override
    InMemoryCloud newCloud() {
      return new InMemoryCloud() {
        @Override
        public synchronized Instance create(NodeClaimView nodeClaim) {
          try {
            return super.create(nodeClaim);
          } catch (InsufficientCapacityException e) {
            // the bug: a machine was started before the capacity error and is never cleaned up
            return leak(nodeClaim, e);
          }
        }

        private Instance leak(NodeClaimView nodeClaim, InsufficientCapacityException e) {
          InMemoryCloud fresh = new InMemoryCloud();
          fresh.start(
              new ProviderContext(
                  "leak",
                  Map.of(),
                  Clock.systemUTC(),
                  NodeRegistrar.NONE,
                  InterruptionListener.IGNORE));
          adopt(fresh.create(nodeClaim));
          throw e;
        }
      };
    }

    @Test
    void chaos() {
      chaosPass(60, 7L);
    }
  }

  static class NeverReachable extends Kit {
    @Override
    protected CloudProvider startProvider() {
      Assumptions.abort("backend not reachable");
      return null;
    }
  }
}
