package dev.dovetail.aws.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** A block device of the launch template (upstream {@code BlockDeviceMapping}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlockDeviceMapping {
  public String deviceName;

  @ValidationRule(
      value = "has(self.snapshotID) || has(self.volumeSize)",
      message = "snapshotID or volumeSize must be defined")
  @ValidationRule(
      value =
          "!has(self.volumeInitializationRate) || (has(self.snapshotID) && self.snapshotID != '')",
      message = "snapshotID must be set when volumeInitializationRate is set")
  public BlockDevice ebs;

  public Boolean rootVolume;

  /** An EBS volume. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class BlockDevice {
    public Boolean deleteOnTermination;
    public Boolean encrypted;
    public Long iops;

    @JsonProperty("kmsKeyID")
    public String kmsKeyID;

    @JsonProperty("snapshotID")
    public String snapshotID;

    public Long throughput;

    @Min(100)
    @Max(300)
    public Integer volumeInitializationRate;

    /** A quantity such as {@code 100Gi}; upstream keeps the same pattern. */
    @Pattern(
        "^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$")
    public String volumeSize;

    @Pattern("^(standard|io1|io2|gp2|sc1|st1|gp3)$")
    public String volumeType;
  }
}
