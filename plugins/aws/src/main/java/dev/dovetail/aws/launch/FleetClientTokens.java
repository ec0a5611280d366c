package dev.dovetail.aws.launch;

import dev.dovetail.aws.cache.TtlCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

/**
 * CreateFleet idempotency tokens, one per launch attempt that can still succeed.
 *
 * <p>EC2 answers a repeated token with the first call's result. That is wanted when the first call
 * launched an instance that DescribeInstances does not show yet (eventual consistency): the same
 * NodeClaim gets the same token and EC2 returns that instance rather than a second one. It is wrong
 * after a failure: the failure would be replayed (or answered with {@code
 * IdempotentParameterMismatch} once the request differs) until the launch times out. So the token
 * is a hash of the NodeClaim, the capacity type, the failures seen for them so far and a nonce of
 * this process; a failure moves to the next token, and a restarted controller starts afresh (an
 * instance launched before the restart is found by its {@code karpenter.sh/nodeclaim} tag).
 */
public final class FleetClientTokens {
  /** Longer than a launch is retried; EC2 keeps tokens for at least a few hours. */
  static final Duration MEMORY = Duration.ofHours(1);

  private final String nonce;
  private final TtlCache<String, Integer> failures;

  public FleetClientTokens(Clock clock) {
    this(clock, UUID.randomUUID().toString());
  }

  FleetClientTokens(Clock clock, String nonce) {
    this.nonce = nonce;
    this.failures = new TtlCache<>(clock, MEMORY);
  }

  /** The token for the next CreateFleet of this NodeClaim and capacity type (at most 64 chars). */
  public String next(String nodeClaim, String capacityType) {
    Integer failed = failures.get(key(nodeClaim, capacityType));
    String seed = nonce + "/" + key(nodeClaim, capacityType) + "/" + (failed == null ? 0 : failed);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return "dovetail-" + HexFormat.of().formatHex(d, 0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The last CreateFleet for this NodeClaim and capacity type failed: use a new token next. */
  public synchronized void failed(String nodeClaim, String capacityType) {
    Integer failed = failures.get(key(nodeClaim, capacityType));
    failures.put(key(nodeClaim, capacityType), failed == null ? 1 : failed + 1);
  }

  private static String key(String nodeClaim, String capacityType) {
    return nodeClaim + "/" + capacityType;
  }
}
