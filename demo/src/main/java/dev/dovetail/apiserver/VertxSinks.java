package dev.dovetail.apiserver;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Watch sinks over Vert.x: a WebSocket (fabric8) or a chunked HTTP response (kubectl). */
final class VertxSinks {
  /** Bytes a watcher may have queued before it counts as not keeping up (and is closed). */
  private static final long MAX_QUEUED = 64L * 1024 * 1024;

  /** How long a watcher's first queued event waits for more before they are written. */
  private static final long GATHER_MILLIS = 1;

  private VertxSinks() {}

  static WatchSink webSocket(ServerWebSocket ws, Context context) {
    AtomicBoolean closed = new AtomicBoolean();
    // one WebSocket message per event (fabric8 reads one event per message), all the frames
    // queued meanwhile written in one turn of the event loop
    Batches batches =
        new Batches(
            context,
            frames -> {
              for (byte[] f : frames) {
                ws.writeFrame(
                    new WebSocketFrameImpl(
                        WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(f), true));
              }
            },
            ws::writeQueueFull);
    return new WatchSink() {
      @Override
      public boolean send(WatchEvent event) {
        return send(event.frame());
      }

      @Override
      public boolean send(byte[] frame) {
        return !closed.get() && batches.offer(frame);
      }

      @Override
      public void close() {
        if (closed.compareAndSet(false, true)) {
          batches.then(() -> ws.close((short) 1000, "watch closed"));
        }
      }

      @Override
      public void onClose(Runnable action) {
        ws.closeHandler(
            v -> {
              closed.set(true);
              action.run();
            });
      }
    };
  }

  static WatchSink chunked(HttpServerResponse response, Context context) {
    AtomicBoolean closed = new AtomicBoolean();
    // the event lines queued meanwhile go out as one chunk: one write (and one system call)
    // per turn of the event loop, not one per event per watcher
    Batches batches =
        new Batches(
            context,
            frames ->
                response.write(
                    Buffer.buffer(Unpooled.wrappedBuffer(frames.toArray(new byte[0][])))),
            response::writeQueueFull);
    return new WatchSink() {
      @Override
      public boolean send(WatchEvent event) {
        return send(event.frame());
      }

      @Override
      public boolean send(byte[] frame) {
        return !closed.get() && batches.offer(frame);
      }

      @Override
      public void close() {
        if (closed.compareAndSet(false, true)) {
          batches.then(response::end);
        }
      }

      @Override
      public void onClose(Runnable action) {
        response.closeHandler(
            v -> {
              closed.set(true);
              action.run();
            });
        response.endHandler(v -> action.run());
      }
    };
  }

  /**
   * Frames offered by any thread (the store delivers under its lock), written in order on the
   * connection's event loop, as many as have gathered per write. The event's bytes are shared by
   * every watcher, never copied per watcher.
   */
  private static final class Batches {
    private final Context context;
    private final Consumer<List<byte[]>> write;
    private final java.util.function.BooleanSupplier full;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean overflowed;

    Batches(
        Context context, Consumer<List<byte[]>> write, java.util.function.BooleanSupplier full) {
      this.context = context;
      this.write = write;
      this.full = full;
    }

    /** Queues a frame; false when this watcher is not keeping up. */
    boolean offer(byte[] frame) {
      if (overflowed || queued.addAndGet(frame.length) > MAX_QUEUED) {
        overflowed = true;
        return false;
      }
      queue.add(frame);
      if (scheduled.compareAndSet(false, true)) {
        // a millisecond's wait gathers the events of concurrent writes into one write (one task
        // and one system call per watcher per millisecond instead of per event): with 20 watchers
        // the writes to them were the largest share of the server's CPU per write
        ((io.vertx.core.impl.ContextInternal) context).setTimer(GATHER_MILLIS, id -> drain());
      }
      return true;
    }

    /** Runs {@code action} on the event loop once what is queued has been written. */
    void then(Runnable action) {
      context.runOnContext(
          v -> {
            drain();
            action.run();
          });
    }

    private void drain() {
      scheduled.set(false);
      List<byte[]> frames = new ArrayList<>();
      long bytes = 0;
      for (byte[] f; (f = queue.poll()) != null; ) {
        frames.add(f);
        bytes += f.length;
      }
      if (frames.isEmpty()) {
        return;
      }
      queued.addAndGet(-bytes);
      try {
        write.accept(frames);
        if (full.getAsBoolean()) {
          overflowed = true;
        }
      } catch (IllegalStateException closedMeanwhile) {
        overflowed = true; // the connection is gone; the close handler unregisters the watch
      }
    }
  }
}
