package dev.dovetail.clusterapi.instancetype;

/**
 * What the resolver assumes where a scalable resource says nothing: the hourly price per vCPU and
 * per GiB of memory, the zone and the CPU architecture.
 */
public record InstanceTypeDefaults(
    double pricePerVcpu, double pricePerGib, String zone, String arch) {}
