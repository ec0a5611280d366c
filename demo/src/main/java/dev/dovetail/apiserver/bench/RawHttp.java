package dev.dovetail.apiserver.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One keep-alive HTTP/1.1 connection that sends a request and reads the response without decoding
 * its body. The benchmark's clients share the server's JVM and cores: the JDK client spent more CPU
 * per write than the server did, so its wall figures measured the clients; this one costs a few
 * microseconds per request.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String host;

  RawHttp(String host, int port) {
    try {
      this.socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      this.out = socket.getOutputStream();
      this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      this.host = host + ":" + port;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A response: its status and body length (the body itself is only kept if asked for). */
  record Response(int status, long length, byte[] body) {}

  Response send(String method, String path, String contentType, byte[] body, boolean keepBody) {
    try {
      StringBuilder head = new StringBuilder(160);
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host);
      if (body != null) {
        head.append("\r\nContent-Type: ")
            .append(contentType)
            .append("\r\nContent-Length: ")
            .append(body.length);
      }
      head.append("\r\n\r\n");
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      int status = Integer.parseInt(line().split(" ")[1]);
      long length = -1;
      boolean chunked = false;
      for (String h; !(h = line()).isEmpty(); ) {
        String lower = h.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(h.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      ByteArrayOutputStream kept = keepBody ? new ByteArrayOutputStream() : null;
      long read = chunked ? readChunks(kept, null) : skip(length, kept);
      return new Response(status, read, kept == null ? null : kept.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Opens a watch on this connection and counts its events (one JSON line each) into {@code events}
   * until the server ends the stream or the connection closes.
   */
  void watch(String path, AtomicLong events) {
    try {
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      line(); // status
      while (!line().isEmpty()) {
        // headers: a watch is always chunked
      }
      readChunks(null, events);
    } catch (IOException closed) {
      // the benchmark closed it
    }
  }

  private long skip(long length, ByteArrayOutputStream kept) throws IOException {
    byte[] buf = new byte[1 << 16];
    long left = length;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("connection closed in a response body");
      }
      if (kept != null) {
        kept.write(buf, 0, n);
      }
      left -= n;
    }
    return length;
  }

  private long readChunks(ByteArrayOutputStream kept, AtomicLong lines) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    while (true) {
      int size = Integer.parseInt(line().trim(), 16);
      if (size == 0) {
        line();
        return total;
      }
      int left = size;
      while (left > 0) {
        int n = in.read(buf, 0, Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("connection closed in a chunk");
        }
        if (kept != null) {
          kept.write(buf, 0, n);
        }
        if (lines != null) {
          long c = 0;
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
              c++;
            }
          }
          lines.addAndGet(c);
        }
        left -= n;
      }
      total += size;
      line(); // the chunk's CRLF
    }
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
