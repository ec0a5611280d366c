package dev.dovetail.controllers;

/**
 * Where a controller reports a failure it worked around (a decision skipped for one pass, a status
 * kept), so it is counted and never silent. The metrics implement it.
 */
@FunctionalInterface
public interface ControllerErrors {
  ControllerErrors NONE = (controller, reason) -> {};

  /**
   * @param controller the controller, e.g. {@code nodeclass.status}, {@code disruption}
   * @param reason what failed, e.g. {@code ProviderError}, {@code PDBListFailed}
   */
  void error(String controller, String reason);
}
