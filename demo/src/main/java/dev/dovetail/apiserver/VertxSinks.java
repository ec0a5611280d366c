package dev.dovetail.apiserver;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.util.concurrent.atomic.AtomicBoolean;

/** Watch sinks over Vert.x: a WebSocket (fabric8) or a chunked HTTP response (kubectl). */
final class VertxSinks {
  private VertxSinks() {}

  static WatchSink webSocket(ServerWebSocket ws) {
    AtomicBoolean closed = new AtomicBoolean();
    return new WatchSink() {
      @Override
      public boolean send(WatchEvent event) {
        if (closed.get() || ws.writeQueueFull()) {
          return false;
        }
        // one frame per watcher wrapping the event's bytes, serialised once for all of them
        ws.writeFrame(
            new WebSocketFrameImpl(
                WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(event.frame()), true));
        return true;
      }

      @Override
      public boolean send(byte[] frame) {
        if (closed.get() || ws.writeQueueFull()) {
          return false;
        }
        ws.writeTextMessage(new String(frame, java.nio.charset.StandardCharsets.UTF_8));
        return true;
      }

      @Override
      public void close() {
        if (closed.compareAndSet(false, true)) {
          ws.close((short) 1000, "watch closed");
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

  static WatchSink chunked(HttpServerResponse response) {
    AtomicBoolean closed = new AtomicBoolean();
    return new WatchSink() {
      @Override
      public boolean send(WatchEvent event) {
        return send(event.frame());
      }

      @Override
      public boolean send(byte[] frame) {
        if (closed.get() || response.writeQueueFull()) {
          return false;
        }
        // the event's bytes, shared by every watcher, wrapped rather than copied per watcher
        response.write(Buffer.buffer(Unpooled.wrappedBuffer(frame)));
        return true;
      }

      @Override
      public void close() {
        if (closed.compareAndSet(false, true)) {
          response.end();
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
}
