package dev.dovetail.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;

/**
 * The controllers' client reads every string value of the objects it deserialises as the JVM's one
 * copy of it ({@link String#intern}): the informer caches hold each cluster object once or twice,
 * and most of their strings repeat across objects — a NodeClaim's requirements list up to ~60
 * instance-type names, every Node carries the same zone, architecture and instance-type labels,
 * every pod of a ReplicaSet the same owner, image and namespace. At 14,000 pods on the embedded API
 * server the controllers' live heap was 2.1 million Strings (51 MB, and 80 MB of their bytes) of
 * 292 MB: 117 strings per NodeClaim copy, 51 per Node. Interned strings that no object uses any
 * more are collected as any other.
 *
 * <p>Property names (and so map keys such as label keys) Jackson already interns; this covers the
 * values: fields, list elements and map values typed as String.
 */
public final class CanonicalStrings {
  private CanonicalStrings() {}

  /** A client for {@code config} that deserialises with canonical strings. */
  public static KubernetesClient client(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withKubernetesSerialization(serialization())
        .build();
  }

  /** fabric8's serialisation with string values interned. */
  public static KubernetesSerialization serialization() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.registerModule(
        new SimpleModule("canonical-strings").addDeserializer(String.class, new Interning()));
    return new KubernetesSerialization(mapper, true);
  }

  /**
   * Jackson's own string reading, then the canonical copy: {@link String#intern} behind a small
   * lossy cache of the canonical copies it returned most recently. {@code intern} is a call into
   * the VM's string table, ~100 ns each; most values repeat from one object to the next (a
   * NodeClaim's 65 instance-type names, every Node's labels, every pod's namespace, owner and
   * image), and a hit in the cache costs a hash and an {@code equals}. Measured per object read
   * ({@code CachedObjectCutsPaired}, helper cutscpu): interning alone added 4.0 µs to a pod's 5.1
   * µs, 8.8 to a Node's 12.8, 14.5 to a NodeClaim's 24.2. The cache returns what {@code intern}
   * would: each of its entries came from {@code intern} and, held here, is still the table's.
   */
  static final class Interning extends StringDeserializer {
    /** A power of two; ~8,000 strings held at most (an evicted one is only interned again). */
    private static final int SLOTS = 8192;

    /**
     * Slot {@code hash & (SLOTS - 1)}: the last canonical string seen with such a hash. Read and
     * written by every thread that deserialises without locks: a {@code String} is immutable and
     * safely published through a data race, and a lost write is a later miss, never a wrong answer.
     */
    private final String[] recent = new String[SLOTS];

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = super.deserialize(p, ctxt);
      return s == null ? null : canonical(s);
    }

    String canonical(String s) {
      int slot = s.hashCode() & (SLOTS - 1);
      String seen = recent[slot];
      if (seen != null && seen.equals(s)) {
        return seen;
      }
      String c = s.intern();
      recent[slot] = c;
      return c;
    }
  }
}
