package dev.dovetail.clusterapi;

import dev.dovetail.cloudprovider.ModelOnlyCloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;
import org.pf4j.Extension;

/**
 * The Cluster API bridge as it ships in this version: only the {@link ClusterAPINodeClass} model,
 * so that {@code dovetail validate} checks ClusterAPINodeClass manifests. It cannot launch
 * machines; every machine operation fails as "not yet functional", and the core refuses to run with
 * it.
 */
@Extension
public class ClusterApiCloudProvider extends ModelOnlyCloudProvider {
  public ClusterApiCloudProvider() {
    super(
        "clusterapi",
        new NodeClassKind(
            ClusterAPINodeClass.GROUP,
            ClusterAPINodeClass.VERSION,
            ClusterAPINodeClass.KIND,
            ClusterAPINodeClass.class));
  }
}
