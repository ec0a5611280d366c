package dev.dovetail.simulate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Expands workloads into the pods their controllers would create, named as those controllers name
 * them: a Deployment's pods {@code <deployment>-<template-hash>-<suffix>} owned by its ReplicaSet,
 * a StatefulSet's {@code <name>-<ordinal>}, a Job's {@code parallelism} pods (no more than its
 * remaining completions), a CronJob's one run. Pods already in the files that a workload owns count
 * towards its replicas, so a {@code kubectl get all -o yaml} dump is not doubled.
 */
final class WorkloadPods {
  private WorkloadPods() {}

  static List<Pod> expand(Manifests m) {
    Map<String, Integer> existing = existingByOwner(m.pods());
    List<Pod> out = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      int replicas = replicas(d.getSpec().getReplicas());
      String hash = templateHash(d.getSpec().getTemplate());
      String rs = d.getMetadata().getName() + "-" + hash;
      int have = existing.getOrDefault(key(ns(d), "ReplicaSet", rs), 0);
      for (int i = have; i < replicas; i++) {
        Pod p =
            pod(
                d,
                d.getSpec().getTemplate(),
                rs + "-" + suffix(rs, i),
                owner("apps/v1", "ReplicaSet", rs));
        p.getMetadata().getLabels().put("pod-template-hash", hash);
        out.add(p);
      }
    }
    for (ReplicaSet r : m.replicaSets()) {
      if (ownedByDeployment(r, m)) {
        continue;
      }
      int replicas = replicas(r.getSpec().getReplicas());
      String name = r.getMetadata().getName();
      int have = existing.getOrDefault(key(ns(r), "ReplicaSet", name), 0);
      for (int i = have; i < replicas; i++) {
        out.add(
            pod(
                r,
                r.getSpec().getTemplate(),
                name + "-" + suffix(name, i),
                owner("apps/v1", "ReplicaSet", name)));
      }
    }
    for (StatefulSet s : m.statefulSets()) {
      int replicas = replicas(s.getSpec().getReplicas());
      String name = s.getMetadata().getName();
      for (int i = 0; i < replicas; i++) {
        String podName = name + "-" + i;
        if (m.pods().stream()
            .anyMatch(p -> podName.equals(p.getMetadata().getName()) && ns(s).equals(ns(p)))) {
          continue;
        }
        Pod p = pod(s, s.getSpec().getTemplate(), podName, owner("apps/v1", "StatefulSet", name));
        p.getMetadata().getLabels().put("statefulset.kubernetes.io/pod-name", podName);
        p.getSpec().setHostname(podName);
        p.getSpec().setSubdomain(s.getSpec().getServiceName());
        out.add(p);
      }
    }
    for (Job j : m.jobs()) {
      out.addAll(jobPods(j, j.getMetadata().getName(), j.getSpec(), existing));
    }
    for (CronJob c : m.cronJobs()) {
      // One run: the Job the next schedule would create.
      String job =
          c.getMetadata().getName()
              + "-"
              + Math.abs(c.getMetadata().getName().hashCode() % 100000000);
      Job j = new Job();
      j.setMetadata(new ObjectMeta());
      j.getMetadata().setName(job);
      j.getMetadata().setNamespace(ns(c));
      out.addAll(jobPods(j, job, c.getSpec().getJobTemplate().getSpec(), existing));
    }
    return out;
  }

  private static List<Pod> jobPods(
      HasMetadata owner, String name, JobSpec spec, Map<String, Integer> existing) {
    int parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
    int completions = spec.getCompletions() == null ? parallelism : spec.getCompletions();
    int want = Math.min(parallelism, completions);
    int have = existing.getOrDefault(key(ns(owner), "Job", name), 0);
    List<Pod> out = new ArrayList<>();
    for (int i = have; i < want; i++) {
      Pod p =
          pod(
              owner,
              spec.getTemplate(),
              name + "-" + suffix(name, i),
              owner("batch/v1", "Job", name));
      p.getMetadata().getLabels().put("job-name", name);
      out.add(p);
    }
    return out;
  }

  private static boolean ownedByDeployment(ReplicaSet r, Manifests m) {
    List<OwnerReference> refs = r.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream()
            .anyMatch(
                o ->
                    "Deployment".equals(o.getKind())
                        && m.deployments().stream()
                            .anyMatch(
                                d ->
                                    d.getMetadata().getName().equals(o.getName())
                                        && ns(d).equals(ns(r))));
  }

  private static Map<String, Integer> existingByOwner(List<Pod> pods) {
    Map<String, Integer> n = new HashMap<>();
    for (Pod p : pods) {
      List<OwnerReference> refs = p.getMetadata().getOwnerReferences();
      if (refs == null) {
        continue;
      }
      for (OwnerReference o : refs) {
        if (Boolean.TRUE.equals(o.getController())) {
          n.merge(key(ns(p), o.getKind(), o.getName()), 1, Integer::sum);
        }
      }
    }
    return n;
  }

  private static Pod pod(
      HasMetadata workload, PodTemplateSpec template, String name, OwnerReference owner) {
    Pod p = new Pod();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(ns(workload));
    ObjectMeta tm = template == null ? null : template.getMetadata();
    meta.setLabels(
        new LinkedHashMap<>(tm == null || tm.getLabels() == null ? Map.of() : tm.getLabels()));
    meta.setAnnotations(
        new LinkedHashMap<>(
            tm == null || tm.getAnnotations() == null ? Map.of() : tm.getAnnotations()));
    meta.setOwnerReferences(List.of(owner));
    meta.setUid(
        UUID.nameUUIDFromBytes((meta.getNamespace() + "/" + name).getBytes(StandardCharsets.UTF_8))
            .toString());
    p.setMetadata(meta);
    // Every pod of a workload gets its own copy of the template's spec: a later question (remove a
    // node, re-plan from scratch) changes one pod's nodeName without touching its siblings.
    PodSpec spec = template == null || template.getSpec() == null ? new PodSpec() : new PodSpec();
    if (template != null && template.getSpec() != null) {
      spec = template.getSpec().toBuilder().build();
    }
    p.setSpec(spec);
    p.setStatus(new PodStatusBuilder().withPhase("Pending").build());
    return p;
  }

  private static OwnerReference owner(String apiVersion, String kind, String name) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(name)
        .withController(true)
        .withUid(
            UUID.nameUUIDFromBytes((kind + "/" + name).getBytes(StandardCharsets.UTF_8)).toString())
        .build();
  }

  private static int replicas(Integer r) {
    return r == null ? 1 : Math.max(0, r);
  }

  static String ns(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? "default" : ns;
  }

  private static String key(String ns, String kind, String name) {
    return ns + "/" + kind + "/" + name;
  }

  /**
   * A stable 10-character hash of the template, as the Deployment controller's pod-template-hash.
   */
  private static String templateHash(PodTemplateSpec template) {
    int h = Serialization.asJson(template).hashCode();
    return base36(Integer.toUnsignedLong(h), 10);
  }

  private static String suffix(String base, int i) {
    return base36(Integer.toUnsignedLong((base + "#" + i).hashCode()), 5);
  }

  private static String base36(long v, int len) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      sb.append(alphabet.charAt((int) (v % alphabet.length())));
      v = v / alphabet.length() + 7919L * (i + 1);
    }
    return sb.toString();
  }
}
