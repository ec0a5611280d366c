package dev.dovetail.gcp.launch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * GCE naming rules: instance names (RFC 1035, 63 chars) and label values (63 chars, [a-z0-9_-]).
 */
public final class GceNames {
  private static final Pattern RFC1035 = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");

  private GceNames() {}

  /**
   * The instance name for a NodeClaim: the claim name when GCE accepts it (so the node name equals
   * the claim's), else a readable prefix plus a hash, always the same for the same claim.
   */
  public static String instanceName(String nodeClaim) {
    if (RFC1035.matcher(nodeClaim).matches()) {
      return nodeClaim;
    }
    String cleaned = nodeClaim.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    String prefix = cleaned.replaceAll("^[^a-z]+", "");
    if (prefix.length() > 45) {
      prefix = prefix.substring(0, 45);
    }
    prefix = prefix.replaceAll("-+$", "");
    return (prefix.isEmpty() ? "node" : prefix) + "-" + shortHash(nodeClaim);
  }

  /** A label value GCE accepts: lowercase, [a-z0-9_-], at most 63 characters. */
  public static String labelValue(String s) {
    String v = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    return v.length() <= 63 ? v : v.substring(0, 54) + "-" + shortHash(s);
  }

  private static String shortHash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
