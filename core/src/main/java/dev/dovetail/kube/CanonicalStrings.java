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
   * Jackson's own string reading, then the canonical copy ({@link RecentCanonicals}: {@code intern}
   * behind a cache of the recent ones, a hit for most values).
   */
  static final class Interning extends StringDeserializer {
    private final RecentCanonicals strings = new RecentCanonicals();

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = super.deserialize(p, ctxt);
      return s == null ? null : canonical(s);
    }

    String canonical(String s) {
      return strings.canonical(s);
    }
  }
}
