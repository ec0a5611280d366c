package dev.dovetail.apis.v1;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Schema-only twin of {@link io.fabric8.kubernetes.api.model.Taint}: the beans keep fabric8's Taint
 * (what the rest of the code uses), while the CRD gets upstream's stricter taint schema (required
 * key and effect, effect enum, qualified-name patterns) through {@code @SchemaFrom}.
 */
public final class TaintSchema {
  static final String QUALIFIED_NAME =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";

  private TaintSchema() {}

  @Required public TaintEffect effect;

  @Required
  @Size(min = 1)
  @Pattern(QUALIFIED_NAME)
  public String key;

  public java.time.OffsetDateTime timeAdded;

  @Pattern(QUALIFIED_NAME)
  public String value;
}
