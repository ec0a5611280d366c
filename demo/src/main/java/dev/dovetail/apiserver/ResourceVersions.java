package dev.dovetail.apiserver;

import java.nio.charset.StandardCharsets;

/**
 * Splices a new resourceVersion into an object's serialised bytes, so a write serialises its object
 * once (outside the store's lock, where the no-op check needs the bytes anyway) instead of again
 * under the lock once the resourceVersion is known.
 */
final class ResourceVersions {
  private ResourceVersions() {}

  /** Where the resourceVersion's digits are in some bytes; null: not found exactly once. */
  record Splice(byte[] json, int from, int to) {
    /** The bytes with {@code rv} in place of the old resourceVersion. */
    byte[] with(long rv) {
      byte[] digits = Long.toString(rv).getBytes(StandardCharsets.US_ASCII);
      byte[] out = new byte[json.length - (to - from) + digits.length];
      System.arraycopy(json, 0, out, 0, from);
      System.arraycopy(digits, 0, out, from, digits.length);
      System.arraycopy(json, to, out, from + digits.length, json.length - to);
      return out;
    }
  }

  /**
   * Finds {@code "resourceVersion":"<rv>"} in {@code json}. JSON escapes every quote inside a
   * string, so the unescaped sequence is a key; it must occur once (an object that also carries an
   * object reference with the same resourceVersion is serialised again instead).
   */
  static Splice replace(byte[] json, long rv) {
    byte[] needle = ("\"resourceVersion\":\"" + rv + "\"").getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(json, needle, 0);
    if (at < 0 || indexOf(json, needle, at + 1) >= 0) {
      return null;
    }
    int from = at + "\"resourceVersion\":\"".length();
    return new Splice(json, from, at + needle.length - 1);
  }

  private static int indexOf(byte[] hay, byte[] needle, int start) {
    outer:
    for (int i = start; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
