package dev.dovetail.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.kube.CanonicalStrings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the operator's three memory cuts cost per object its client reads: a Pod (bound, with
 * status), a Node and a NodeClaim (65 instance types in its requirements, with status), each as the
 * embedded API server returned it in a small {@code bench provisioning} run (resources {@code
 * cached-objects/*.json}, managedFields included).
 *
 * <ul>
 *   <li>{@code readPlain}: JSON to the fabric8 object with fabric8's own serialisation;
 *   <li>{@code readCanonical}: the same with {@link CanonicalStrings} (as {@code dovetail run}
 *       makes its client): minus {@code readPlain}, the interning's cost;
 *   <li>{@code readCanonicalAndStrip}: then cached by {@link WithoutManagedFields} as the lifecycle
 *       reconciler's cache does (managedFields dropped, the store's put);
 *   <li>{@code readCanonicalAndCompact}: then cached as the cluster state's informers do ({@link
 *       WithoutManagedFields#compacting()}: also the {@link SharedValues} walk); minus {@code
 *       readCanonicalAndStrip}, the walk's cost;
 *   <li>{@code compactAgain}: the walk alone over an object it already compacted (nothing left to
 *       replace: the traversal and the intern look-ups).
 * </ul>
 *
 * <p>Each read takes the next of {@link #VARIANTS} copies whose name, uid and resourceVersion
 * differ, as successive watch events do, so interning meets new strings as well as known ones; and
 * the JVM's string table is first filled with {@link #TABLE_FILL} live strings, about what the
 * controllers hold interned at 20,000 pods. In this package (split from the core's on the class
 * path) because the walk and the compacting store are the core's package-private internals.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xmx512m"})
@State(Scope.Thread)
public class CachedObjectCutsBenchmark {
  static final int VARIANTS = 4096;
  static final int TABLE_FILL = 500_000;

  @Param({"pod", "node", "nodeclaim"})
  public String kind;

  private final KubernetesSerialization plain = new KubernetesSerialization();
  private final KubernetesSerialization canonical = CanonicalStrings.serialization();
  private final WithoutManagedFields<HasMetadata> lifecycleStore = new WithoutManagedFields<>();
  private final WithoutManagedFields<HasMetadata> stateStore = WithoutManagedFields.compacting();
  private final SharedValues walk = new SharedValues();

  private Class<? extends HasMetadata> type;
  private String[] json;
  private int next;
  private HasMetadata compacted;

  /** Held so that the string table stays the size a busy operator's is. */
  private List<String> tableFill;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    type =
        switch (kind) {
          case "pod" -> Pod.class;
          case "node" -> Node.class;
          case "nodeclaim" -> NodeClaim.class;
          default -> throw new IllegalArgumentException(kind);
        };
    ObjectMapper mapper = new ObjectMapper();
    JsonNode base = mapper.readTree(resource("cached-objects/" + kind + ".json"));
    json = new String[VARIANTS];
    for (int i = 0; i < VARIANTS; i++) {
      ObjectNode copy = base.deepCopy();
      ObjectNode meta = (ObjectNode) copy.get("metadata");
      meta.put("name", meta.get("name").asText() + "-v" + i);
      meta.put("uid", java.util.UUID.nameUUIDFromBytes(("v" + i).getBytes()).toString());
      meta.put("resourceVersion", Long.toString(1_000_000L + i));
      json[i] = mapper.writeValueAsString(copy);
    }
    tableFill = new ArrayList<>(TABLE_FILL);
    for (int i = 0; i < TABLE_FILL; i++) {
      tableFill.add(("fill-" + i).intern());
    }
    compacted = canonical.unmarshal(json[0], type);
    stateStore.put("k", compacted);
  }

  private String nextJson() {
    String s = json[next];
    next = (next + 1) % VARIANTS;
    return s;
  }

  @Benchmark
  public HasMetadata readPlain() {
    return plain.unmarshal(nextJson(), type);
  }

  @Benchmark
  public HasMetadata readCanonical() {
    return canonical.unmarshal(nextJson(), type);
  }

  @Benchmark
  public HasMetadata readCanonicalAndStrip() {
    HasMetadata o = canonical.unmarshal(nextJson(), type);
    lifecycleStore.put("k", o);
    return o;
  }

  @Benchmark
  public HasMetadata readCanonicalAndCompact() {
    HasMetadata o = canonical.unmarshal(nextJson(), type);
    stateStore.put("k", o);
    return o;
  }

  @Benchmark
  public Object compactAgain() {
    // as the store walks it: a kind of ours only by its metadata
    return walk.compact(SharedValues.isModel(type) ? compacted : compacted.getMetadata());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in =
        CachedObjectCutsBenchmark.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("no resource " + name));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
