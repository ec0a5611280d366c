/**
 * The conformance kit: {@link dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest}
 * states the {@link dev.dovetail.cloudprovider.CloudProvider} contract as JUnit 5 tests that every
 * plugin runs by subclassing it in its test sources. Two smaller bases work the same way: {@link
 * dev.dovetail.cloudprovider.testkit.ModelOnlyProviderContractTest} for a plugin that only ships
 * its NodeClass model, and {@link dev.dovetail.cloudprovider.testkit.AbstractCrdDriftTest} for
 * every module that generates CRDs (they must equal those in {@code charts/dovetail/crds/}). A
 * plugin tested against a WireMock cloud extends {@link
 * dev.dovetail.cloudprovider.testkit.WireMockConformanceTest} and describes its cloud's faults to
 * {@link dev.dovetail.cloudprovider.testkit.WireFaultStubs}. JUnit Jupiter, AssertJ, ArchUnit,
 * WireMock and Jackson's YAML format are {@code provided} dependencies of the plugin API: a
 * module's own test dependencies supply them.
 */
package dev.dovetail.cloudprovider.testkit;
