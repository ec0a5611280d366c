package dev.dovetail.clusterapi;

import dev.dovetail.cloudprovider.testkit.AbstractCrdDriftTest;

/**
 * The CRDs this module generates equal the shipped ones in {@code charts/dovetail/crds/}. Refresh
 * those after changing the model with {@code mvn -pl plugins/clusterapi -am test
 * -Dtest=CrdDriftTest -Dsurefire.failIfNoSpecifiedTests=false -Ddovetail.updateCrds=true}.
 */
class CrdDriftTest extends AbstractCrdDriftTest {}
