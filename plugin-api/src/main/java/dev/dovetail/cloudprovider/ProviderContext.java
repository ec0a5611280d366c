package dev.dovetail.cloudprovider;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What the core hands a provider at start: its settings, a clock, and the callbacks through which
 * it reports to the core.
 *
 * @param clusterName the cluster name used to tag owned resources
 * @param settings provider settings ({@code --provider-setting key=value} or {@code
 *     DOVETAIL_PROVIDER_<KEY>} environment variables), e.g. {@code region}
 * @param clock the clock to use for every time decision, so tests can move time
 * @param nodes registers Node objects; only a simulated cloud uses it (real kubelets register
 *     themselves)
 * @param interruptions where the provider reports interruption events
 */
public record ProviderContext(
    String clusterName,
    Map<String, String> settings,
    Clock clock,
    NodeRegistrar nodes,
    InterruptionListener interruptions) {

  public ProviderContext {
    settings = Map.copyOf(settings);
  }

  /**
   * A setting by name. Names match exactly, or else ignoring case, dashes and underscores, so
   * {@code subscriptionID}, {@code subscription-id} and the environment's {@code SUBSCRIPTION_ID}
   * are one setting.
   */
  public Optional<String> setting(String key) {
    String exact = settings.get(key);
    if (exact != null) {
      return Optional.of(exact);
    }
    String wanted = normalize(key);
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (normalize(e.getKey()).equals(wanted)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /** Never prints a secret setting's value (keys, passwords, tokens). */
  @Override
  public String toString() {
    java.util.Map<String, String> shown = new java.util.TreeMap<>();
    settings.forEach(
        (k, v) ->
            shown.put(
                k,
                normalize(k).matches(".*(secret|password|token|credential|privatekey|accesskey).*")
                    ? "<redacted>"
                    : v));
    return "ProviderContext[clusterName=" + clusterName + ", settings=" + shown + "]";
  }

  private static String normalize(String key) {
    return key.replace("_", "").replace("-", "").toLowerCase(java.util.Locale.ROOT);
  }
}
