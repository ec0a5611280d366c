package dev.dovetail.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dovetail.apiserver.ManagedFields.Entry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** FieldsV1 read into paths and written back as the API writes it. */
class ManagedFieldsTest {
  private static final String STORED =
      """
      {"metadata": {"managedFields": [
        {"manager": "dovetail", "operation": "Apply", "apiVersion": "karpenter.sh/v1",
         "time": "2026-12-05T00:00:00Z", "fieldsType": "FieldsV1",
         "fieldsV1": {"f:metadata": {"f:labels": {"f:team": {}}},
                      "f:spec": {"f:taints": {}}}},
        {"manager": "kubelet", "operation": "Update", "apiVersion": "v1",
         "time": "2026-12-05T00:01:00Z", "fieldsType": "FieldsV1",
         "fieldsV1": {"f:status": {"f:conditions": {
             "k:{\\"type\\":\\"Ready\\"}": {".": {}, "f:status": {}}}}},
         "subresource": "status"}
      ]}}
      """;

  @Test
  void eachEntryIsReadAsTheLeavesAndElementsItOwns() throws Exception {
    Map<String, Entry> entries = ManagedFields.read(parse(STORED));

    assertThat(entries).hasSize(2);
    Entry apply = entries.values().iterator().next();
    assertThat(apply.manager()).isEqualTo("dovetail");
    assertThat(apply.operation()).isEqualTo("Apply");
    assertThat(apply.subresource()).isEmpty();
    assertThat(apply.fields())
        .containsExactly(
            List.of("f:metadata", "f:labels", "f:team"), List.of("f:spec", "f:taints"));
    Entry kubelet = entries.get("kubelet\u0000Update\u0000status");
    // an element with "." is owned itself, as well as the fields below it
    assertThat(kubelet.fields())
        .containsExactlyInAnyOrder(
            List.of("f:status", "f:conditions", "k:{\"type\":\"Ready\"}"),
            List.of("f:status", "f:conditions", "k:{\"type\":\"Ready\"}", "f:status"));
  }

  @Test
  void writtenBackItIsWhatWasRead() throws Exception {
    ObjectNode stored = parse(STORED);

    assertThat(ManagedFields.write(ManagedFields.read(stored).values()))
        .isEqualTo(stored.path("metadata").path("managedFields"));
  }

  @Test
  void anEntryThatOwnsNothingIsLeftOut() {
    Entry empty = new Entry("gone", "Apply", "v1", "2026-12-05T00:00:00Z", "", Set.of());

    assertThat(ManagedFields.write(List.of(empty))).isEmpty();
  }

  @Test
  void anEntryWithoutAnOperationIsAnUpdate() throws Exception {
    ObjectNode stored =
        parse("{\"metadata\": {\"managedFields\": [{\"manager\": \"m\", \"fieldsV1\": {}}]}}");

    assertThat(ManagedFields.read(stored).values())
        .singleElement()
        .satisfies(e -> assertThat(e.operation()).isEqualTo(FieldOwnership.UPDATE));
  }

  private static ObjectNode parse(String json) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }
}
