package dev.dovetail.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plugin JARs added next to the official ones, from an image (init container) or a volume. */
class ExtraPluginsTest {

  private static final String EXTRA_DIR = "/opt/dovetail/plugins-extra";

  @Test
  void withoutExtraPluginsThereIsNoInitContainerAndOnlyTheOfficialDirectory() {
    RenderedChart chart = RenderedChart.render(Provider.AWS.validSets());
    PodSpec pod = chart.deployment().getSpec().getTemplate().getSpec();

    assertThat(pod.getInitContainers()).isNullOrEmpty();
    assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tmp");
    assertThat(DeploymentTest.controller(chart.deployment()).getArgs())
        .containsExactly("run", "--provider", "aws", "--plugins-dir", "/opt/dovetail/plugins");
  }

  @Test
  void copiesEachImagesPluginIntoASharedDirectoryTheControllerLoads() {
    String values =
        """
        extraPlugins:
          - name: acme-cloud
            image: registry.example.com/dovetail-plugin-acme:1.2.0
            path: /plugins/acme-plugin-1.2.0.jar
          - name: audit
            image: registry.example.com/dovetail-plugin-audit:0.3.0
            imagePullPolicy: Always
            command: ["/busybox/sh", "-c", "cp /dist/*.jar /opt/dovetail/plugins-extra/"]
        """;
    RenderedChart chart = RenderedChart.render(Provider.AWS.validSets(), values);
    PodSpec pod = chart.deployment().getSpec().getTemplate().getSpec();
    Container controller = DeploymentTest.controller(chart.deployment());

    Volume shared = volume(pod, "plugins-extra");
    assertThat(shared.getEmptyDir()).isNotNull();
    List<Container> inits = pod.getInitContainers();
    assertThat(inits)
        .extracting(Container::getName)
        .containsExactly("plugin-acme-cloud", "plugin-audit");
    Container acme = inits.get(0);
    assertThat(acme.getImage()).isEqualTo("registry.example.com/dovetail-plugin-acme:1.2.0");
    assertThat(acme.getCommand())
        .containsExactly("cp", "-R", "/plugins/acme-plugin-1.2.0.jar", EXTRA_DIR + "/");
    Container audit = inits.get(1);
    assertThat(audit.getImagePullPolicy()).isEqualTo("Always");
    assertThat(audit.getCommand())
        .containsExactly("/busybox/sh", "-c", "cp /dist/*.jar /opt/dovetail/plugins-extra/");
    for (Container init : inits) {
      assertThat(init.getVolumeMounts())
          .singleElement()
          .satisfies(m -> assertMount(m, "plugins-extra", EXTRA_DIR, null));
      assertThat(init.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(init.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(init.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }
    // The controller reads the shared directory read-only, after the official one.
    assertThat(controller.getVolumeMounts())
        .anySatisfy(m -> assertMount(m, "plugins-extra", EXTRA_DIR, true));
    assertThat(controller.getArgs())
        .containsExactly(
            "run",
            "--provider",
            "aws",
            "--plugins-dir",
            "/opt/dovetail/plugins",
            "--plugins-dir",
            EXTRA_DIR);
  }

  @Test
  void mountsAPluginVolumeAsItsOwnPluginsDirectory() {
    String values =
        """
        extraPlugins:
          - name: shared
            volume:
              persistentVolumeClaim:
                claimName: dovetail-plugins
        """;
    RenderedChart chart = RenderedChart.render(Provider.GCP.validSets(), values);
    PodSpec pod = chart.deployment().getSpec().getTemplate().getSpec();
    Container controller = DeploymentTest.controller(chart.deployment());

    assertThat(pod.getInitContainers()).isNullOrEmpty();
    assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotContain("plugins-extra");
    assertThat(volume(pod, "plugins-shared").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("dovetail-plugins");
    assertThat(controller.getVolumeMounts())
        .anySatisfy(
            m -> assertMount(m, "plugins-shared", "/opt/dovetail/plugins-volumes/shared", true));
    assertThat(controller.getArgs())
        .containsExactly(
            "run",
            "--provider",
            "gcp",
            "--plugins-dir",
            "/opt/dovetail/plugins",
            "--plugins-dir",
            "/opt/dovetail/plugins-volumes/shared");
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static void assertMount(VolumeMount mount, String name, String path, Boolean readOnly) {
    assertThat(mount.getName()).isEqualTo(name);
    assertThat(mount.getMountPath()).isEqualTo(path);
    assertThat(mount.getReadOnly()).isEqualTo(readOnly);
  }
}
