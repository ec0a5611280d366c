package dev.dovetail.azure.arm;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.implementation.ComputeManagementClientBuilder;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.implementation.NetworkManagementClientBuilder;
import dev.dovetail.azure.options.AzureSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Azure SDK clients the provider uses: Compute (VMs, disks, resource SKUs, community gallery
 * images) and Network (NICs, subnets), on one OkHttp pipeline with our bounded {@link
 * ThrottlingRetryPolicy}. In production requests carry a DefaultAzureCredential bearer token
 * (workload identity in AKS); against an {@code http://} endpoint (WireMock, an emulator) the token
 * policy is left out because azure-core refuses to send tokens over plain HTTP.
 */
public record AzureClients(ComputeManagementClient compute, NetworkManagementClient network) {

  public static AzureClients create(AzureSettings settings, Sleeper sleeper) {
    HttpClient http =
        new OkHttpAsyncHttpClientBuilder()
            .connectionTimeout(Duration.ofSeconds(10))
            .readTimeout(settings.httpTimeout())
            .responseTimeout(settings.httpTimeout())
            .build();
    List<HttpPipelinePolicy> policies = new ArrayList<>();
    policies.add(
        new ThrottlingRetryPolicy(
            settings.maxRetries(), settings.retryBaseDelay(), settings.retryMaxDelay(), sleeper));
    if (!settings.insecureEndpoint()) {
      TokenCredential credential =
          new DefaultAzureCredentialBuilder()
              .tenantId(settings.tenantId())
              .httpClient(http)
              .build();
      policies.add(
          new BearerTokenAuthenticationPolicy(credential, settings.armEndpoint() + "/.default"));
    }
    HttpPipeline pipeline =
        new HttpPipelineBuilder()
            .httpClient(http)
            .policies(policies.toArray(new HttpPipelinePolicy[0]))
            .build();
    AzureEnvironment environment = environment(settings.armEndpoint());
    ComputeManagementClient compute =
        new ComputeManagementClientBuilder()
            .pipeline(pipeline)
            .endpoint(settings.armEndpoint())
            .environment(environment)
            .subscriptionId(settings.subscriptionId())
            .defaultPollInterval(settings.pollInterval())
            .buildClient();
    NetworkManagementClient network =
        new NetworkManagementClientBuilder()
            .pipeline(pipeline)
            .endpoint(settings.armEndpoint())
            .environment(environment)
            .subscriptionId(settings.subscriptionId())
            .defaultPollInterval(settings.pollInterval())
            .buildClient();
    return new AzureClients(compute, network);
  }

  /** Azure's public cloud, with the resource manager pointed at {@code armEndpoint}. */
  static AzureEnvironment environment(String armEndpoint) {
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", armEndpoint + "/");
    return new AzureEnvironment(endpoints);
  }
}
