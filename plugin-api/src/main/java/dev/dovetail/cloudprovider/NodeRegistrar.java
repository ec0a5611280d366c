package dev.dovetail.cloudprovider;

import io.fabric8.kubernetes.api.model.Node;
import java.util.function.UnaryOperator;

/**
 * Creates and changes Node objects the way a kubelet would. Real clouds never need it; the
 * simulated cloud uses it to make nodes appear after a launch.
 */
public interface NodeRegistrar {

  /** Creates the Node (or replaces one with the same name). */
  void register(Node node);

  /** Applies a change to an existing Node (e.g. mark it Ready, remove a startup taint). */
  void update(String nodeName, UnaryOperator<Node> change);

  /** Deletes the Node object if it exists. */
  void deregister(String nodeName);

  /** A registrar for providers whose machines register themselves. */
  NodeRegistrar NONE =
      new NodeRegistrar() {
        @Override
        public void register(Node node) {}

        @Override
        public void update(String nodeName, UnaryOperator<Node> change) {}

        @Override
        public void deregister(String nodeName) {}
      };
}
