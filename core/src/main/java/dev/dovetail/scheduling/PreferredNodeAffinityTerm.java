package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Requirements;

/** A preferred node affinity term (its matchExpressions/matchFields) with its weight (1..100). */
public record PreferredNodeAffinityTerm(int weight, Requirements requirements) {}
