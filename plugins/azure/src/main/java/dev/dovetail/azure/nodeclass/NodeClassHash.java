package dev.dovetail.azure.nodeclass;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.dovetail.azure.v1beta1.AKSNodeClassSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A stable hash of an AKSNodeClass spec (sorted JSON, SHA-256, 16 hex digits): tagged on each VM at
 * launch so a later spec change reads as drift, as upstream's {@code aksnodeclass-hash}.
 */
public final class NodeClassHash {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .build();

  private NodeClassHash() {}

  public static String of(AKSNodeClassSpec spec) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(spec == null ? new AKSNodeClassSpec() : spec);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("hashing AKSNodeClass spec", e);
    }
  }
}
