package dev.dovetail.cloudprovider.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.ModelOnlyCloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * What a plugin that only ships its NodeClass model (a {@link ModelOnlyCloudProvider}) promises: it
 * says plainly that it is not functional, supports exactly its NodeClass kind, fails every machine
 * operation with the reason, and is indexed as a PF4J extension. A plugin runs it with a subclass
 * that states the expected values literally, so a wrong name or kind fails the test:
 *
 * <pre>{@code
 * class MyCloudProviderTest extends ModelOnlyProviderContractTest {
 *   MyCloudProviderTest() {
 *     super(new MyCloudProvider(), "mycloud", "karpenter.example.com/v1", "MyNodeClass",
 *         MyNodeClass.class);
 *   }
 * }
 * }</pre>
 */
public abstract class ModelOnlyProviderContractTest {
  private final CloudProvider provider;
  private final String name;
  private final String apiVersion;
  private final String kind;
  private final Class<? extends HasMetadata> type;

  /**
   * @param provider a new instance of the plugin's provider
   * @param name its expected provider name
   * @param apiVersion the expected {@code group/version} of its NodeClass
   * @param kind the expected NodeClass kind
   * @param type the expected NodeClass model class
   */
  protected ModelOnlyProviderContractTest(
      CloudProvider provider,
      String name,
      String apiVersion,
      String kind,
      Class<? extends HasMetadata> type) {
    this.provider = provider;
    this.name = name;
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.type = type;
  }

  @Test
  void isPlainlyNotFunctional() {
    assertThat(provider.name()).isEqualTo(name);
    assertThat(provider.functional()).isFalse();
    assertThat(provider.status())
        .isEqualTo("not yet functional: only the " + kind + " model ships in this version");
  }

  @Test
  void supportsItsNodeClassKind() throws Exception {
    assertThat(provider.supportedNodeClasses()).hasSize(1);
    NodeClassKind supported = provider.supportedNodeClasses().get(0);
    assertThat(supported.apiVersion()).isEqualTo(apiVersion);
    assertThat(supported.kind()).isEqualTo(kind);
    assertThat(supported.type()).isEqualTo(type);
    HasMetadata model = type.getDeclaredConstructor().newInstance();
    assertThat(model.getApiVersion()).isEqualTo(apiVersion);
    assertThat(model.getKind()).isEqualTo(kind);
  }

  @Test
  void everyMachineOperationFailsWithTheReason() {
    assertThatThrownBy(() -> provider.create(null))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(name + " provider is " + provider.status());
    assertThatThrownBy(() -> provider.delete("x"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("not yet functional");
    assertThatThrownBy(() -> provider.get("x"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("not yet functional");
    assertThatThrownBy(provider::list)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("not yet functional");
    assertThatThrownBy(() -> provider.instanceTypes(null, null))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("not yet functional");
  }

  @Test
  void isRegisteredAsAPf4jExtension() throws Exception {
    // test-classes has its own (empty) index too, so read every copy on the class path
    StringBuilder all = new StringBuilder();
    for (URL url :
        Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (InputStream index = url.openStream()) {
        all.append(new String(index.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(all.toString().lines()).contains(provider.getClass().getName());
  }
}
