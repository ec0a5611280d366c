package dev.dovetail.aws.nodeclass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Filter;

/** EC2 describe filters from selector tags: {@code *} selects any value of the key. */
public final class Filters {
  private Filters() {}

  public static List<Filter> tags(Map<String, String> tags) {
    List<Filter> out = new ArrayList<>();
    if (tags != null) {
      tags.forEach(
          (k, v) -> {
            if ("*".equals(v)) {
              out.add(Filter.builder().name("tag-key").values(k).build());
            } else {
              out.add(Filter.builder().name("tag:" + k).values(v).build());
            }
          });
    }
    return out;
  }

  public static Filter of(String name, String... values) {
    return Filter.builder().name(name).values(values).build();
  }
}
