package dev.dovetail.controllers.disruption.model;

/**
 * Why a node is disrupted: a name, the budget reason that caps it and whether it is voluntary. The
 * voluntary methods are {@link DisruptionMethod} classes the planner asks in upstream HEAD's order
 * (emptiness, static drift, drift, multi-node, single-node consolidation) and are capped by
 * budgets; the forceful ones ({@link #EXPIRATION}, {@link #INTERRUPTION}, {@link #REPAIR}) are not.
 */
public enum Method {
  EMPTINESS("emptiness", "Empty", true),
  STATIC_DRIFT("static-drift", "Drifted", true),
  DRIFT("drift", "Drifted", true),
  MULTI_NODE_CONSOLIDATION("multi-node-consolidation", "Underutilized", true),
  SINGLE_NODE_CONSOLIDATION("single-node-consolidation", "Underutilized", true),
  EXPIRATION("expiration", "Expired", false),
  INTERRUPTION("interruption", "Interrupted", false),
  REPAIR("repair", "Unhealthy", false);

  private final String label;
  private final String budgetReason;
  private final boolean voluntary;

  Method(String label, String budgetReason, boolean voluntary) {
    this.label = label;
    this.budgetReason = budgetReason;
    this.voluntary = voluntary;
  }

  /** The name used in logs, events and metric labels. */
  public String label() {
    return label;
  }

  /** The {@code spec.disruption.budgets[].reasons} value that limits this method. */
  public String budgetReason() {
    return budgetReason;
  }

  /** Whether budgets and do-not-disrupt/PDB safety rules apply. */
  public boolean voluntary() {
    return voluntary;
  }

  public boolean consolidation() {
    return this == MULTI_NODE_CONSOLIDATION || this == SINGLE_NODE_CONSOLIDATION;
  }
}
