package dev.dovetail.aws.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Instance metadata service options; upstream's defaults (IMDSv2 required, hop limit 1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetadataOptions {
  @JsonProperty("httpEndpoint")
  @Default("enabled")
  @Pattern("^(enabled|disabled)$")
  public String httpEndpoint;

  @JsonProperty("httpProtocolIPv6")
  @Default("disabled")
  @Pattern("^(enabled|disabled)$")
  public String httpProtocolIPv6;

  @JsonProperty("httpPutResponseHopLimit")
  @Default("1")
  @Min(1)
  @Max(64)
  public Long httpPutResponseHopLimit;

  @JsonProperty("httpTokens")
  @Default("required")
  @Pattern("^(required|optional)$")
  public String httpTokens;

  /** The options with upstream's defaults filled in where unset. */
  public static MetadataOptions withDefaults(MetadataOptions in) {
    MetadataOptions out = new MetadataOptions();
    out.httpEndpoint = in == null || in.httpEndpoint == null ? "enabled" : in.httpEndpoint;
    out.httpProtocolIPv6 =
        in == null || in.httpProtocolIPv6 == null ? "disabled" : in.httpProtocolIPv6;
    out.httpPutResponseHopLimit =
        in == null || in.httpPutResponseHopLimit == null ? 1L : in.httpPutResponseHopLimit;
    out.httpTokens = in == null || in.httpTokens == null ? "required" : in.httpTokens;
    return out;
  }
}
