package dev.dovetail.gcp.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** A disk attached to the instance: the boot disk, data disks and secondary boot disks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.provisionedIOPS) || self.category in ['pd-extreme', 'hyperdisk-balanced',"
            + " 'hyperdisk-balanced-high-availability', 'hyperdisk-extreme']",
    message =
        "provisionedIOPS is only applicable for pd-extreme, hyperdisk-balanced,"
            + " hyperdisk-balanced-high-availability, and hyperdisk-extreme")
@ValidationRule(
    value =
        "!has(self.provisionedThroughput) || self.category in ['hyperdisk-balanced',"
            + " 'hyperdisk-balanced-high-availability', 'hyperdisk-throughput', 'hyperdisk-ml']",
    message =
        "provisionedThroughput is only applicable for hyperdisk-balanced,"
            + " hyperdisk-balanced-high-availability, hyperdisk-throughput, and hyperdisk-ml")
@ValidationRule(
    value =
        "!(self.category in ['hyperdisk-balanced', 'hyperdisk-balanced-high-availability']) ||"
            + " (has(self.provisionedIOPS) == has(self.provisionedThroughput))",
    message =
        "provisionedIOPS and provisionedThroughput must both be set or both be unset for"
            + " hyperdisk-balanced and hyperdisk-balanced-high-availability")
public class Disk {
  /** Size in GiB. */
  @JsonProperty("sizeGiB")
  @ValidationRule(value = "self >= 10", message = "size invalid")
  public Integer sizeGiB;

  public Category category;

  /** Whether this is the boot disk. */
  public Boolean boot;

  /** A secondary boot disk image, e.g. {@code global/images/DISK_IMAGE_NAME}. */
  public String secondaryBootImage;

  public SecondaryBootMode secondaryBootMode;

  @Pattern(
      "^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+(/cryptoKeyVersions/[^/]+)?$")
  public String kmsKeyName;

  @Pattern(GCENodeClassSpec.SERVICE_ACCOUNT_PATTERN)
  public String kmsKeyServiceAccount;

  @JsonProperty("provisionedIOPS")
  public Long provisionedIOPS;

  public Long provisionedThroughput;

  public Disk() {}

  public static Disk boot(int sizeGiB, Category category) {
    Disk d = new Disk();
    d.sizeGiB = sizeGiB;
    d.category = category;
    d.boot = true;
    return d;
  }

  public boolean isBoot() {
    return Boolean.TRUE.equals(boot);
  }

  /** GCE disk types. */
  public enum Category {
    @JsonProperty("hyperdisk-balanced")
    HYPERDISK_BALANCED("hyperdisk-balanced"),
    @JsonProperty("hyperdisk-balanced-high-availability")
    HYPERDISK_BALANCED_HIGH_AVAILABILITY("hyperdisk-balanced-high-availability"),
    @JsonProperty("hyperdisk-extreme")
    HYPERDISK_EXTREME("hyperdisk-extreme"),
    @JsonProperty("hyperdisk-ml")
    HYPERDISK_ML("hyperdisk-ml"),
    @JsonProperty("hyperdisk-throughput")
    HYPERDISK_THROUGHPUT("hyperdisk-throughput"),
    @JsonProperty("local-ssd")
    LOCAL_SSD("local-ssd"),
    @JsonProperty("pd-balanced")
    PD_BALANCED("pd-balanced"),
    @JsonProperty("pd-extreme")
    PD_EXTREME("pd-extreme"),
    @JsonProperty("pd-ssd")
    PD_SSD("pd-ssd"),
    @JsonProperty("pd-standard")
    PD_STANDARD("pd-standard");

    private final String gceName;

    Category(String gceName) {
      this.gceName = gceName;
    }

    /** The disk type name GCE uses in {@code zones/<zone>/diskTypes/<name>}. */
    public String gceName() {
      return gceName;
    }
  }

  /** Secondary boot disk modes. */
  public enum SecondaryBootMode {
    MODE_UNSPECIFIED,
    CONTAINER_IMAGE_CACHE
  }
}
