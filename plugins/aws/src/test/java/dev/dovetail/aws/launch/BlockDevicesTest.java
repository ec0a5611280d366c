package dev.dovetail.aws.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.BlockDeviceMapping;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;

class BlockDevicesTest {
  @Test
  void withoutMappingsEachFamilyGetsUpstreamsDefaultVolumes() {
    assertThat(BlockDevices.of(null, AmiFamily.AL2023))
        .extracting(LaunchTemplateBlockDeviceMappingRequest::deviceName)
        .containsExactly("/dev/xvda");
    assertThat(BlockDevices.of(null, AmiFamily.AL2023).get(0).ebs().volumeSize()).isEqualTo(20);
    List<LaunchTemplateBlockDeviceMappingRequest> bottlerocket =
        BlockDevices.of(null, AmiFamily.Bottlerocket);
    assertThat(bottlerocket)
        .extracting(LaunchTemplateBlockDeviceMappingRequest::deviceName)
        .containsExactly("/dev/xvda", "/dev/xvdb");
    assertThat(bottlerocket).extracting(b -> b.ebs().volumeSize()).containsExactly(4, 20);
    assertThat(BlockDevices.of(null, AmiFamily.Windows2022).get(0).ebs().volumeSize())
        .isEqualTo(50);
    assertThat(BlockDevices.of(null, AmiFamily.Custom)).isEmpty();
    var root = BlockDevices.of(null, AmiFamily.AL2023).get(0).ebs();
    assertThat(root.encrypted()).isTrue();
    assertThat(root.volumeTypeAsString()).isEqualTo("gp3");
    assertThat(root.deleteOnTermination()).isTrue();
  }

  @Test
  void declaredMappingsReplaceTheDefaultsAndRoundSizesUpToWholeGiB() {
    BlockDeviceMapping m = new BlockDeviceMapping();
    m.deviceName = "/dev/xvdz";
    m.ebs = new BlockDeviceMapping.BlockDevice();
    m.ebs.volumeSize = "100G"; // 93.1 GiB
    m.ebs.volumeType = "io2";
    m.ebs.iops = 3000L;
    m.ebs.deleteOnTermination = false;

    var out = BlockDevices.of(List.of(m), AmiFamily.Bottlerocket);

    assertThat(out).hasSize(1);
    assertThat(out.get(0).deviceName()).isEqualTo("/dev/xvdz");
    assertThat(out.get(0).ebs().volumeSize()).isEqualTo(94);
    assertThat(out.get(0).ebs().iops()).isEqualTo(3000);
    assertThat(out.get(0).ebs().volumeTypeAsString()).isEqualTo("io2");
    assertThat(out.get(0).ebs().deleteOnTermination()).isFalse();
  }

  @Test
  void aMappingWithoutEbsIsPassedOnWithoutAVolume() {
    BlockDeviceMapping m = new BlockDeviceMapping();
    m.deviceName = "/dev/sdb";
    assertThat(BlockDevices.of(List.of(m), AmiFamily.AL2023).get(0).ebs()).isNull();
  }
}
