package dev.dovetail.clusterapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The plugin says plainly that it is not functional, and only ships its NodeClass model. */
class ClusterApiCloudProviderTest {
  private final ClusterApiCloudProvider provider = new ClusterApiCloudProvider();

  @Test
  void isPlainlyNotFunctional() {
    assertThat(provider.name()).isEqualTo("clusterapi");
    assertThat(provider.functional()).isFalse();
    assertThat(provider.status())
        .isEqualTo("not yet functional: only the ClusterAPINodeClass model ships in this version");
  }

  @Test
  void supportsItsNodeClassKind() {
    NodeClassKind kind = provider.supportedNodeClasses().get(0);
    assertThat(kind.apiVersion()).isEqualTo("karpenter.cluster.x-k8s.io/v1alpha1");
    assertThat(kind.kind()).isEqualTo("ClusterAPINodeClass");
    assertThat(kind.type()).isEqualTo(ClusterAPINodeClass.class);
    assertThat(new ClusterAPINodeClass().getApiVersion())
        .isEqualTo("karpenter.cluster.x-k8s.io/v1alpha1");
    assertThat(new ClusterAPINodeClass().getKind()).isEqualTo("ClusterAPINodeClass");
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
    assertThat(all.toString()).contains(ClusterApiCloudProvider.class.getName());
  }
}
