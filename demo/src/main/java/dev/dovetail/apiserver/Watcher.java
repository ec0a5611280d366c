package dev.dovetail.apiserver;

import java.nio.charset.StandardCharsets;

/**
 * One open watch: a resource, a namespace (null: all), selectors and the sink. A watch with
 * selectors sees an object that starts matching as ADDED and one that stops matching as DELETED, as
 * from the API server.
 */
final class Watcher {
  private final ResourceType type;
  private final String namespace;
  private final LabelSelector labels;
  private final FieldSelector fields;
  private final WatchSink sink;
  private final boolean bookmarks;
  private volatile boolean closed;
  private volatile long lastSent;

  Watcher(
      ResourceType type,
      String namespace,
      LabelSelector labels,
      FieldSelector fields,
      WatchSink sink,
      boolean bookmarks,
      long from) {
    this.type = type;
    this.namespace = namespace;
    this.labels = labels;
    this.fields = fields;
    this.sink = sink;
    this.bookmarks = bookmarks;
    this.lastSent = from;
  }

  ResourceType type() {
    return type;
  }

  String namespace() {
    return namespace;
  }

  boolean closed() {
    return closed;
  }

  boolean wantsBookmarks() {
    return bookmarks;
  }

  long lastSent() {
    return lastSent;
  }

  /** Delivers an event if it concerns this watch; false when the watch had to be closed. */
  boolean deliver(WatchEvent e) {
    if (closed) {
      return false;
    }
    boolean ok;
    if (labels.isEverything() && fields.isEverything()) {
      ok = sink.send(e);
    } else {
      boolean now = e.object().matches(labels, fields);
      boolean before = e.previous() != null && e.previous().matches(labels, fields);
      String type = e.type();
      if ("MODIFIED".equals(type)) {
        if (now && before) {
          ok = sink.send(e);
        } else if (now) {
          ok = sink.send(WatchEvent.frame("ADDED", e.object().json()));
        } else if (before) {
          ok = sink.send(WatchEvent.frame("DELETED", e.object().json()));
        } else {
          return true;
        }
      } else if (now) {
        ok = sink.send(e);
      } else {
        return true;
      }
    }
    lastSent = e.resourceVersion();
    if (!ok) {
      close();
    }
    return ok;
  }

  void bookmark(long rv) {
    if (closed || !bookmarks) {
      return;
    }
    String json =
        "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\""
            + type.kind()
            + "\",\"apiVersion\":\""
            + type.apiVersion()
            + "\",\"metadata\":{\"resourceVersion\":\""
            + rv
            + "\"}}}\n";
    if (!sink.send(json.getBytes(StandardCharsets.UTF_8))) {
      close();
    }
  }

  /** The watch's resourceVersion is older than the history kept: 410 Gone, as an ERROR event. */
  void gone(long requested) {
    String json =
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"too old resource version: "
            + requested
            + "\",\"reason\":\"Expired\",\"code\":410}}\n";
    sink.send(json.getBytes(StandardCharsets.UTF_8));
    close();
  }

  void close() {
    if (!closed) {
      closed = true;
      sink.close();
    }
  }
}
