package dev.dovetail.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The objects `helm template` renders from charts/dovetail with given values, parsed into typed
 * fabric8 objects (kinds fabric8 does not know, such as ServiceMonitor, stay generic).
 */
final class RenderedChart {

  static final String RELEASE = "dovetail";
  static final String NAMESPACE = "dovetail-system";

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final List<HasMetadata> objects;

  private RenderedChart(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  static Path chartDir() {
    String dir = System.getProperty("dovetail.chart.dir");
    Path path = dir != null ? Path.of(dir) : Path.of("dovetail");
    assertThat(path.resolve("Chart.yaml")).as("chart directory %s", path.toAbsolutePath()).exists();
    return path;
  }

  static Helm helm() {
    return new Helm(chartDir());
  }

  /** Renders with `--set key=value` pairs, in order. */
  static RenderedChart render(Map<String, ?> sets) {
    return render(sets, null);
  }

  /** Renders with a values file (for lists and maps) and then `--set` pairs. */
  static RenderedChart render(Map<String, ?> sets, String valuesYaml) {
    return parse(template(sets, valuesYaml));
  }

  /** The raw output of `helm template`; throws with Helm's message when rendering fails. */
  static String template(Map<String, ?> sets, String valuesYaml) {
    TemplateCommand template =
        helm()
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion("1.31.0")
            // The CRDs are generated and checked elsewhere; these tests look at the templates.
            .skipCrds();
    if (valuesYaml != null) {
      template.withValuesFile(writeTemp(valuesYaml));
    }
    sets.forEach(template::set);
    return template.call();
  }

  static Map<String, Object> sets(Object... keyValues) {
    Map<String, Object> sets = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      sets.put((String) keyValues[i], keyValues[i + 1]);
    }
    return sets;
  }

  private static Path writeTemp(String valuesYaml) {
    try {
      Path file = Files.createTempFile("dovetail-values", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, valuesYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RenderedChart parse(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(manifests)) {
      if (document.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
        continue;
      }
      objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
    }
    return new RenderedChart(objects);
  }

  List<HasMetadata> objects() {
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all(type);
    assertThat(found).as("rendered %s objects", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  Optional<GenericKubernetesResource> generic(String kind) {
    return objects.stream()
        .filter(GenericKubernetesResource.class::isInstance)
        .map(GenericKubernetesResource.class::cast)
        .filter(o -> kind.equals(o.getKind()))
        .findFirst();
  }

  Deployment deployment() {
    return one(Deployment.class);
  }

  /** Every rule of every ClusterRole, each paired with its role for messages. */
  List<PolicyRule> clusterRules() {
    return all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()).toList();
  }

  void forEach(Class<? extends HasMetadata> type, Consumer<HasMetadata> check) {
    all(type).forEach(check);
  }
}
