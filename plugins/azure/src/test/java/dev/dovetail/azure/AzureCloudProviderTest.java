package dev.dovetail.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.cloudprovider.NodeClassKind;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The plugin says plainly that it is not functional, and only ships its NodeClass model. */
class AzureCloudProviderTest {
  private final AzureCloudProvider provider = new AzureCloudProvider();

  @Test
  void isPlainlyNotFunctional() {
    assertThat(provider.name()).isEqualTo("azure");
    assertThat(provider.functional()).isFalse();
    assertThat(provider.status())
        .isEqualTo("not yet functional: only the AKSNodeClass model ships in this version");
  }

  @Test
  void supportsItsNodeClassKind() {
    NodeClassKind kind = provider.supportedNodeClasses().get(0);
    assertThat(kind.apiVersion()).isEqualTo("karpenter.azure.com/v1beta1");
    assertThat(kind.kind()).isEqualTo("AKSNodeClass");
    assertThat(kind.type()).isEqualTo(AKSNodeClass.class);
    assertThat(new AKSNodeClass().getApiVersion()).isEqualTo("karpenter.azure.com/v1beta1");
    assertThat(new AKSNodeClass().getKind()).isEqualTo("AKSNodeClass");
  }

  @Test
  void everyMachineOperationFailsWithTheReason() {
    assertThatThrownBy(() -> provider.create(null))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("not yet functional");
    assertThatThrownBy(() -> provider.delete("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> provider.get("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(provider::list).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> provider.instanceTypes(null, null))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void isRegisteredAsAPf4jExtension() throws Exception {
    // test-classes has its own (empty) index too, so read every copy on the class path
    StringBuilder all = new StringBuilder();
    for (java.net.URL url :
        java.util.Collections.list(
            getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (InputStream index = url.openStream()) {
        all.append(new String(index.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(all.toString()).contains(AzureCloudProvider.class.getName());
  }
}
