package dev.dovetail.gcp;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.compute.v1.ImagesClient;
import com.google.cloud.compute.v1.ImagesSettings;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.compute.v1.MachineTypesClient;
import com.google.cloud.compute.v1.MachineTypesSettings;
import com.google.cloud.compute.v1.RegionsClient;
import com.google.cloud.compute.v1.RegionsSettings;
import com.google.cloud.compute.v1.ZoneOperationsClient;
import com.google.cloud.compute.v1.ZoneOperationsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The Compute Engine REST clients the plugin uses, built once. With an endpoint override (tests:
 * WireMock) they send no credentials; otherwise they use Application Default Credentials (workload
 * identity on GKE, a key file via GOOGLE_APPLICATION_CREDENTIALS elsewhere).
 *
 * <p>Each call is one attempt bounded by the request timeout: the plugin's own {@link Retrier}
 * decides about 429/503, so the two retry layers do not multiply.
 */
public final class GceClients implements AutoCloseable {
  private final InstancesClient instances;
  private final MachineTypesClient machineTypes;
  private final ZoneOperationsClient zoneOperations;
  private final RegionsClient regions;
  private final ImagesClient images;

  public GceClients(GcpSettings s) {
    try {
      var credentials =
          s.endpoint().isBlank()
              ? FixedCredentialsProvider.create(
                  GoogleCredentials.getApplicationDefault()
                      .createScoped(List.of("https://www.googleapis.com/auth/compute")))
              : NoCredentialsProvider.create();
      RetrySettings once =
          RetrySettings.newBuilder()
              .setMaxAttempts(1)
              .setTotalTimeoutDuration(s.requestTimeout())
              .setInitialRpcTimeoutDuration(s.requestTimeout())
              .setMaxRpcTimeoutDuration(s.requestTimeout())
              .build();
      InstancesSettings.Builder ib = InstancesSettings.newBuilder();
      MachineTypesSettings.Builder mb = MachineTypesSettings.newBuilder();
      ZoneOperationsSettings.Builder ob = ZoneOperationsSettings.newBuilder();
      RegionsSettings.Builder rb = RegionsSettings.newBuilder();
      ImagesSettings.Builder gb = ImagesSettings.newBuilder();
      if (!s.endpoint().isBlank()) {
        ib.setEndpoint(s.endpoint());
        mb.setEndpoint(s.endpoint());
        ob.setEndpoint(s.endpoint());
        rb.setEndpoint(s.endpoint());
        gb.setEndpoint(s.endpoint());
      }
      ib.setCredentialsProvider(credentials).applyToAllUnaryMethods(b -> setOnce(b, once));
      mb.setCredentialsProvider(credentials).applyToAllUnaryMethods(b -> setOnce(b, once));
      ob.setCredentialsProvider(credentials).applyToAllUnaryMethods(b -> setOnce(b, once));
      rb.setCredentialsProvider(credentials).applyToAllUnaryMethods(b -> setOnce(b, once));
      gb.setCredentialsProvider(credentials).applyToAllUnaryMethods(b -> setOnce(b, once));
      this.instances = InstancesClient.create(ib.build());
      this.machineTypes = MachineTypesClient.create(mb.build());
      this.zoneOperations = ZoneOperationsClient.create(ob.build());
      this.regions = RegionsClient.create(rb.build());
      this.images = ImagesClient.create(gb.build());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create Compute Engine clients (Application Default Credentials?): "
              + e.getMessage(),
          e);
    }
  }

  private static Void setOnce(UnaryCallSettings.Builder<?, ?> b, RetrySettings once) {
    b.setRetrySettings(once);
    b.setRetryableCodes(java.util.Set.of());
    return null;
  }

  public InstancesClient instances() {
    return instances;
  }

  public MachineTypesClient machineTypes() {
    return machineTypes;
  }

  public ZoneOperationsClient zoneOperations() {
    return zoneOperations;
  }

  public RegionsClient regions() {
    return regions;
  }

  public ImagesClient images() {
    return images;
  }

  @Override
  public void close() {
    instances.close();
    machineTypes.close();
    zoneOperations.close();
    regions.close();
    images.close();
  }
}
