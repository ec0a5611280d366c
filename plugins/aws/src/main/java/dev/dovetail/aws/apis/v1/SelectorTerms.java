package dev.dovetail.aws.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The selector terms of an EC2NodeClass. Fields in one term are ANDed, terms are ORed. */
public final class SelectorTerms {
  private SelectorTerms() {}

  static final String EMPTY_TAGS_RULE = "self.all(k, k != '' && self[k] != '')";
  static final String EMPTY_TAGS_MESSAGE = "empty tag keys or values aren't supported";

  /** Selects subnets by tags (value {@code *} = any) or id. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SubnetSelectorTerm {
    @Size(max = 20)
    @ValidationRule(value = EMPTY_TAGS_RULE, message = EMPTY_TAGS_MESSAGE)
    public Map<String, String> tags;

    @Pattern("subnet-[0-9a-z]+")
    public String id;
  }

  /** Selects security groups by tags, id or group name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecurityGroupSelectorTerm {
    @Size(max = 20)
    @ValidationRule(value = EMPTY_TAGS_RULE, message = EMPTY_TAGS_MESSAGE)
    public Map<String, String> tags;

    @Pattern("sg-[0-9a-z]+")
    public String id;

    public String name;
  }

  /** Selects on-demand capacity reservations. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CapacityReservationSelectorTerm {
    @Size(max = 20)
    @ValidationRule(value = EMPTY_TAGS_RULE, message = EMPTY_TAGS_MESSAGE)
    public Map<String, String> tags;

    @Pattern("^cr-[0-9a-z]+$")
    public String id;

    @JsonProperty("ownerID")
    @Pattern("^[0-9]{12}$")
    public String ownerID;

    @Pattern("^(open|targeted)$")
    public String instanceMatchCriteria;
  }

  /** A placement group by name or id. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PlacementGroupSelector {
    @Size(min = 1)
    public String name;

    @Pattern("^pg-[0-9a-z]+$")
    public String id;
  }

  /** Selects AMIs by alias ({@code family@version}), tags, id, name, owner or SSM parameter. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AMISelectorTerm {
    @Size(max = 30)
    @ValidationRule(
        value = "self.matches('^[a-zA-Z0-9]+@.+$')",
        message = "'alias' is improperly formatted, must match the format 'family@version'")
    @ValidationRule(
        value =
            "self.split('@')[0] in"
                + " ['al2','al2023','bottlerocket','windows2019','windows2022','windows2025']",
        message =
            "family is not supported, must be one of the following: 'al2', 'al2023',"
                + " 'bottlerocket', 'windows2019', 'windows2022', 'windows2025'")
    @ValidationRule(
        value =
            "self.split('@')[0] in ['windows2019','windows2022','windows2025'] ?"
                + " self.split('@')[1] == 'latest' : true",
        message = "windows families may only specify version 'latest'")
    public String alias;

    @Size(max = 20)
    @ValidationRule(value = EMPTY_TAGS_RULE, message = EMPTY_TAGS_MESSAGE)
    public Map<String, String> tags;

    @Pattern("ami-[0-9a-z]+")
    public String id;

    public String name;
    public String owner;
    public String ssmParameter;

    /** The alias family ({@code al2023}), or null without an alias. */
    public String aliasFamily() {
      if (alias == null || !alias.contains("@")) {
        return null;
      }
      return alias.substring(0, alias.indexOf('@'));
    }

    /** The alias version ({@code latest}, {@code v20240807}), or null without an alias. */
    public String aliasVersion() {
      if (alias == null || !alias.contains("@")) {
        return null;
      }
      return alias.substring(alias.indexOf('@') + 1);
    }
  }
}
