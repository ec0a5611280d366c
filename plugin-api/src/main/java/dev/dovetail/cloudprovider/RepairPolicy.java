package dev.dovetail.cloudprovider;

import java.time.Duration;

/**
 * A node condition that, held for {@code toleration}, means the node is unhealthy and should be
 * replaced (Karpenter's node repair).
 */
public record RepairPolicy(String conditionType, String conditionStatus, Duration toleration) {}
