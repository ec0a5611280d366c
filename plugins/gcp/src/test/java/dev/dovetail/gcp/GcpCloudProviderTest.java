package dev.dovetail.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The plugin says plainly that it is not functional, and only ships its NodeClass model. */
class GcpCloudProviderTest {
  private final GcpCloudProvider provider = new GcpCloudProvider();

  @Test
  void isPlainlyNotFunctional() {
    assertThat(provider.name()).isEqualTo("gcp");
    assertThat(provider.functional()).isFalse();
    assertThat(provider.status())
        .isEqualTo("not yet functional: only the GCENodeClass model ships in this version");
  }

  @Test
  void supportsItsNodeClassKind() {
    NodeClassKind kind = provider.supportedNodeClasses().get(0);
    assertThat(kind.apiVersion()).isEqualTo("karpenter.k8s.gcp/v1alpha1");
    assertThat(kind.kind()).isEqualTo("GCENodeClass");
    assertThat(kind.type()).isEqualTo(GCENodeClass.class);
    assertThat(new GCENodeClass().getApiVersion()).isEqualTo("karpenter.k8s.gcp/v1alpha1");
    assertThat(new GCENodeClass().getKind()).isEqualTo("GCENodeClass");
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
    assertThat(all.toString()).contains(GcpCloudProvider.class.getName());
  }
}
