package dev.dovetail.gcp.nodeclass;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The GCENodeClass hash for static drift: the spec without {@code imageSelectorTerms} (images drift
 * on their own, as upstream's {@code hash:"ignore"} says), keys sorted, nulls left out.
 */
public final class NodeClassHash {
  /** Bumped when the hashed fields change meaning (upstream's GCENodeClassHashVersion). */
  public static final String VERSION = "v4";

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private NodeClassHash() {}

  public static String of(GCENodeClass nodeClass) {
    try {
      ObjectNode spec =
          nodeClass.getSpec() == null
              ? JSON.createObjectNode()
              : JSON.valueToTree(nodeClass.getSpec());
      spec.remove("imageSelectorTerms");
      byte[] canonical =
          JSON.writeValueAsString(JSON.treeToValue(spec, java.util.TreeMap.class))
              .getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash GCENodeClass", e);
    }
  }
}
