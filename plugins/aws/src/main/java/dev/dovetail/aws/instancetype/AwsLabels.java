package dev.dovetail.aws.instancetype;

/** Upstream's {@code karpenter.k8s.aws/*} label keys and AWS extended resource names. */
public final class AwsLabels {
  private AwsLabels() {}

  public static final String PREFIX = "karpenter.k8s.aws/";
  public static final String INSTANCE_CATEGORY = PREFIX + "instance-category";
  public static final String INSTANCE_FAMILY = PREFIX + "instance-family";
  public static final String INSTANCE_GENERATION = PREFIX + "instance-generation";
  public static final String INSTANCE_SIZE = PREFIX + "instance-size";
  public static final String INSTANCE_CPU = PREFIX + "instance-cpu";
  public static final String INSTANCE_CPU_MANUFACTURER = PREFIX + "instance-cpu-manufacturer";
  public static final String INSTANCE_CPU_SUSTAINED_CLOCK_SPEED_MHZ =
      PREFIX + "instance-cpu-sustained-clock-speed-mhz";
  public static final String INSTANCE_MEMORY = PREFIX + "instance-memory";
  public static final String INSTANCE_EBS_BANDWIDTH = PREFIX + "instance-ebs-bandwidth";
  public static final String INSTANCE_NETWORK_BANDWIDTH = PREFIX + "instance-network-bandwidth";
  public static final String INSTANCE_GPU_NAME = PREFIX + "instance-gpu-name";
  public static final String INSTANCE_GPU_MANUFACTURER = PREFIX + "instance-gpu-manufacturer";
  public static final String INSTANCE_GPU_COUNT = PREFIX + "instance-gpu-count";
  public static final String INSTANCE_GPU_MEMORY = PREFIX + "instance-gpu-memory";
  public static final String INSTANCE_ACCELERATOR_NAME = PREFIX + "instance-accelerator-name";
  public static final String INSTANCE_ACCELERATOR_MANUFACTURER =
      PREFIX + "instance-accelerator-manufacturer";
  public static final String INSTANCE_ACCELERATOR_COUNT = PREFIX + "instance-accelerator-count";
  public static final String INSTANCE_HYPERVISOR = PREFIX + "instance-hypervisor";
  public static final String INSTANCE_ENCRYPTION_IN_TRANSIT_SUPPORTED =
      PREFIX + "instance-encryption-in-transit-supported";
  public static final String INSTANCE_LOCAL_NVME = PREFIX + "instance-local-nvme";
  public static final String INSTANCE_CAPABILITY_FLEX = PREFIX + "instance-capability-flex";
  public static final String EC2NODECLASS = PREFIX + "ec2nodeclass";
  public static final String CAPACITY_RESERVATION_ID = PREFIX + "capacity-reservation-id";
  public static final String CAPACITY_RESERVATION_TYPE = PREFIX + "capacity-reservation-type";
  public static final String ZONE_ID = "topology.k8s.aws/zone-id";

  public static final String NEURON = "aws.amazon.com/neuron";
  public static final String NEURON_CORE = "aws.amazon.com/neuroncore";
  public static final String EFA = "vpc.amazonaws.com/efa";
  public static final String HABANA_GAUDI = "habana.ai/gaudi";
}
