package dev.dovetail.plugins.simulated;

import dev.dovetail.cloudprovider.NodeRegistrar;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Keeps Nodes in a map, like the API server would, and records every call. */
final class RecordingNodeRegistrar implements NodeRegistrar {
  final Map<String, Node> nodes = new LinkedHashMap<>();
  final List<String> calls = new ArrayList<>();

  /** How many of the next register calls fail, as an API server that is not reachable yet. */
  int failRegistrations;

  @Override
  public synchronized void register(Node node) {
    calls.add("register " + node.getMetadata().getName());
    if (failRegistrations > 0) {
      failRegistrations--;
      throw new IllegalStateException("API server unavailable");
    }
    nodes.put(node.getMetadata().getName(), node);
  }

  @Override
  public synchronized void update(String nodeName, UnaryOperator<Node> change) {
    calls.add("update " + nodeName);
    Node n = nodes.get(nodeName);
    if (n != null) {
      nodes.put(nodeName, change.apply(n));
    }
  }

  @Override
  public synchronized void deregister(String nodeName) {
    calls.add("deregister " + nodeName);
    nodes.remove(nodeName);
  }

  synchronized Node node(String name) {
    return nodes.get(name);
  }
}
