package dev.dovetail.gcp.nodeclass;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.compute.v1.Image;
import com.google.cloud.compute.v1.ImagesClient;
import dev.dovetail.gcp.Retrier;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.gcp.v1alpha1.ImageSelectorTerm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves a GCENodeClass's image selector terms to concrete images, one per architecture, in term
 * order (the first term that resolves an architecture wins).
 *
 * <p>Mapping (ours, on Google's public image projects; upstream resolves GKE's own node images for
 * the cluster's version, which needs a GKE control plane): {@code ContainerOptimizedOS} → {@code
 * cos-cloud} families {@code cos-stable}/{@code cos-arm64-stable} ({@code rapid}: {@code
 * cos-beta}), a pinned version {@code M.B.B.B} → image {@code cos-M-B-B-B}; {@code Ubuntu}, {@code
 * Ubuntu2404} → {@code ubuntu-os-cloud} families {@code ubuntu-2404-lts-amd64}/{@code -arm64},
 * {@code Ubuntu2204} → {@code ubuntu-2204-lts}/{@code ubuntu-2204-lts-arm64}; a pinned {@code
 * vYYYYMMDD} names the image; {@code id} is read as given. A 404 means "no such image for that
 * architecture"; any other API failure throws, so it is never read as "no images".
 */
public final class ImageResolver {
  public static final String COS_PROJECT = "cos-cloud";
  public static final String UBUNTU_PROJECT = "ubuntu-os-cloud";

  private final ImagesClient images;
  private final Retrier retrier;

  public ImageResolver(ImagesClient images, Retrier retrier) {
    this.images = images;
    this.retrier = retrier;
  }

  /** A resolved image: its path {@code projects/P/global/images/N} and architecture. */
  public record ResolvedImage(String sourceImage, String arch) {}

  /** Images by architecture ({@code amd64}, {@code arm64}); empty when no term resolves. */
  public Map<String, ResolvedImage> resolve(GCENodeClass nodeClass) {
    Map<String, ResolvedImage> byArch = new LinkedHashMap<>();
    List<ImageSelectorTerm> terms =
        nodeClass.getSpec() == null || nodeClass.getSpec().imageSelectorTerms == null
            ? List.of()
            : nodeClass.getSpec().imageSelectorTerms;
    for (ImageSelectorTerm term : terms) {
      for (Candidate c : candidates(term)) {
        if (byArch.containsKey(c.arch())) {
          continue;
        }
        Image image = lookup(c);
        if (image != null) {
          String arch = c.arch() != null ? c.arch() : archOf(image);
          byArch.putIfAbsent(
              arch,
              new ResolvedImage(
                  "projects/" + c.project() + "/global/images/" + image.getName(), arch));
        }
      }
    }
    return byArch;
  }

  /** One place to look: a family (latest image in it) or a named image, for an architecture. */
  record Candidate(String project, String family, String image, String arch) {}

  static List<Candidate> candidates(ImageSelectorTerm term) {
    List<Candidate> out = new ArrayList<>();
    if (term.id != null && !term.id.isBlank()) {
      String[] p = parseImagePath(term.id);
      out.add(new Candidate(p[0], null, p[1], null));
      return out;
    }
    String family;
    String version;
    String channel = term.channel == null ? null : term.channel.name().toLowerCase(Locale.ROOT);
    if (term.alias != null && !term.alias.isBlank()) {
      String[] fv = term.alias.split("@", 2);
      family = fv[0].equals("Ubuntu") ? "Ubuntu2404" : fv[0];
      version = fv.length > 1 ? fv[1] : "latest";
    } else if (term.family != null) {
      family = term.family.name();
      version = term.version == null ? "latest" : term.version;
    } else {
      return out;
    }
    switch (family) {
      case "ContainerOptimizedOS" -> {
        if (!"latest".equals(version) && term.channel == null) {
          String suffix = version.replace('.', '-');
          out.add(new Candidate(COS_PROJECT, null, "cos-" + suffix, "amd64"));
          out.add(new Candidate(COS_PROJECT, null, "cos-arm64-" + suffix, "arm64"));
        } else {
          String track = "rapid".equals(channel) ? "beta" : "stable";
          out.add(new Candidate(COS_PROJECT, "cos-" + track, null, "amd64"));
          out.add(new Candidate(COS_PROJECT, "cos-arm64-" + track, null, "arm64"));
        }
      }
      case "Ubuntu2404" -> {
        if ("latest".equals(version)) {
          out.add(new Candidate(UBUNTU_PROJECT, "ubuntu-2404-lts-amd64", null, "amd64"));
          out.add(new Candidate(UBUNTU_PROJECT, "ubuntu-2404-lts-arm64", null, "arm64"));
        } else {
          out.add(
              new Candidate(UBUNTU_PROJECT, null, "ubuntu-2404-noble-amd64-" + version, "amd64"));
          out.add(
              new Candidate(UBUNTU_PROJECT, null, "ubuntu-2404-noble-arm64-" + version, "arm64"));
        }
      }
      case "Ubuntu2204" -> {
        if ("latest".equals(version)) {
          out.add(new Candidate(UBUNTU_PROJECT, "ubuntu-2204-lts", null, "amd64"));
          out.add(new Candidate(UBUNTU_PROJECT, "ubuntu-2204-lts-arm64", null, "arm64"));
        } else {
          out.add(new Candidate(UBUNTU_PROJECT, null, "ubuntu-2204-jammy-" + version, "amd64"));
          out.add(
              new Candidate(UBUNTU_PROJECT, null, "ubuntu-2204-jammy-arm64-" + version, "arm64"));
        }
      }
      default -> {
        // an unknown family resolves nothing; the status says so
      }
    }
    return out;
  }

  /** {@code [project, image]} from {@code projects/P/global/images/N} or a full URL. */
  static String[] parseImagePath(String id) {
    String path = id;
    int at = path.indexOf("projects/");
    if (at >= 0) {
      path = path.substring(at);
    }
    String[] parts = path.split("/");
    if (parts.length == 5 && parts[0].equals("projects") && parts[3].equals("images")) {
      return new String[] {parts[1], parts[4]};
    }
    throw new IllegalArgumentException(
        "imageSelectorTerms id '" + id + "' is not projects/<project>/global/images/<name>");
  }

  private Image lookup(Candidate c) {
    try {
      return retrier.call(
          "images.get",
          () ->
              c.family() != null
                  ? images.getFromFamily(c.project(), c.family())
                  : images.get(c.project(), c.image()));
    } catch (ApiException e) {
      if (Retrier.httpStatus(e) == 404) {
        return null;
      }
      throw e;
    }
  }

  private static String archOf(Image image) {
    return "ARM64".equalsIgnoreCase(image.getArchitecture()) ? "arm64" : "amd64";
  }
}
