package dev.dovetail.translate;

import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.TopologySelectorLabelRequirement;
import io.fabric8.kubernetes.api.model.TopologySelectorTerm;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link VolumeTopology} over lookups of PVCs, PVs and StorageClasses: a bound claim is pinned
 * where its PV's node affinity says; an unbound claim is limited to its StorageClass's
 * allowedTopologies.
 */
public final class VolumeTopologies implements VolumeTopology {
  private final Function<String, PersistentVolumeClaim> claims; // "ns/name" -> PVC
  private final Function<String, PersistentVolume> volumes; // name -> PV
  private final Function<String, StorageClass> classes; // name -> StorageClass

  public VolumeTopologies(
      Function<String, PersistentVolumeClaim> claims,
      Function<String, PersistentVolume> volumes,
      Function<String, StorageClass> classes) {
    this.claims = claims;
    this.volumes = volumes;
    this.classes = classes;
  }

  @Override
  public Requirements requirementsFor(String namespace, String claimName) {
    PersistentVolumeClaim pvc = claims.apply(namespace + "/" + claimName);
    if (pvc == null || pvc.getSpec() == null) {
      return Requirements.none();
    }
    String volumeName = pvc.getSpec().getVolumeName();
    if (volumeName != null && !volumeName.isEmpty()) {
      PersistentVolume pv = volumes.apply(volumeName);
      if (pv == null
          || pv.getSpec() == null
          || pv.getSpec().getNodeAffinity() == null
          || pv.getSpec().getNodeAffinity().getRequired() == null) {
        return Requirements.none();
      }
      List<Requirements> terms = new ArrayList<>();
      for (NodeSelectorTerm t :
          pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms()) {
        terms.add(Selectors.nodeSelectorTerm(t));
      }
      return union(terms);
    }
    String scName = pvc.getSpec().getStorageClassName();
    StorageClass sc = scName == null ? null : classes.apply(scName);
    if (sc == null || sc.getAllowedTopologies() == null || sc.getAllowedTopologies().isEmpty()) {
      return Requirements.none();
    }
    List<Requirements> terms = new ArrayList<>();
    for (TopologySelectorTerm t : sc.getAllowedTopologies()) {
      List<Requirement> rs = new ArrayList<>();
      if (t.getMatchLabelExpressions() != null) {
        for (TopologySelectorLabelRequirement e : t.getMatchLabelExpressions()) {
          rs.add(Requirement.in(e.getKey(), e.getValues()));
        }
      }
      terms.add(Requirements.of(rs));
    }
    return union(terms);
  }

  /**
   * ORed terms folded into one AND form: exact for the common case (every term an {@code In} on the
   * same keys, e.g. one zone per term); otherwise the first term, which is stricter but safe.
   */
  static Requirements union(List<Requirements> terms) {
    if (terms.isEmpty()) {
      return Requirements.none();
    }
    if (terms.size() == 1) {
      return terms.get(0);
    }
    Set<String> keys = terms.get(0).keys();
    Map<String, Set<String>> values = new LinkedHashMap<>();
    for (Requirements t : terms) {
      if (!t.keys().equals(keys)) {
        return terms.get(0);
      }
      for (Requirement r : t.all()) {
        if (r.complement() || (keys.size() > 1)) {
          return terms.get(0);
        }
        values.computeIfAbsent(r.key(), k -> new LinkedHashSet<>()).addAll(r.values());
      }
    }
    List<Requirement> rs = new ArrayList<>();
    values.forEach((k, v) -> rs.add(Requirement.in(k, v)));
    return Requirements.of(rs);
  }
}
