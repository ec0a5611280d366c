package dev.dovetail.aws.nodeclass;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The static hash of an EC2NodeClass, for NodeClassDrift: the spec without the selector terms
 * (their results are checked by AMI/subnet/security-group drift instead), with the effective AMI
 * family, serialized with sorted keys so field order does not matter.
 */
public final class NodeClassHash {
  private NodeClassHash() {}

  public static final String ANNOTATION = "karpenter.k8s.aws/ec2nodeclass-hash";
  public static final String VERSION_ANNOTATION = "karpenter.k8s.aws/ec2nodeclass-hash-version";
  public static final String VERSION = "v1";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  public static String of(EC2NodeClass nodeClass) {
    ObjectNode spec = MAPPER.valueToTree(nodeClass.getSpec());
    for (String ignored :
        new String[] {
          "subnetSelectorTerms",
          "securityGroupSelectorTerms",
          "capacityReservationSelectorTerms",
          "amiSelectorTerms",
          "ipPrefixCount",
          "amiFamily"
        }) {
      spec.remove(ignored);
    }
    spec.put("amiFamily", EC2NodeClassValidation.effectiveFamily(nodeClass.getSpec()).name());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(MAPPER.writeValueAsString(spec).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
