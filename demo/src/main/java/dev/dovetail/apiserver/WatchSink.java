package dev.dovetail.apiserver;

/** Where a watch's events go: a WebSocket or a chunked HTTP response. */
interface WatchSink {
  /** Sends one event; returns false when the client cannot keep up (the watch is then closed). */
  boolean send(WatchEvent event);

  /** Sends a frame built for this watcher alone (a bookmark, a selector transition, an error). */
  boolean send(byte[] frame);

  void close();

  void onClose(Runnable action);
}
