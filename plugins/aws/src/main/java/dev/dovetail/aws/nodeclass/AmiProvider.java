package dev.dovetail.aws.nodeclass;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.EC2NodeClassSpec;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.apis.v1.SelectorTerms;
import dev.dovetail.aws.cache.TtlCache;
import dev.dovetail.aws.instancetype.AwsLabels;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Resolves AMI selector terms. Aliases go through the SSM public parameters of the EKS-optimized
 * and Bottlerocket images, one per architecture and variant; the variant adds requirements that
 * DescribeImages cannot tell (nvidia needs a GPU, neuron an accelerator, standard neither). Other
 * terms go to DescribeImages. Per distinct requirement set the newest non-deprecated image wins, as
 * upstream; deprecated images are asked for too ({@code IncludeDeprecated}) so that a deprecated
 * image still serves when it is the only match (nodes keep launching, and the ones running do not
 * drift merely because their image was deprecated).
 */
public final class AmiProvider {
  /** An image and the nodes it serves. */
  public record ResolvedAmi(
      String id, String name, String creationDate, boolean deprecated, Requirements requirements) {}

  private record Candidate(String path, String arch, String variant) {}

  private static final Map<AmiFamily, String> WINDOWS_BUILDS =
      Map.of(
          AmiFamily.Windows2019, "10.0.17763",
          AmiFamily.Windows2022, "10.0.20348",
          AmiFamily.Windows2025, "10.0.26100");

  private final Ec2Client ec2;
  private final SsmClient ssm;
  private final java.util.function.Supplier<String> kubernetesVersion;
  private final TtlCache<String, Optional<String>> ssmCache;
  private final Clock clock;

  /**
   * @param kubernetesVersion the cluster's minor version ({@code 1.33}), from the setting or
   *     discovery; blank when unknown, which fails alias resolution with a message saying so
   */
  public AmiProvider(
      Ec2Client ec2,
      SsmClient ssm,
      java.util.function.Supplier<String> kubernetesVersion,
      Clock clock) {
    this.ec2 = ec2;
    this.ssm = ssm;
    this.kubernetesVersion = kubernetesVersion;
    this.ssmCache = new TtlCache<>(clock, Duration.ofHours(24));
    this.clock = clock;
  }

  public List<ResolvedAmi> list(EC2NodeClassSpec spec) {
    List<ResolvedAmi> found = new ArrayList<>();
    AmiFamily family = EC2NodeClassValidation.effectiveFamily(spec);
    for (SelectorTerms.AMISelectorTerm term :
        spec.amiSelectorTerms == null
            ? List.<SelectorTerms.AMISelectorTerm>of()
            : spec.amiSelectorTerms) {
      if (term.alias != null) {
        found.addAll(alias(term));
      } else if (term.ssmParameter != null) {
        parameter(term.ssmParameter)
            .ifPresent(id -> found.addAll(describe(List.of(id), List.of(), List.of(), family)));
      } else if (term.id != null) {
        found.addAll(describe(List.of(term.id), List.of(), List.of(), family));
      } else {
        List<Filter> filters = new ArrayList<>(Filters.tags(term.tags));
        if (term.name != null) {
          filters.add(Filters.of("name", term.name));
        }
        List<String> owners =
            term.owner != null
                ? List.of(term.owner)
                : term.name != null ? List.of("self", "amazon") : List.of();
        found.addAll(describe(List.of(), filters, owners, family));
      }
    }
    // Newest (non-deprecated first) per requirement set.
    found.sort(
        Comparator.comparing(ResolvedAmi::deprecated)
            .thenComparing(ResolvedAmi::creationDate, Comparator.reverseOrder())
            .thenComparing(ResolvedAmi::id));
    Map<Requirements, ResolvedAmi> newest = new LinkedHashMap<>();
    for (ResolvedAmi a : found) {
      newest.putIfAbsent(a.requirements(), a);
    }
    return new ArrayList<>(newest.values());
  }

