package dev.dovetail.scheduling;

import java.util.function.Supplier;

/**
 * The outcome of planning one pod onto one claim, computed without changing anything: on success
 * the pod's requirement alternative used, the claim's new hard and soft requirements (interned) and
 * its new cheapest instance type; on failure why not (rendered lazily: the hot path fails often and
 * reads the reason rarely).
 */
record Plan(int alt, int hard, int soft, int cheapest, Failure failure) {

  /** Failures the new-NodeClaim explanation words differently. */
  enum Kind {
    NO_ROOM,
    NO_COMPATIBLE_TYPE,
    OTHER
  }

  record Failure(Kind kind, Supplier<String> message) {
    String render() {
      return message == null ? null : message.get();
    }
  }

  static final String ROOM = "no instance type has room";
  static final String NO_COMPAT = "no instance type is compatible with ";

  /** A failure without a specific reason (e.g. the NodePool's taints or requirements). */
  static final Plan UNEXPLAINED = failed(Kind.OTHER, null);

  static final Plan NO_ROOM = failed(Kind.NO_ROOM, () -> ROOM);
  static final Plan PORT_CONFLICT = failed(Kind.OTHER, () -> "host port conflict");

  static Plan ok(int alt, int hard, int soft, int cheapest) {
    return new Plan(alt, hard, soft, cheapest, null);
  }

  static Plan failed(Kind kind, Supplier<String> message) {
    return new Plan(-1, -1, -1, -1, new Failure(kind, message));
  }

  static Plan failed(Supplier<String> message) {
    return message == null ? UNEXPLAINED : failed(Kind.OTHER, message);
  }

  boolean ok() {
    return failure == null;
  }
}
