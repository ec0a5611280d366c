package dev.dovetail.kube;

import dev.dovetail.cloudprovider.NodeRegistrar;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers Node objects through the API server, as a kubelet would. */
public final class KubeNodeRegistrar implements NodeRegistrar {
  private static final Logger LOG = LoggerFactory.getLogger(KubeNodeRegistrar.class);
  private final KubernetesClient client;

  public KubeNodeRegistrar(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void register(Node node) {
    client.nodes().resource(node).createOr(existing -> existing.update());
  }

  @Override
  public void update(String nodeName, UnaryOperator<Node> change) {
    try {
      client.nodes().withName(nodeName).edit(change);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      LOG.debug("node {} is gone; nothing to update", nodeName);
    }
  }

  @Override
  public void deregister(String nodeName) {
    client.nodes().withName(nodeName).delete();
  }
}
