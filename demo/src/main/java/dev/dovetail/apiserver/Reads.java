package dev.dovetail.apiserver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The read verbs: get, list (with selectors and {@code limit}/{@code continue}), kubectl's tables,
 * and watches. Objects are answered with their stored bytes; a list is their concatenation.
 */
final class Reads {
  private static final byte[] COMMA = {','};
  private static final byte[] END = {']', '}'};

  private final ResourceTypes types;
  private final Store store;
  private final Faults faults;

  Reads(ResourceTypes types, Store store, Faults faults) {
    this.types = types;
    this.store = store;
    this.faults = faults;
  }

  ApiResponse get(Target t) {
    StoredObject o = store.get(t.type(), t.namespace(), t.name());
    if (o == null) {
      throw ApiException.notFound(t.type(), t.name());
    }
    return ApiResponse.json(200, o.json());
  }

  ApiResponse list(Target t, ApiRequest req) {
    int limit = req.param("limit") == null ? 0 : Integer.parseInt(req.param("limit"));
    String after = null;
    if (req.param("continue") != null && !req.param("continue").isEmpty()) {
      after =
          new String(Base64.getUrlDecoder().decode(req.param("continue")), StandardCharsets.UTF_8);
    }
    Store.Page page =
        store.list(
            t.type(),
            t.namespace(),
            LabelSelector.parse(req.param("labelSelector")),
            FieldSelector.parse(req.param("fieldSelector")),
            limit,
            after);
    return ApiResponse.parts(200, listParts(t.type(), page));
  }

  /**
   * kubectl's {@code get}: a {@code meta.k8s.io/v1} Table with the CRD's additionalPrinterColumns
   * (NodePools, NodeClaims: upstream's columns) or the built-in columns for nodes and pods.
   */
  ApiResponse table(Target t, ApiRequest req) {
    List<StoredObject> objects;
    if (t.name() != null) {
      StoredObject o = store.get(t.type(), t.namespace(), t.name());
      if (o == null) {
        throw ApiException.notFound(t.type(), t.name());
      }
      objects = List.of(o);
    } else {
      objects =
          store
              .list(
                  t.type(),
                  t.namespace(),
                  LabelSelector.parse(req.param("labelSelector")),
                  FieldSelector.parse(req.param("fieldSelector")),
                  0,
                  null)
              .items();
    }
    ResourceType crds = types.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").get();
    StoredObject crd =
        t.type().group().isEmpty()
            ? null
            : store.get(crds, null, t.type().plural() + "." + t.type().group());
    return ApiResponse.json(
        200,
        TablePrinter.table(
            t.type(), crd == null ? null : crd.tree(), objects, java.time.Instant.now()));
  }

  /** The list document, assembled from each object's stored bytes into one array. */
  static byte[] listBody(ResourceType type, Store.Page page) {
    return ApiResponse.parts(200, listParts(type, page)).body();
  }

  /** The size of the pieces a list is copied into (see {@link #listParts}). */
  static final int PIECE = 1 << 20;

  /**
   * The list document in pieces of about {@link #PIECE} bytes: its head, the objects' stored bytes
   * and its end, copied (one memcpy each) into ~36 pieces for 50,000 pods rather than handed over
   * as 100,000 parts: netty's composite of 100,000 components cost more CPU than the copy, and each
   * piece is written on its own, so the first megabyte is on the socket while netty still copies
   * the next, and none needs a 36 MB direct buffer.
   */
  static List<byte[]> listParts(ResourceType type, Store.Page page) {
    StringBuilder head = new StringBuilder();
    head.append("{\"kind\":\"")
        .append(type.listKind())
        .append("\",\"apiVersion\":\"")
        .append(type.apiVersion())
        .append("\",\"metadata\":{\"resourceVersion\":\"")
        .append(page.resourceVersion())
        .append('"');
    if (page.nextKey() != null) {
      head.append(",\"continue\":\"")
          .append(
              Base64.getUrlEncoder()
                  .encodeToString(page.nextKey().getBytes(StandardCharsets.UTF_8)))
          .append('"');
    }
    head.append("},\"items\":[");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    // a small list is sized exactly (one array); a large one is cut into whole pieces without
    // another pass over its objects
    long total = Long.MAX_VALUE;
    if (page.items().size() <= 1024) {
      total = headBytes.length + END.length;
      for (StoredObject o : page.items()) {
        total += o.json().length + 1;
      }
    }
    Pieces pieces = new Pieces(total);
    pieces.add(headBytes);
    boolean first = true;
    for (StoredObject o : page.items()) {
      if (!first) {
        pieces.add(COMMA);
      }
      first = false;
      pieces.add(o.json());
    }
    pieces.add(END);
    return pieces.done();
  }

  /** Bytes appended into pieces of about {@link #PIECE} bytes (a larger object is one piece). */
  private static final class Pieces {
    private final List<byte[]> done = new ArrayList<>();
    private long left;
    private byte[] current;
    private int used;

    /**
     * {@code total}: at least the bytes that will be added (a small list is one exact array), or
     * {@code Long.MAX_VALUE} when not counted.
     */
    Pieces(long total) {
      this.left = total;
      this.current = new byte[(int) Math.min(PIECE, total)];
    }

    void add(byte[] b) {
      if (used + b.length > current.length) {
        flush();
        if (b.length > current.length) {
          done.add(b); // larger than a piece: sent as it is stored
          left -= b.length;
          return;
        }
      }
      System.arraycopy(b, 0, current, used, b.length);
      used += b.length;
      left -= b.length;
    }

    /** Ends the current piece; the next is as large as what is left, at most a piece. */
    private void flush() {
      if (used > 0) {
        done.add(used == current.length ? current : java.util.Arrays.copyOf(current, used));
      }
      current = new byte[(int) Math.max(0, Math.min(PIECE, left))];
      used = 0;
    }

    List<byte[]> done() {
      if (used > 0) {
        done.add(used == current.length ? current : java.util.Arrays.copyOf(current, used));
      }
      return done;
    }
  }

  /** Opens a watch for a GET with {@code watch=true}; events go to {@code sink}. */
  Watcher watch(ApiRequest req, WatchSink sink) {
    Target t = Target.parse(req.path(), types);
    if (t == null) {
      throw new ApiException(404, "NotFound", "the server could not find the requested resource");
    }
    Optional<Integer> fault = faults.errorFor("watch", t.type().plural());
    if (fault.isPresent()) {
      throw new ApiException(fault.get(), "InternalError", "injected fault: watch");
    }
    LabelSelector labels = LabelSelector.parse(req.param("labelSelector"));
    FieldSelector fields = FieldSelector.parse(req.param("fieldSelector"));
    if (t.name() != null) {
      List<FieldSelector.Term> terms = new ArrayList<>(fields.terms());
      terms.add(new FieldSelector.Term("metadata.name", true, t.name()));
      fields = new FieldSelector(terms);
    }
    String rv = req.param("resourceVersion");
    Long from = rv == null || rv.isEmpty() || rv.equals("0") ? null : Long.parseLong(rv);
    Watcher w =
        new Watcher(
            t.type(),
            t.namespace(),
            labels,
            fields,
            sink,
            "true".equals(req.param("allowWatchBookmarks")),
            from == null ? store.resourceVersion() : from);
    sink.onClose(() -> store.unwatch(w));
    store.watch(w, from, labels, fields);
    return w;
  }
}
