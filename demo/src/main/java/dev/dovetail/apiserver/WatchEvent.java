package dev.dovetail.apiserver;

import java.nio.charset.StandardCharsets;

/**
 * One change, serialised once for every watcher: {@code {"type":..,"object":..}}. {@code previous}
 * is the object before a modification (for watchers whose selector it stops or starts matching).
 */
final class WatchEvent {
  private final String type;
  private final StoredObject object;
  private final StoredObject previous;
  private volatile byte[] frame;
  private volatile String text;

  WatchEvent(String type, StoredObject object, StoredObject previous) {
    this.type = type;
    this.object = object;
    this.previous = previous;
  }

  String type() {
    return type;
  }

  StoredObject object() {
    return object;
  }

  StoredObject previous() {
    return previous;
  }

  long resourceVersion() {
    return object.resourceVersion();
  }

  /** The event as a line of the watch stream (with its trailing newline). */
  byte[] frame() {
    byte[] f = frame;
    if (f == null) {
      f = frame(type, object.json());
      frame = f;
    }
    return f;
  }

  /** The event as one WebSocket text message. */
  String text() {
    String t = text;
    if (t == null) {
      t = new String(frame(), StandardCharsets.UTF_8);
      text = t;
    }
    return t;
  }

  static byte[] frame(String type, byte[] objectJson) {
    byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + objectJson.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(objectJson, 0, out, head.length, objectJson.length);
    out[out.length - 2] = '}';
    out[out.length - 1] = '\n';
    return out;
  }
}
