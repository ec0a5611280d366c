package dev.dovetail.scheduling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link ExchangePass} and the {@link RotationPass} may touch: the claims whose price a
 * move can be judged on (no minValues, no NodePool limit in play, hard and soft requirements alike,
 * a cheapest type known), each with its type mask, and their pods without host ports grouped by
 * exchange key (identical but for their requests, at the same relaxation step). A slot is {claim
 * index into {@code bins}, pod position on that claim}.
 */
record MovableSlots(List<ClaimBin> bins, List<long[]> masks, List<List<int[]>> groups) {

  static MovableSlots of(PlannedClaims claims) {
    List<ClaimBin> bins = new ArrayList<>();
    List<long[]> masks = new ArrayList<>();
    List<List<int[]>> groups = new ArrayList<>();
    Map<List<Object>, Integer> keys = new HashMap<>();
    Map<Long, Integer> keyOfVariant = new HashMap<>();
    for (ClaimBin c : claims.all()) {
      PoolState pool = c.pool;
      if ((pool.remaining != null && !c.coarse)
          || pool.hasMinValues
          || c.soft != c.hard
          || c.bits == null
          || c.cheapest < 0) {
        continue;
      }
      int ci = bins.size();
      bins.add(c);
      masks.add(pool.mask(c.soft));
      for (int k = 0; k < c.pods.size(); k++) {
        PodClass cls = c.podClasses.get(k);
        if (!cls.pod.hostPorts().isEmpty()) {
          continue;
        }
        PodClass.Variant v = c.podVariants.get(k);
        long vk = ((long) cls.id << 20) | v.step;
        Integer key = keyOfVariant.get(vk);
        if (key == null) {
          List<Object> full = List.of(PodClass.Key.of(cls.pod).withoutRequests(), v.step);
          key = keys.computeIfAbsent(full, x -> keys.size());
          keyOfVariant.put(vk, key);
        }
        while (groups.size() <= key) {
          groups.add(new ArrayList<>());
        }
        groups.get(key).add(new int[] {ci, k});
      }
    }
    return new MovableSlots(bins, masks, groups);
  }
}
