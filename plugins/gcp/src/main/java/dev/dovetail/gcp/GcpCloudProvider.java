package dev.dovetail.gcp;

import dev.dovetail.cloudprovider.ModelOnlyCloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import org.pf4j.Extension;

/**
 * The Google Cloud provider as it ships in this version: only the {@link GCENodeClass} model, so
 * that {@code dovetail validate} checks GCENodeClass manifests. It cannot launch machines; every
 * machine operation fails as "not yet functional", and the core refuses to run with it.
 */
@Extension
public class GcpCloudProvider extends ModelOnlyCloudProvider {
  public GcpCloudProvider() {
    super(
        "gcp",
        new NodeClassKind(
            GCENodeClass.GROUP, GCENodeClass.VERSION, GCENodeClass.KIND, GCENodeClass.class));
  }
}