  private List<ResolvedAmi> alias(SelectorTerms.AMISelectorTerm term) {
    AmiFamily family = AmiFamily.fromAlias(term.aliasFamily());
    String version = term.aliasVersion();
    String k8s = kubernetesVersion.get();
    if (k8s == null || k8s.isBlank()) {
      // An alias names images per Kubernetes version; guessing one would boot the wrong kubelet.
      throw new IllegalArgumentException(
          "the cluster's Kubernetes version is unknown: set provider setting kubernetesVersion"
              + " or allow eks:DescribeCluster");
    }
    List<Candidate> candidates = new ArrayList<>();
    if (family == AmiFamily.AL2023) {
      for (String arch : List.of("x86_64", "arm64")) {
        for (String variant :
            arch.equals("x86_64")
                ? List.of("standard", "nvidia", "neuron")
                : List.of("standard", "nvidia")) {
          String name =
              "latest".equals(version)
                  ? "recommended"
                  : "amazon-eks-node-al2023-" + arch + "-" + variant + "-" + k8s + "-" + version;
          candidates.add(
              new Candidate(
                  "/aws/service/eks/optimized-ami/"
                      + k8s
                      + "/amazon-linux-2023/"
                      + arch
                      + "/"
                      + variant
                      + "/"
                      + name
                      + "/image_id",
                  arch,
                  variant));
        }
      }
    } else if (family == AmiFamily.Bottlerocket) {
      String v = version.startsWith("v") ? version.substring(1) : version;
      for (String arch : List.of("x86_64", "arm64")) {
        candidates.add(
            new Candidate(
                "/aws/service/bottlerocket/aws-k8s-" + k8s + "/" + arch + "/" + v + "/image_id",
                arch,
                arch.equals("x86_64") ? "standard+neuron" : "standard"));
        candidates.add(
            new Candidate(
                "/aws/service/bottlerocket/aws-k8s-"
                    + k8s
                    + "-nvidia/"
                    + arch
                    + "/"
                    + v
                    + "/image_id",
                arch,
                "nvidia"));
      }
    } else if (family == AmiFamily.AL2) {
      if (minor(k8s) >= 33) {
        // EKS publishes no AL2 AMIs from 1.33 on; upstream refuses the alias there too.
        throw new IllegalArgumentException(
            "al2 aliases are not supported on Kubernetes " + k8s + " (no EKS AL2 AMIs from 1.33)");
      }
      String suffix = "latest".equals(version) ? "recommended" : null;
      candidates.add(
          new Candidate(
              "/aws/service/eks/optimized-ami/"
                  + k8s
                  + "/amazon-linux-2/"
                  + (suffix != null ? suffix : "amazon-eks-node-" + k8s + "-" + version)
                  + "/image_id",
              "x86_64",
              "standard"));
      candidates.add(
          new Candidate(
              "/aws/service/eks/optimized-ami/"
                  + k8s
                  + "/amazon-linux-2-arm64/"
                  + (suffix != null ? suffix : "amazon-eks-arm64-node-" + k8s + "-" + version)
                  + "/image_id",
              "arm64",
              "standard"));
      candidates.add(
          new Candidate(
              "/aws/service/eks/optimized-ami/"
                  + k8s
                  + "/amazon-linux-2-gpu/"
                  + (suffix != null ? suffix : "amazon-eks-gpu-node-" + k8s + "-" + version)
                  + "/image_id",
              "x86_64",
              "nvidia+neuron"));
    } else if (family != null && family.isWindows()) {
      String year = family.name().substring("Windows".length());
      candidates.add(
          new Candidate(
              "/aws/service/ami-windows-latest/Windows_Server-"
                  + year
                  + "-English-Core-EKS_Optimized-"
                  + k8s
                  + "/image_id",
              "x86_64",
              "windows:" + WINDOWS_BUILDS.get(family)));
    }
    Map<String, List<Requirements>> known = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      parameter(c.path())
          .ifPresent(
              id -> {
                for (String variant : c.variant().split("\\+")) {
                  known
                      .computeIfAbsent(id, k -> new ArrayList<>())
                      .add(variantRequirements(variant));
                }
              });
    }
    if (known.isEmpty()) {
      return List.of();
    }
    List<ResolvedAmi> out = new ArrayList<>();
    for (Image image :
        images(
            DescribeImagesRequest.builder()
                .imageIds(known.keySet())
                .filters(Filters.of("state", "available"))
                .includeDeprecated(true)
                .build())) {
      ResolvedAmi first = null;
      for (Requirements variant : known.getOrDefault(image.imageId(), List.of())) {
        first = resolved(image, archRequirements(image).and(variant));
        out.add(first);
      }
      if (first != null && first.deprecated() && "latest".equals(version)) {
        // A "latest" parameter still naming a deprecated image (a release pulled for a
        // regression) is read again at the next resolution instead of after a day, as upstream's
        // SSM invalidation controller does.
        for (Candidate c : candidates) {
          if (parameter(c.path()).filter(image.imageId()::equals).isPresent()) {
            ssmCache.invalidate(c.path());
          }
        }
      }
    }
    return out;
  }

  private static int minor(String version) {
    String[] parts = version.split("\\.");
    try {
      return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Requirements variantRequirements(String variant) {
    if (variant.startsWith("windows:")) {
      return Requirements.of(
          Requirement.in(WellKnownLabels.OS, "windows"),
          Requirement.in(WellKnownLabels.WINDOWS_BUILD, variant.substring("windows:".length())));
    }
    return switch (variant) {
      case "nvidia" -> Requirements.of(Requirement.exists(AwsLabels.INSTANCE_GPU_COUNT));
      case "neuron" -> Requirements.of(Requirement.exists(AwsLabels.INSTANCE_ACCELERATOR_COUNT));
      default ->
          Requirements.of(
              Requirement.doesNotExist(AwsLabels.INSTANCE_ACCELERATOR_COUNT),
              Requirement.doesNotExist(AwsLabels.INSTANCE_GPU_COUNT));
    };
  }

  private List<ResolvedAmi> describe(
      List<String> ids, List<Filter> filters, List<String> owners, AmiFamily family) {
    DescribeImagesRequest.Builder req = DescribeImagesRequest.builder();
    if (!ids.isEmpty()) {
      req.imageIds(ids);
    }
    // Only images that can launch (not pending, failed or disabled), as upstream asks.
    List<Filter> withState = new ArrayList<>(filters);
    withState.add(Filters.of("state", "available"));
    req.filters(withState);
    // Without it DescribeImages leaves deprecated images out of owner/filter queries, and a
    // NodeClass whose only image was deprecated would stop launching (upstream asks for them).
    req.includeDeprecated(true);
    if (!owners.isEmpty()) {
      req.owners(owners);
    }
    List<ResolvedAmi> out = new ArrayList<>();
    for (Image image : images(req.build())) {
      Requirements reqs = archRequirements(image);
      if (family != null && family.isWindows()) {
        reqs = reqs.and(variantRequirements("windows:" + WINDOWS_BUILDS.get(family)));
      }
      out.add(resolved(image, reqs));
    }
    return out;
  }

  private List<Image> images(DescribeImagesRequest request) {
    List<Image> out = new ArrayList<>();
    ec2.describeImagesPaginator(request).images().forEach(out::add);
    return out;
  }

  private static Requirements archRequirements(Image image) {
    String arch = "arm64".equals(image.architectureAsString()) ? "arm64" : "amd64";
    return Requirements.of(Requirement.in(WellKnownLabels.ARCH, arch));
  }

  private ResolvedAmi resolved(Image image, Requirements requirements) {
    // Deprecated from its deprecation time on (inclusive, as upstream), on the provider's clock.
    boolean deprecated =
        image.deprecationTime() != null
            && !java.time.Instant.parse(image.deprecationTime()).isAfter(clock.instant());
    return new ResolvedAmi(
        image.imageId(),
        image.name(),
        image.creationDate() == null ? "" : image.creationDate(),
        deprecated,
        requirements);
  }

  /** An SSM parameter's value (cached for a day), or empty when the parameter does not exist. */
  public Optional<String> parameter(String name) {
    return ssmCache.computeIfAbsent(
        name,
        n -> {
          try {
            return Optional.ofNullable(ssm.getParameter(r -> r.name(n)).parameter().value());
          } catch (ParameterNotFoundException e) {
            return Optional.empty();
          }
        });
  }

  public static EC2NodeClassStatus.Ami toStatus(ResolvedAmi ami) {
    EC2NodeClassStatus.Ami s = new EC2NodeClassStatus.Ami();
    s.id = ami.id();
    s.name = ami.name();
    s.deprecated = ami.deprecated() ? Boolean.TRUE : null;
    for (Requirement r : ami.requirements().all()) {
      for (Requirement.Expression e : r.toExpressions()) {
        s.requirements.add(new NodeSelectorRequirement(e.key(), e.operator().name(), e.values()));
      }
    }
    return s;
  }

  /** The requirements of a status AMI, back in SPI form. */
  public static Requirements requirementsOf(EC2NodeClassStatus.Ami ami) {
    List<Requirement> rs = new ArrayList<>();
    for (NodeSelectorRequirement r : ami.requirements) {
      rs.add(Requirement.of(r.getKey(), Operator.parse(r.getOperator()), r.getValues(), null));
    }
    return Requirements.of(rs);
  }
}
