package dev.dovetail.cloudprovider.testkit;

import dev.dovetail.cloudprovider.InstanceType;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A provider's instance-type catalog as plugins' tests look types up in it. */
public final class Catalogs {
  private Catalogs() {}

  /** The catalog by instance-type name; a name listed twice is a provider bug and throws. */
  public static Map<String, InstanceType> byName(Collection<InstanceType> catalog) {
    return catalog.stream().collect(Collectors.toMap(InstanceType::name, Function.identity()));
  }
}
