package dev.dovetail.scheduling;

import java.util.ArrayList;
import java.util.List;

/** Something pods can land on: an existing node or a planned NodeClaim. */
abstract class Bin {
  /** Per hostname group: how many matching pods sit on this node. */
  final IntCounter host = new IntCounter();

  private List<HostPort> ports;

  /** The node's value for a label key, or null when absent or not decided. */
  abstract String value(String key);

  boolean portsFree(List<HostPort> want) {
    if (want.isEmpty() || ports == null) {
      return true;
    }
    for (HostPort w : want) {
      for (HostPort p : ports) {
        if (p.conflictsWith(w)) {
          return false;
        }
      }
    }
    return true;
  }

  void addPorts(List<HostPort> add) {
    if (add.isEmpty()) {
      return;
    }
    if (ports == null) {
      ports = new ArrayList<>();
    }
    ports.addAll(add);
  }
}
