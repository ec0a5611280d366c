package dev.dovetail.controllers.provisioning;

import dev.dovetail.apis.v1.NodePool;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NodePool template hash stamped on each NodeClaim ({@code karpenter.sh/nodepool-hash}); a
 * NodeClaim whose hash differs from its NodePool's current one has drifted. Like upstream, the
 * requirements are left out (requirement drift is checked against the node's labels instead), and
 * so is the nodeClassRef (NodeClass drift is the provider's to judge).
 */
public final class NodePoolHash {
  public static final String VERSION = "v1";

  private NodePoolHash() {}

  public static String of(NodePool pool) {
    var template = pool.getSpec().getTemplate();
    Map<String, Object> hashed = new LinkedHashMap<>();
    if (template.getMetadata() != null) {
      hashed.put("labels", template.getMetadata().getLabels());
      hashed.put("annotations", template.getMetadata().getAnnotations());
    }
    var spec = template.getSpec();
    hashed.put("taints", spec.getTaints());
    hashed.put("startupTaints", spec.getStartupTaints());
    hashed.put("expireAfter", spec.getExpireAfter());
    hashed.put("terminationGracePeriod", spec.getTerminationGracePeriod());
    String json = Serialization.asJson(hashed);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (digest[i] & 0xff);
      }
      return Long.toUnsignedString(v);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
