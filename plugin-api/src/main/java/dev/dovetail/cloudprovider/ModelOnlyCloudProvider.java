package dev.dovetail.cloudprovider;

import java.util.List;
import java.util.Objects;

/**
 * The starting point for a plugin whose machine operations are not implemented yet: it ships only
 * its NodeClass model, so that {@code dovetail validate} checks manifests of that kind, and says
 * plainly that it cannot launch machines. {@link #functional()} is false with {@link #status()}
 * {@code "not yet functional: only the <Kind> model ships in this version"} (the core refuses to
 * run with it), and every machine operation throws {@link UnsupportedOperationException} with that
 * reason.
 *
 * <p>A plugin subclasses it with a public no-argument constructor and keeps the PF4J annotation on
 * its own class, where the annotation processor indexes it:
 *
 * <pre>{@code
 * @Extension
 * public class MyCloudProvider extends ModelOnlyCloudProvider {
 *   public MyCloudProvider() {
 *     super("mycloud", NodeClassKind.of(MyNodeClass.class));
 *   }
 * }
 * }</pre>
 *
 * <p>When the plugin becomes functional it implements {@link CloudProvider} directly instead.
 */
public abstract class ModelOnlyCloudProvider implements CloudProvider {
  private final String name;
  private final NodeClassKind nodeClass;
  private final String status;

  /**
   * @param name the provider name ({@code --provider})
   * @param nodeClass the one NodeClass kind whose model the plugin ships
   */
  protected ModelOnlyCloudProvider(String name, NodeClassKind nodeClass) {
    this.name = Objects.requireNonNull(name, "name");
    this.nodeClass = Objects.requireNonNull(nodeClass, "nodeClass");
    this.status =
        "not yet functional: only the " + nodeClass.kind() + " model ships in this version";
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final boolean functional() {
    return false;
  }

  @Override
  public final String status() {
    return status;
  }

  @Override
  public final List<NodeClassKind> supportedNodeClasses() {
    return List.of(nodeClass);
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

  private UnsupportedOperationException notFunctional() {
    return new UnsupportedOperationException(name + " provider is " + status);
  }
}
