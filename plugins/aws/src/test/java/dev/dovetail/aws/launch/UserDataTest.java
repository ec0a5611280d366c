package dev.dovetail.aws.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.nodeclass.KubeletSettings;
import dev.dovetail.cloudprovider.NodeClassNotReadyException;
import dev.dovetail.cloudprovider.Taint;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserDataTest {
  private static final String CA = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==";

  private static UserData.Options options(String custom, Map<String, Object> kubelet, String cidr) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("karpenter.sh/nodepool", "default");
    labels.put("karpenter.sh/capacity-type", "spot");
    labels.put("team", "ml");
    return new UserData.Options(
        "demo",
        "https://ABCDEF.gr7.us-west-2.eks.amazonaws.com",
        CA,
        cidr,
        labels,
        List.of(
            new Taint("nvidia.com/gpu", "true", "NoSchedule"),
            new Taint("karpenter.sh/unregistered", "", "NoExecute")),
        KubeletSettings.from(kubelet),
        false,
        custom);
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  @Test
  void bottlerocketUserDataIsValidTomlAndMergesTheUsersSettings() throws Exception {
    String users =
        """
        # user settings
        [settings.kubernetes]
        kube-api-qps = 30
        max-pods = 58
        cluster-name = "should-be-overridden"

        [settings.kubernetes.node-labels]
        "team" = "from-user"
        "user-only" = "kept"

        [settings.host-containers.admin]
        enabled = true

        [settings.kernel.sysctl]
        "net.core.somaxconn" = "4096"
        """;
    Map<String, Object> kubelet =
        Map.of(
            "maxPods",
            110,
            "clusterDNS",
            List.of("10.100.0.10"),
            "kubeReserved",
            Map.of("cpu", "100m", "memory", "512Mi"),
            "evictionHard",
            Map.of("memory.available", "5%"));
    String toml = decode(UserData.build(AmiFamily.Bottlerocket, options(users, kubelet, null)));

    // An independent TOML parser reads it.
    JsonNode doc = new TomlMapper().readTree(toml);
    JsonNode k8s = doc.path("settings").path("kubernetes");
    assertThat(k8s.path("cluster-name").asText()).isEqualTo("demo");
    assertThat(k8s.path("api-server").asText())
        .isEqualTo("https://ABCDEF.gr7.us-west-2.eks.amazonaws.com");
    assertThat(k8s.path("cluster-certificate").asText()).isEqualTo(CA);
    assertThat(k8s.path("max-pods").asInt()).isEqualTo(110); // ours win on the keys we set
    assertThat(k8s.path("kube-api-qps").asInt()).isEqualTo(30); // theirs kept otherwise
    assertThat(k8s.path("cluster-dns-ip").asText()).isEqualTo("10.100.0.10");
    assertThat(k8s.path("kube-reserved").path("memory").asText()).isEqualTo("512Mi");
    assertThat(k8s.path("eviction-hard").path("memory.available").asText()).isEqualTo("5%");
    assertThat(k8s.path("node-labels").path("karpenter.sh/nodepool").asText()).isEqualTo("default");
    assertThat(k8s.path("node-labels").path("team").asText()).isEqualTo("ml");
    assertThat(k8s.path("node-labels").path("user-only").asText()).isEqualTo("kept");
    assertThat(k8s.path("node-taints").path("nvidia.com/gpu").get(0).asText())
        .isEqualTo("true:NoSchedule");
    assertThat(k8s.path("node-taints").path("karpenter.sh/unregistered").get(0).asText())
        .isEqualTo(":NoExecute");
    assertThat(
            doc.path("settings").path("host-containers").path("admin").path("enabled").asBoolean())
        .isTrue();
    assertThat(
            doc.path("settings").path("kernel").path("sysctl").path("net.core.somaxconn").asText())
        .isEqualTo("4096");
  }

  @Test
  void bottlerocketRaid0AddsTheEphemeralStorageBootstrapCommand() throws Exception {
    UserData.Options o = options(null, Map.of(), null);
    UserData.Options raid =
        new UserData.Options(
            o.clusterName(),
            o.clusterEndpoint(),
            o.caBundle(),
            o.clusterCidr(),
            o.labels(),
            o.taints(),
            o.kubelet(),
            true,
            null);
    JsonNode doc = new TomlMapper().readTree(decode(UserData.build(AmiFamily.Bottlerocket, raid)));
    JsonNode cmd =
        doc.path("settings").path("bootstrap-commands").path("000-mount-instance-storage");
    assertThat(cmd.path("essential").asBoolean()).isTrue();
    assertThat(cmd.path("mode").asText()).isEqualTo("always");
    assertThat(cmd.path("commands").get(0).toString())
        .isEqualTo("[\"apiclient\",\"ephemeral-storage\",\"init\"]");
  }

  @Test
  void invalidBottlerocketUserDataIsRefused() {
    assertThatThrownBy(
            () ->
                UserData.build(
                    AmiFamily.Bottlerocket,
                    options("[settings.kubernetes\nfoo = ", Map.of(), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid TOML");
  }

  @Test
  @SuppressWarnings("unchecked")
  void al2023IsAMimeArchiveWithTheUsersPartsFirstAndOurNodeConfigLast() {
    String users =
        """
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="BOUNDARY"

        --BOUNDARY
        Content-Type: application/node.eks.aws

        apiVersion: node.eks.aws/v1alpha1
        kind: NodeConfig
        spec:
          kubelet:
            config:
              shutdownGracePeriod: 30s
        --BOUNDARY
        Content-Type: text/x-shellscript; charset="us-ascii"

        #!/bin/bash
        echo "hello from the user"
        --BOUNDARY--
        """;
    String mime =
        decode(
            UserData.build(
                AmiFamily.AL2023,
                options(
                    users,
                    Map.of("maxPods", 110, "imageGCHighThresholdPercent", 85),
                    "10.100.0.0/16")));
    List<Mime.Part> parts = Mime.parse(mime);
    assertThat(parts)
        .extracting(Mime.Part::contentType)
        .containsExactly(
            "application/node.eks.aws",
            "text/x-shellscript; charset=\"us-ascii\"",
            "application/node.eks.aws");
    assertThat(parts.get(0).content()).contains("shutdownGracePeriod: 30s");
    assertThat(parts.get(1).content()).contains("echo \"hello from the user\"");
    Map<String, Object> nodeConfig = Serialization.unmarshal(parts.get(2).content(), Map.class);
    assertThat(nodeConfig)
        .containsEntry("kind", "NodeConfig")
        .containsEntry("apiVersion", "node.eks.aws/v1alpha1");
    Map<String, Object> spec = (Map<String, Object>) nodeConfig.get("spec");
    Map<String, Object> cluster = (Map<String, Object>) spec.get("cluster");
    assertThat(cluster)
        .containsEntry("name", "demo")
        .containsEntry("cidr", "10.100.0.0/16")
        .containsEntry("certificateAuthority", CA);
    Map<String, Object> kubelet = (Map<String, Object>) spec.get("kubelet");
    Map<String, Object> config = (Map<String, Object>) kubelet.get("config");
    assertThat(config)
        .containsEntry("maxPods", 110)
        .containsEntry("imageGCHighThresholdPercent", 85);
    assertThat((List<Object>) config.get("registerWithTaints")).hasSize(2);
    assertThat((List<String>) kubelet.get("flags"))
        .singleElement()
        .asString()
        .startsWith("--node-labels=")
        .contains("karpenter.sh/nodepool=default")
        .contains("team=ml");
  }

  @Test
  void al2023WrapsAPlainUserScriptAndNeedsTheServiceCidr() {
    String mime =
        decode(
            UserData.build(
                AmiFamily.AL2023, options("#!/bin/bash\necho hi\n", Map.of(), "10.100.0.0/16")));
    assertThat(Mime.parse(mime))
        .extracting(Mime.Part::contentType)
        .containsExactly(Mime.SHELL, Mime.NODE_CONFIG);
    assertThatThrownBy(() -> UserData.build(AmiFamily.AL2023, options(null, Map.of(), "")))
        .isInstanceOf(NodeClassNotReadyException.class)
        .hasMessageContaining("clusterCIDR");
  }

  @Test
  void al2BootstrapsWithBootstrapShAfterTheUsersScript() {
    String mime =
        decode(
            UserData.build(
                AmiFamily.AL2, options("#!/bin/bash\necho pre\n", Map.of("maxPods", 29), null)));
    List<Mime.Part> parts = Mime.parse(mime);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).content()).contains("echo pre");
    assertThat(parts.get(1).content())
        .contains("/etc/eks/bootstrap.sh 'demo'")
        .contains("--b64-cluster-ca '" + CA + "'")
        .contains(
            "--register-with-taints=nvidia.com/gpu=true:NoSchedule,karpenter.sh/unregistered:NoExecute")
        .contains("--max-pods=29");
  }

  @Test
  void windowsRunsTheUsersPowershellThenTheEksBootstrap() {
    String ps =
        decode(
            UserData.build(
                AmiFamily.Windows2022,
                options("<powershell>\nWrite-Host 'user'\n</powershell>", Map.of(), null)));
    assertThat(ps).startsWith("<powershell>").endsWith("</powershell>");
    assertThat(ps.indexOf("Write-Host 'user'")).isLessThan(ps.indexOf("Start-EKSBootstrap.ps1"));
    assertThat(ps)
        .contains("-EKSClusterName 'demo'")
        .contains("-Base64ClusterCA '" + CA + "'")
        .contains("--node-labels=");
    assertThat(ps.split("<powershell>", -1)).hasSize(2);
  }

  @Test
  void customPassesUserDataThrough() {
    assertThat(decode(UserData.build(AmiFamily.Custom, options("anything at all", Map.of(), null))))
        .isEqualTo("anything at all");
  }

  @Test
  void labelsKubeletWouldRefuseAreLeftOutOfBootstrap() {
    assertThat(UserData.kubeletMaySet("node-role.kubernetes.io/worker")).isFalse();
    assertThat(UserData.kubeletMaySet("example.k8s.io/x")).isFalse();
    assertThat(UserData.kubeletMaySet("node.kubernetes.io/instance-type")).isTrue();
    assertThat(UserData.kubeletMaySet("topology.kubernetes.io/zone")).isTrue();
    assertThat(UserData.kubeletMaySet("foo.node.kubernetes.io/bar")).isTrue();
    assertThat(UserData.kubeletMaySet("karpenter.sh/nodepool")).isTrue();
    assertThat(UserData.kubeletMaySet("team")).isTrue();
    UserData.Options o = options(null, Map.of(), "10.100.0.0/16");
    Map<String, String> labels = new LinkedHashMap<>(o.labels());
    labels.put("node-role.kubernetes.io/worker", "");
    UserData.Options withRole =
        new UserData.Options(
            o.clusterName(),
            o.clusterEndpoint(),
            o.caBundle(),
            o.clusterCidr(),
            labels,
            o.taints(),
            o.kubelet(),
            false,
            null);
    assertThat(decode(UserData.build(AmiFamily.AL2023, withRole)))
        .contains("team=ml")
        .doesNotContain("node-role.kubernetes.io");
  }

  @Test
  void bottlerocketCarriesTheSoftEvictionGracePeriods() throws Exception {
    Map<String, Object> kubelet = new LinkedHashMap<>();
    kubelet.put("evictionSoft", Map.of("memory.available", "500Mi"));
    kubelet.put("evictionSoftGracePeriod", Map.of("memory.available", "1m30s"));
    kubelet.put("evictionMaxPodGracePeriod", 60);
    JsonNode k8s =
        new TomlMapper()
            .readTree(decode(UserData.build(AmiFamily.Bottlerocket, options(null, kubelet, null))))
            .path("settings")
            .path("kubernetes");
    assertThat(k8s.path("eviction-soft").path("memory.available").asText()).isEqualTo("500Mi");
    assertThat(k8s.path("eviction-soft-grace-period").path("memory.available").asText())
        .isEqualTo("1m30s");
    assertThat(k8s.path("eviction-max-pod-grace-period").asInt()).isEqualTo(60);
  }

  @Test
  void al2AndWindowsPassTheKubeletSettingsAsExtraFlags() {
    Map<String, Object> kubelet = new LinkedHashMap<>();
    kubelet.put("podsPerCore", 4);
    kubelet.put("systemReserved", Map.of("memory", "100Mi", "cpu", "100m"));
    kubelet.put("kubeReserved", Map.of("cpu", "200m"));
    kubelet.put("evictionHard", Map.of("memory.available", "5%"));
    kubelet.put("evictionSoft", Map.of("memory.available", "10%"));
    kubelet.put("evictionSoftGracePeriod", Map.of("memory.available", "2m"));
    kubelet.put("evictionMaxPodGracePeriod", 30);
    kubelet.put("imageGCHighThresholdPercent", 85);
    kubelet.put("imageGCLowThresholdPercent", 80);
    kubelet.put("cpuCFSQuota", false);
    List<String> expected =
        List.of(
            "--pods-per-core=4",
            "--system-reserved=\"cpu=100m,memory=100Mi\"",
            "--kube-reserved=\"cpu=200m\"",
            "--eviction-hard=\"memory.available<5%\"",
            "--eviction-soft=\"memory.available<10%\"",
            "--eviction-soft-grace-period=\"memory.available=2m\"",
            "--eviction-max-pod-grace-period=30",
            "--image-gc-high-threshold=85",
            "--image-gc-low-threshold=80",
            "--cpu-cfs-quota=false");

    String al2 = decode(UserData.build(AmiFamily.AL2, options(null, kubelet, null)));
    String extra = al2.substring(al2.indexOf("--kubelet-extra-args '"));
    assertThat(extra).contains(expected.toArray(new String[0]));
    String windows = decode(UserData.build(AmiFamily.Windows2022, options(null, kubelet, null)));
    String wExtra = windows.substring(windows.indexOf("-KubeletExtraArgs '"));
    assertThat(wExtra).contains(expected.toArray(new String[0]));
  }
}
