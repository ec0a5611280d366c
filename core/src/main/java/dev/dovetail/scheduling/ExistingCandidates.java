package dev.dovetail.scheduling;

/**
 * Existing nodes (indices, in first-fit order) whose labels and taints admit some variants and that
 * may still hold their pods. Shared by every variant with the same admission, requests and host
 * ports: a node found too full (or with the port taken) for those requests is dropped for all of
 * them, as capacity on existing nodes only shrinks during a solve.
 */
final class ExistingCandidates {
  final int[] nodes;
  int length;

  ExistingCandidates(int[] nodes) {
    this.nodes = nodes;
    this.length = nodes.length;
  }
}
