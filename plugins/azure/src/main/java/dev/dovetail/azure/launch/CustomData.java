package dev.dovetail.azure.launch;

import dev.dovetail.cloudprovider.Taint;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The VM's custom data: a shell script that writes the kubelet's bootstrap kubeconfig and flags
 * (node labels, taints, max pods) and starts the kubelet of the AKS node image. It is our own
 * minimal bootstrap, not AKS's node-bootstrapping contract (NBC/CSE); the bootstrap token is only
 * ever put in the (encrypted-at-rest) custom data, never logged.
 *
 * @param clusterEndpoint the API server URL
 * @param bootstrapToken the TLS bootstrap token, or null (the node then needs another credential)
 * @param labels node labels to register with
 * @param taints taints to register with (startup taints included)
 * @param maxPods the kubelet's max pods
 * @param kubeletIdentityClientId the kubelet identity's client id, or null
 */
public record CustomData(
    String clusterEndpoint,
    String bootstrapToken,
    Map<String, String> labels,
    List<Taint> taints,
    int maxPods,
    String kubeletIdentityClientId) {

  public String script() {
    String labelFlag =
        new TreeMap<>(labels)
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    String taintFlag =
        taints.stream()
            .map(t -> t.key() + (t.value() == null ? "" : "=" + t.value()) + ":" + t.effect())
            .collect(Collectors.joining(","));
    StringBuilder sb = new StringBuilder();
    sb.append("#!/bin/bash\nset -euo pipefail\n");
    sb.append("mkdir -p /var/lib/kubelet /etc/default\n");
    sb.append("cat > /var/lib/kubelet/bootstrap-kubeconfig <<'EOF'\n")
        .append("apiVersion: v1\nkind: Config\nclusters:\n- name: cluster\n  cluster:\n")
        .append("    server: ")
        .append(clusterEndpoint)
        .append("\n    certificate-authority: /etc/kubernetes/certs/ca.crt\n")
        .append("users:\n- name: kubelet-bootstrap\n  user:\n    token: ")
        .append(bootstrapToken == null ? "" : bootstrapToken)
        .append("\ncontexts:\n- name: bootstrap\n  context:\n    cluster: cluster\n")
        .append("    user: kubelet-bootstrap\ncurrent-context: bootstrap\nEOF\n");
    sb.append("cat > /etc/default/kubelet <<'EOF'\nKUBELET_FLAGS=\"")
        .append("--node-labels=")
        .append(labelFlag)
        .append(taintFlag.isEmpty() ? "" : " --register-with-taints=" + taintFlag)
        .append(" --max-pods=")
        .append(maxPods)
        .append("\"\n");
    if (kubeletIdentityClientId != null) {
      sb.append("AZURE_CLIENT_ID=").append(kubeletIdentityClientId).append('\n');
    }
    sb.append("EOF\nsystemctl enable --now kubelet\n");
    return sb.toString();
  }

  /** Base64, as the VM API takes custom data. */
  public String encoded() {
    return Base64.getEncoder().encodeToString(script().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "CustomData[clusterEndpoint=" + clusterEndpoint + ", bootstrapToken=<redacted>]";
  }
}
