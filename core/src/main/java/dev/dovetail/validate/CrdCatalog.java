package dev.dovetail.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dovetail.apis.autoscaling.v1alpha1.HorizontalAutoscaler;
import dev.dovetail.apis.autoscaling.v1alpha1.MetricsProducer;
import dev.dovetail.apis.autoscaling.v1alpha1.ScalableNodeGroup;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.NodeClassKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds {@code dovetail validate} knows, each with the schema it is checked against.
 *
 * <p>Schemas come from the CRDs fabric8's generator writes into each jar at {@code
 * META-INF/fabric8/<plural>.<group>-v1.yml} (core for karpenter.sh, each plugin for its NodeClass),
 * so the validator checks exactly what the shipped CRD declares. A NodeClass whose jar carries no
 * CRD is checked by binding it strictly to its model class instead.
 */
public final class CrdCatalog {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A known kind: its schema, or, lacking a CRD, the model class to bind to. */
  record Entry(
      String group, String version, String kind, JsonNode schema, Class<?> modelWithoutCrd) {
    String apiVersion() {
      return group + "/" + version;
    }
  }

  private final Map<String, Entry> byApiVersionAndKind = new LinkedHashMap<>();

  private CrdCatalog() {}

  /**
   * NodePool, NodeClaim, NodeOverlay, CapacityBuffer, the v1alpha1 autoscaling kinds and the given
   * NodeClass kinds.
   */
  public static CrdCatalog of(List<NodeClassKind> nodeClassKinds) {
    CrdCatalog catalog = new CrdCatalog();
    catalog.addResourceCrd(NodePool.class);
    catalog.addResourceCrd(NodeClaim.class);
    // Karpenter v0.1's metrics-driven autoscaling kinds (autoscaling.karpenter.sh/v1alpha1).
    catalog.addResourceCrd(HorizontalAutoscaler.class);
    catalog.addResourceCrd(MetricsProducer.class);
    catalog.addResourceCrd(ScalableNodeGroup.class);
    catalog.addResourceCrd(dev.dovetail.apis.v1alpha1.NodeOverlay.class);
    catalog.addResourceCrd(dev.dovetail.apis.autoscaling.v1alpha1.CapacityBuffer.class);
    for (NodeClassKind kind : nodeClassKinds) {
      Optional<JsonNode> crd = resourceCrd(kind.type());
      if (crd.isPresent()) {
        catalog.addCrd(crd.get());
      } else {
        catalog.put(new Entry(kind.group(), kind.version(), kind.kind(), null, kind.type()));
      }
    }
    return catalog;
  }

  /** Adds the kinds of CRD YAML files (one CRD per file), e.g. to validate for absent plugins. */
  public CrdCatalog withCrdFiles(List<Path> files) {
    for (Path file : files) {
      try {
        addCrd(YAML.readTree(Files.readString(file)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRD " + file, e);
      }
    }
    return this;
  }

  Optional<Entry> find(String apiVersion, String kind) {
    return Optional.ofNullable(byApiVersionAndKind.get(apiVersion + " " + kind));
  }

  /** Known kinds with this kind name, whatever their apiVersion. */
  List<Entry> byKind(String kind) {
    return byApiVersionAndKind.values().stream().filter(e -> e.kind().equals(kind)).toList();
  }

  /** "NodePool (karpenter.sh/v1), ..." for messages. */
  String describeKnown() {
    List<String> names = new ArrayList<>();
    for (Entry e : byApiVersionAndKind.values()) {
      names.add(e.kind() + " (" + e.apiVersion() + ")");
    }
    return String.join(", ", names);
  }

  private void addResourceCrd(Class<? extends HasMetadata> type) {
    addCrd(
        resourceCrd(type)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no generated CRD for " + type.getName() + " on the class path")));
  }

  private void addCrd(JsonNode crd) {
    String group = crd.path("spec").path("group").asText();
    String kind = crd.path("spec").path("names").path("kind").asText();
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("served").asBoolean(true)) {
        put(
            new Entry(
                group,
                version.path("name").asText(),
                kind,
                version.path("schema").path("openAPIV3Schema"),
                null));
      }
    }
  }

  private void put(Entry entry) {
    byApiVersionAndKind.put(entry.apiVersion() + " " + entry.kind(), entry);
  }

  private static Optional<JsonNode> resourceCrd(Class<? extends HasMetadata> type) {
    String name =
        "META-INF/fabric8/"
            + HasMetadata.getPlural(type)
            + "."
            + HasMetadata.getGroup(type)
            + "-v1.yml";
    ClassLoader loader =
        type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
    try (InputStream in = loader.getResourceAsStream(name)) {
      return in == null ? Optional.empty() : Optional.of(YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }
}
