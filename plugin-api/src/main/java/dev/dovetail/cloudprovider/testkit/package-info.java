/**
 * The conformance kit: {@link dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest}
 * states the {@link dev.dovetail.cloudprovider.CloudProvider} contract as JUnit 5 tests that every
 * plugin runs by subclassing it in its test sources. JUnit Jupiter and AssertJ are {@code provided}
 * dependencies of the plugin API: a plugin's own test dependencies supply them.
 */
package dev.dovetail.cloudprovider.testkit;
