package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.nodeclass.EC2NodeClassValidation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Karpenter's published AWS examples (examples/aws) against the model, validation and CRD. */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("../../examples/aws");
  static final Path CRD =
      Path.of("target/classes/META-INF/fabric8/ec2nodeclasses.karpenter.k8s.aws-v1.yml");
  private static final ObjectMapper STRICT =
      Serialization.jsonMapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static List<Map<String, Object>> documents(Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> !l.isBlank() && !l.stripLeading().startsWith("#"))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Serialization.unmarshal(doc, Map.class);
        if (m != null) {
          out.add(m);
        }
      }
    }
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyExampleNodeClassFitsTheModelTheValidationAndTheCrd() throws IOException {
    Map<String, Object> crd = Serialization.unmarshal(Files.readString(CRD), Map.class);
    Map<String, Object> version =
        ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions"))
            .get(0);
    Map<String, Object> schema =
        (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
    Map<String, Object> specSchema =
        (Map<String, Object>) ((Map<String, Object>) schema.get("properties")).get("spec");

    int nodeClasses = 0;
    int nodePools = 0;
    Set<AmiFamily> families = EnumSet.noneOf(AmiFamily.class);
    List<Path> files;
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSize(22);
    for (Path file : files) {
      for (Map<String, Object> doc : documents(file)) {
        if ("NodePool".equals(doc.get("kind"))) {
          nodePools++;
          Map<String, Object> ref =
              (Map<String, Object>)
                  ((Map<String, Object>)
                          ((Map<String, Object>)
                                  ((Map<String, Object>) doc.get("spec")).get("template"))
                              .get("spec"))
                      .get("nodeClassRef");
          assertThat(ref)
              .as(file + " nodeClassRef")
              .containsEntry("group", "karpenter.k8s.aws")
              .containsEntry("kind", "EC2NodeClass");
        }
        if (!"EC2NodeClass".equals(doc.get("kind"))) {
          continue;
        }
        nodeClasses++;
        EC2NodeClass nc = STRICT.convertValue(doc, EC2NodeClass.class);
        assertThat(EC2NodeClassValidation.validate(nc)).as(file.toString()).isEmpty();
        families.add(EC2NodeClassValidation.effectiveFamily(nc.getSpec()));
        List<String> problems = new ArrayList<>();
        check("spec", doc.get("spec"), specSchema, problems);
        assertThat(problems).as(file.toString()).isEmpty();
      }
    }
    assertThat(nodeClasses).isEqualTo(22);
    assertThat(nodePools).isEqualTo(23);
    assertThat(families).containsExactlyInAnyOrder(AmiFamily.values());
  }

  @SuppressWarnings("unchecked")
  static void check(String path, Object value, Map<String, Object> schema, List<String> problems) {
    if (schema == null) {
      problems.add(path + ": not in the CRD schema");
      return;
    }
    if (Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))) {
      return;
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> props = (Map<String, Object>) schema.get("properties");
      Object additional = schema.get("additionalProperties");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = String.valueOf(e.getKey());
        Map<String, Object> sub = props != null ? (Map<String, Object>) props.get(key) : null;
        if (sub == null && additional instanceof Map<?, ?> a) {
          sub = (Map<String, Object>) a;
        }
        check(path + "." + key, e.getValue(), sub, problems);
      }
      for (String req : (List<String>) schema.getOrDefault("required", List.of())) {
        if (!m.containsKey(req)) {
          problems.add(path + "." + req + ": required");
        }
      }
    } else if (value instanceof List<?> l) {
      Map<String, Object> items = (Map<String, Object>) schema.get("items");
      for (int i = 0; i < l.size(); i++) {
        check(path + "[" + i + "]", l.get(i), items, problems);
      }
    } else if (value != null) {
      List<Object> en = (List<Object>) schema.get("enum");
      if (en != null && !en.contains(value)) {
        problems.add(path + ": " + value + " not in " + en);
      }
      String pattern = (String) schema.get("pattern");
      if (pattern != null && !Pattern.compile(pattern).matcher(String.valueOf(value)).find()) {
        problems.add(path + ": " + value + " does not match " + pattern);
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyExampleNodeClassSurvivesASerializationRoundTrip() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      for (Map<String, Object> doc : documents(file)) {
        if (!"EC2NodeClass".equals(doc.get("kind"))) {
          continue;
        }
        EC2NodeClass nc = STRICT.convertValue(doc, EC2NodeClass.class);
        Map<String, Object> back = Serialization.jsonMapper().convertValue(nc, Map.class);
        // Field names and values come back as written (e.g. associatePublicIPAddress, kmsKeyID).
        assertThat(back.get("spec")).as(file.toString()).isEqualTo(doc.get("spec"));
      }
    }
  }
}
