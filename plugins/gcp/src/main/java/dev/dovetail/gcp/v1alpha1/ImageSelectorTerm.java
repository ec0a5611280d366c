package dev.dovetail.gcp.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One image selector term: exactly one of {@code alias} (deprecated {@code family@version}), {@code
 * id} (a full image URL) or {@code family} with {@code channel} or {@code version}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.family) || has(self.channel) || has(self.version)",
    message = "family requires either channel or version to be set")
@ValidationRule(
    value = "!(has(self.channel) || has(self.version)) || has(self.family)",
    message = "channel and version require family to be set")
@ValidationRule(
    value = "!(has(self.channel) && has(self.version))",
    message = "channel and version cannot both be set")
@ValidationRule(
    value = "!has(self.channel) || self.family == 'ContainerOptimizedOS'",
    message = "channel is only supported for family ContainerOptimizedOS")
@ValidationRule(
    value = "(has(self.alias) ? 1 : 0) + (has(self.id) ? 1 : 0) + (has(self.family) ? 1 : 0) == 1",
    message = "exactly one of alias, id, or family must be set")
@ValidationRule(
    value =
        "!has(self.version) || !has(self.family) || self.family != 'ContainerOptimizedOS' ||"
            + " self.version == 'latest' || self.version.matches('^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$')",
    message =
        "ContainerOptimizedOS version must be 'latest' or 'milestone.build.build.build' (e.g."
            + " '125.19216.104.126')")
@ValidationRule(
    value =
        "!has(self.version) || !has(self.family) || self.family != 'Ubuntu2404' ||"
            + " self.version == 'latest' || self.version.matches('^v[0-9]{8}$')",
    message = "Ubuntu2404 version must be 'latest' or 'vYYYYMMDD' (e.g. 'v20260416')")
@ValidationRule(
    value =
        "!has(self.version) || !has(self.family) || self.family != 'Ubuntu2204' ||"
            + " self.version == 'latest' || self.version.matches('^v[0-9]{8}$')",
    message = "Ubuntu2204 version must be 'latest' or 'vYYYYMMDD' (e.g. 'v20260416')")
@ValidationRule(
    value = "!has(self.family) || self.family != 'Ubuntu'",
    message =
        "family 'Ubuntu' is not valid; use Ubuntu2404 for Ubuntu 24.04 or Ubuntu2204 for Ubuntu"
            + " 22.04")
public class ImageSelectorTerm {
  /** Deprecated: {@code ContainerOptimizedOS@<version>} or {@code Ubuntu@<version>}. */
  @Size(max = 60)
  @ValidationRule(
      value = "self.matches('^[a-zA-Z0-9]+@.+$')",
      message = "'alias' is improperly formatted, must match the format 'family@version'")
  @ValidationRule(
      value = "self.find('^[^@]+') in ['ContainerOptimizedOS', 'Ubuntu']",
      message =
          "family is not supported, must be one of the following: 'ContainerOptimizedOS,Ubuntu'")
  @ValidationRule(
      value =
          "!self.startsWith('ContainerOptimizedOS@') ||"
              + " self.matches('^ContainerOptimizedOS@(latest|[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+)$')",
      message =
          "ContainerOptimizedOS version must be 'latest' or 'milestone.build.build.build' (e.g."
              + " '125.19216.104.126')")
  @ValidationRule(
      value = "!self.startsWith('Ubuntu@') || self.matches('^Ubuntu@(latest|v[0-9]{8})$')",
      message = "Ubuntu version must be 'latest' or 'vYYYYMMDD' (e.g. 'v20260416')")
  public String alias;

  /** A GKE image by its full resource URL. */
  @Size(max = 160)
  @ValidationRule(
      value = "self.matches('^.*$')",
      message = "'id' is improperly formatted, must match the format 'id'")
  public String id;

  /** The OS image family; needs {@code channel} or {@code version}. */
  public Family family;

  /** The GKE release channel to follow (ContainerOptimizedOS only). */
  public Channel channel;

  /** A pinned version or {@code latest}. */
  @Size(max = 32)
  public String version;

  public ImageSelectorTerm() {}

  public static ImageSelectorTerm alias(String alias) {
    ImageSelectorTerm t = new ImageSelectorTerm();
    t.alias = alias;
    return t;
  }

  public static ImageSelectorTerm id(String id) {
    ImageSelectorTerm t = new ImageSelectorTerm();
    t.id = id;
    return t;
  }

  public static ImageSelectorTerm family(Family family, Channel channel, String version) {
    ImageSelectorTerm t = new ImageSelectorTerm();
    t.family = family;
    t.channel = channel;
    t.version = version;
    return t;
  }

  /** Image families a term can select by. */
  public enum Family {
    ContainerOptimizedOS,
    Ubuntu2404,
    Ubuntu2204
  }

  /** GKE release channels. */
  public enum Channel {
    @JsonProperty("rapid")
    RAPID,
    @JsonProperty("regular")
    REGULAR,
    @JsonProperty("stable")
    STABLE,
    @JsonProperty("extended")
    EXTENDED,
    @JsonProperty("cluster")
    CLUSTER
  }
}
