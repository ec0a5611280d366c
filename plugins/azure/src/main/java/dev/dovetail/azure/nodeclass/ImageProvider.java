package dev.dovetail.azure.nodeclass;

import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.fluent.models.CommunityGalleryImageVersionInner;
import dev.dovetail.azure.v1beta1.AKSNodeClassSpec.ImageFamily;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the latest AKS node image of an image family and architecture from the AKS community
 * galleries (upstream's image families), cached for an hour. A failed lookup throws: it is never
 * read as "no image".
 */
public final class ImageProvider {
  static final String UBUNTU_GALLERY = "AKSUbuntu-38d80f77-467a-481f-a8d4-09b6d4220bd2";
  static final String AZURE_LINUX_GALLERY = "AKSAzureLinux-f7c7cda5-1c9a-4bdc-a222-9614c968580b";
  static final Duration TTL = Duration.ofHours(1);

  private final ComputeManagementClient compute;
  private final String location;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(String id, Instant at) {}

  /** A gallery image definition. */
  public record Definition(String gallery, String image) {}

  public ImageProvider(ComputeManagementClient compute, String location, Clock clock) {
    this.compute = compute;
    this.location = location;
    this.clock = clock;
  }

  /** Upstream's gallery image of a family (gen2, containerd) for {@code amd64} or {@code arm64}. */
  public static Definition definition(ImageFamily family, String arch) {
    boolean arm = "arm64".equals(arch);
    ImageFamily f = family == null ? ImageFamily.Ubuntu : family;
    return switch (f) {
      case Ubuntu, Ubuntu2204 ->
          new Definition(UBUNTU_GALLERY, arm ? "2204gen2arm64containerd" : "2204gen2containerd");
      case Ubuntu2404 ->
          new Definition(UBUNTU_GALLERY, arm ? "2404gen2arm64containerd" : "2404gen2containerd");
      case AzureLinux -> new Definition(AZURE_LINUX_GALLERY, arm ? "V2gen2arm64" : "V2gen2");
    };
  }

  /** The community-gallery image version id to launch. */
  public String latest(ImageFamily family, String arch) {
    Definition d = definition(family, arch);
    String key = d.gallery() + "/" + d.image();
    Cached c = cache.get(key);
    if (c != null && clock.instant().isBefore(c.at().plus(TTL))) {
      return c.id();
    }
    CommunityGalleryImageVersionInner best =
        compute.getCommunityGalleryImageVersions().list(location, d.gallery(), d.image()).stream()
            .filter(v -> !Boolean.TRUE.equals(v.excludeFromLatest()))
            .max(
                Comparator.comparing(
                        (CommunityGalleryImageVersionInner v) ->
                            v.publishedDate() == null ? OffsetDateTime.MIN : v.publishedDate())
                    .thenComparing(v -> v.name() == null ? "" : v.name()))
            .orElseThrow(
                () -> new IllegalStateException("no image version of " + key + " in " + location));
    String id =
        "/CommunityGalleries/" + d.gallery() + "/images/" + d.image() + "/versions/" + best.name();
    cache.put(key, new Cached(id, clock.instant()));
    return id;
  }
}
