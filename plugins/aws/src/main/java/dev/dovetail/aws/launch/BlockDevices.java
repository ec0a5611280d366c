package dev.dovetail.aws.launch;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.BlockDeviceMapping;
import dev.dovetail.cloudprovider.Quantities;
import dev.dovetail.cloudprovider.Resources;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;

/**
 * A launch template's volumes: the NodeClass's {@code blockDeviceMappings}, or upstream's defaults
 * for the AMI family when it declares none.
 */
final class BlockDevices {
  private BlockDevices() {}

  static List<LaunchTemplateBlockDeviceMappingRequest> of(
      List<BlockDeviceMapping> bdms, AmiFamily family) {
    List<BlockDeviceMapping> effective = bdms != null ? bdms : defaults(family);
    List<LaunchTemplateBlockDeviceMappingRequest> out = new ArrayList<>();
    for (BlockDeviceMapping m : effective) {
      LaunchTemplateBlockDeviceMappingRequest.Builder b =
          LaunchTemplateBlockDeviceMappingRequest.builder().deviceName(m.deviceName);
      if (m.ebs != null) {
        BlockDeviceMapping.BlockDevice e = m.ebs;
        b.ebs(
            x -> {
              x.deleteOnTermination(
                      e.deleteOnTermination == null ? Boolean.TRUE : e.deleteOnTermination)
                  .encrypted(e.encrypted)
                  .kmsKeyId(e.kmsKeyID)
                  .snapshotId(e.snapshotID)
                  .volumeType(e.volumeType);
              if (e.iops != null) {
                x.iops(e.iops.intValue());
              }
              if (e.throughput != null) {
                x.throughput(e.throughput.intValue());
              }
              if (e.volumeSize != null) {
                // EC2 takes whole GiB: a quantity such as 20G rounds up, never down.
                long bytes = Quantities.toCanonical(Resources.EPHEMERAL_STORAGE, e.volumeSize);
                x.volumeSize((int) Math.ceil(bytes / (double) (1L << 30)));
              }
              if (e.volumeInitializationRate != null) {
                x.volumeInitializationRate(e.volumeInitializationRate);
              }
            });
      }
      out.add(b.build());
    }
    return out;
  }

  /** Upstream's default volumes per family (Custom AMIs keep the AMI's own). */
  static List<BlockDeviceMapping> defaults(AmiFamily family) {
    return switch (family) {
      case Bottlerocket -> List.of(volume("/dev/xvda", "4Gi"), volume("/dev/xvdb", "20Gi"));
      case Windows2019, Windows2022, Windows2025 -> List.of(volume("/dev/sda1", "50Gi"));
      case Custom -> List.of();
      default -> List.of(volume("/dev/xvda", "20Gi"));
    };
  }

  private static BlockDeviceMapping volume(String device, String size) {
    BlockDeviceMapping m = new BlockDeviceMapping();
    m.deviceName = device;
    m.ebs = new BlockDeviceMapping.BlockDevice();
    m.ebs.encrypted = true;
    m.ebs.volumeSize = size;
    m.ebs.volumeType = "gp3";
    return m;
  }
}
