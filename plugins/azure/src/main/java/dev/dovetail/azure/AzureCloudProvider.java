package dev.dovetail.azure;

import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodePoolInfo;
import java.util.List;
import org.pf4j.Extension;

/**
 * The Azure provider as it ships in this version: only the {@link AKSNodeClass} model, so that
 * {@code dovetail validate} checks AKSNodeClass manifests. It cannot launch machines; every machine
 * operation fails with {@link #NOT_FUNCTIONAL}, and the core refuses to run with it.
 */
@Extension
public class AzureCloudProvider implements CloudProvider {
  public static final String NOT_FUNCTIONAL =
      "not yet functional: only the AKSNodeClass model ships in this version";

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public boolean functional() {
    return false;
  }

  @Override
  public String status() {
    return NOT_FUNCTIONAL;
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return List.of(
        new NodeClassKind(
            AKSNodeClass.GROUP, AKSNodeClass.VERSION, AKSNodeClass.KIND, AKSNodeClass.class));
  }

  @Override
  public Instance create(NodeClaimView nodeClaim) {
    throw notFunctional();
  }

  @Override
  public void delete(String providerId) {
    throw notFunctional();
  }

  @Override
  public Instance get(String providerId) {
    throw notFunctional();
  }

  @Override
  public List<Instance> list() {
    throw notFunctional();
  }

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    throw notFunctional();
  }

  private static UnsupportedOperationException notFunctional() {
    return new UnsupportedOperationException("azure provider is " + NOT_FUNCTIONAL);
  }
}
