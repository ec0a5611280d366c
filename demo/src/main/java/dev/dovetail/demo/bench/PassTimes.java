package dev.dovetail.demo.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How long the provisioning passes that created NodeClaims took, from the batch window closing to
 * the pass's last NodeClaim created: issue 21's "all NodeClaims created ≤ 5 s after the batch
 * window closes", pass by pass. A pod that comes back (the scheduler bound another pod in its room)
 * starts a new batch and so a new pass; the end-to-end figure that includes such returns is {@code
 * secondsFromLastPendingToAllNodeClaims}.
 *
 * @param passes passes that created at least one NodeClaim
 * @param medianSeconds their median duration; 0 if none
 * @param maxSeconds the longest; 0 if none
 */
record PassTimes(int passes, double medianSeconds, double maxSeconds) {
  static PassTimes of(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return new PassTimes(0, 0, 0);
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return new PassTimes(n, median / 1e9, sorted.get(n - 1) / 1e9);
  }
}
