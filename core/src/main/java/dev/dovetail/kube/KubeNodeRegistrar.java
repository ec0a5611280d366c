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

  /**
   * Deletes the node, trying a transient API failure again (at most {@value #DELETE_ATTEMPTS}
   * tries, backing off from 100 ms): this stands for the cloud's node controller, which keeps at it
   * until the node of a terminated instance is gone. One 409 must not leave a node whose instance
   * no longer exists, nor fail the caller that terminated the instance (the chaos harness's
   * interruption did, once in 50 runs).
   */
  @Override
  public void deregister(String nodeName) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.nodes().withName(nodeName).delete(); // a node already gone is not an error
        return;
      } catch (KubernetesClientException e) {
        if (attempt >= DELETE_ATTEMPTS || !ApiFailures.isTransient(e)) {
          throw e;
        }
        LOG.debug("deleting node {} failed ({}); trying again", nodeName, e.getCode());
      }
      try {
        Thread.sleep(100L << (attempt - 1));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static final int DELETE_ATTEMPTS = 6;
}
