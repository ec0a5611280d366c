package dev.dovetail.cloudprovider;

/** A reference from a NodePool or NodeClaim to its NodeClass. */
public record NodeClassRef(String group, String kind, String name) {}
