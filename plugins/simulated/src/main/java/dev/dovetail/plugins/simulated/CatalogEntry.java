package dev.dovetail.plugins.simulated;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Objects;

/**
 * One machine shape of a catalog file, as stored in {@code catalogs/<provider>.json}.
 *
 * @param name the provider's instance type name, e.g. {@code m7g.large}
 * @param family the provider's family, e.g. {@code m7g} or {@code standardDSv3Family}
 * @param vcpu virtual CPUs
 * @param memoryMiB memory in MiB as the provider sells it (before hypervisor overhead)
 * @param arch {@code amd64} or {@code arm64}
 * @param gpu number of accelerators (0 when none)
 * @param gpuVendor {@code nvidia}, {@code amd}, {@code habana}, or null
 * @param onDemandPerHour on-demand list price per hour
 * @param spotPerHour spot price per hour when the catalog has one (GCP), else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogEntry(
    String name,
    String family,
    int vcpu,
    long memoryMiB,
    String arch,
    int gpu,
    String gpuVendor,
    double onDemandPerHour,
    Double spotPerHour) {

  public CatalogEntry {
    Objects.requireNonNull(name, "name");
    family = family == null ? "" : family;
    arch = arch == null ? "amd64" : arch;
  }
}
