package dev.dovetail.azure;

import dev.dovetail.azure.arm.AzureClients;
import dev.dovetail.azure.arm.Sleeper;
import dev.dovetail.azure.instancetype.InstanceTypeProvider;
import dev.dovetail.azure.launch.Drift;
import dev.dovetail.azure.launch.Launcher;
import dev.dovetail.azure.launch.VmProvider;
import dev.dovetail.azure.nodeclass.ImageProvider;
import dev.dovetail.azure.nodeclass.NodeClassStatusResolver;
import dev.dovetail.azure.options.AzureSettings;
import dev.dovetail.azure.pricing.PricingProvider;
import dev.dovetail.azure.pricing.RetailPricesClient;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import java.time.Clock;

/** The provider's components, wired once at start. */
public record AzureProviderCore(
    AzureSettings settings,
    AzureClients clients,
    PricingProvider pricing,
    InstanceTypeProvider instanceTypes,
    ImageProvider images,
    VmProvider vms,
    Launcher launcher,
    Drift drift,
    NodeClassStatusResolver statusResolver) {

  static AzureProviderCore create(AzureSettings settings, Clock clock, Sleeper sleeper) {
    AzureClients clients = AzureClients.create(settings, sleeper);
    PricingProvider pricing =
        new PricingProvider(
            new RetailPricesClient(settings.pricingEndpoint()), settings.location());
    UnavailableOfferings unavailable = new UnavailableOfferings(clock);
    InstanceTypeProvider types =
        new InstanceTypeProvider(
            clients.compute(), settings.location(), pricing, unavailable, clock);
    ImageProvider images = new ImageProvider(clients.compute(), settings.location(), clock);
    VmProvider vms = new VmProvider(clients, settings, types);
    Launcher launcher = new Launcher(settings, vms, types, images, unavailable);
    Drift drift = new Drift(settings, vms, images);
    NodeClassStatusResolver status = new NodeClassStatusResolver(clients, settings, images);
    return new AzureProviderCore(
        settings, clients, pricing, types, images, vms, launcher, drift, status);
  }
}
