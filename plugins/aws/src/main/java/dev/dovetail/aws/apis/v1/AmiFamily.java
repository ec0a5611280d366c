package dev.dovetail.aws.apis.v1;

import java.util.Locale;

/** The AMI family: decides the user-data format, default volumes and SSM alias paths. */
public enum AmiFamily {
  AL2,
  AL2023,
  Bottlerocket,
  Custom,
  Windows2019,
  Windows2022,
  Windows2025;

  /** The family named by an alias prefix ({@code al2023}, {@code bottlerocket}, ...), or null. */
  public static AmiFamily fromAlias(String aliasFamily) {
    if (aliasFamily == null) {
      return null;
    }
    for (AmiFamily f : values()) {
      if (f != Custom && f.name().toLowerCase(Locale.ROOT).equals(aliasFamily)) {
        return f;
      }
    }
    return null;
  }

  public boolean isWindows() {
    return this == Windows2019 || this == Windows2022 || this == Windows2025;
  }
}
