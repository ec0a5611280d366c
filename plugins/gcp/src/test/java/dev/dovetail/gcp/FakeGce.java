package dev.dovetail.gcp;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.google.cloud.compute.v1.Accelerators;
import com.google.cloud.compute.v1.Error;
import com.google.cloud.compute.v1.Errors;
import com.google.cloud.compute.v1.Image;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.MachineType;
import com.google.cloud.compute.v1.Operation;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.FakeCloudTransformer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WireMock extension that plays the Compute Engine REST API with state, so the real
 * google-cloud-compute clients run whole lifecycles over HTTP: regions, aggregated machine types,
 * image families, instances (insert → zone operation → get/list/delete) and preemption operations,
 * with injectable faults (stockouts, quota, throttling, failing operation polls).
 */
public final class FakeGce extends FakeCloudTransformer {
  public static final String NAME = "fake-gce";
  public static final String PROJECT = "test-project";
  public static final String REGION = "us-central1";
  public static final List<String> ZONES =
      List.of("us-central1-a", "us-central1-b", "us-central1-c");
  public static final String COS_AMD64 = "cos-121-18867-90-38";
  public static final String COS_ARM64 = "cos-arm64-121-18867-90-38";

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final Pattern PATH =
      Pattern.compile("^/compute/v1/projects/([^/]+)/(.*?)(\\?.*)?$");

  private final Map<String, Instance> instances = new ConcurrentHashMap<>(); // zone/name
  private final Map<String, Operation> operations = new ConcurrentHashMap<>(); // zone/op
  private final Map<String, Operation> preempted = new ConcurrentHashMap<>(); // zone/op
  private final Map<String, Image> families = new ConcurrentHashMap<>(); // project/family
  private final Map<String, Image> images = new ConcurrentHashMap<>(); // project/name
  private final Set<OfferingKey> stockouts = ConcurrentHashMap.newKeySet();
  private final Set<OfferingKey> quota = ConcurrentHashMap.newKeySet();
  private final Set<OfferingKey> quotaInOperation = ConcurrentHashMap.newKeySet();
  private final Set<OfferingKey> operationErrors = ConcurrentHashMap.newKeySet();
  private final AtomicInteger throttleInserts = new AtomicInteger();
  private final AtomicInteger throttleReads = new AtomicInteger();
  private final AtomicInteger failPolls = new AtomicInteger();
  private final AtomicInteger failMachineTypes = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger(1000);
  private final List<Instance> inserted = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicInteger deletes = new AtomicInteger();
  private volatile List<MachineType> machineTypes = defaultMachineTypes();

  // ------------------------------------------------------------------ set-up and faults

  public synchronized void reset() {
    instances.clear();
    operations.clear();
    preempted.clear();
    stockouts.clear();
    quota.clear();
    quotaInOperation.clear();
    operationErrors.clear();
    throttleInserts.set(0);
    throttleReads.set(0);
    failPolls.set(0);
    failMachineTypes.set(0);
    inserted.clear();
    deletes.set(0);
    machineTypes = defaultMachineTypes();
    families.clear();
    images.clear();
    family("cos-cloud", "cos-stable", COS_AMD64, "X86_64");
    family("cos-cloud", "cos-arm64-stable", COS_ARM64, "ARM64");
  }

  public FakeGce() {
    super(NAME);
    reset();
  }

  public void family(String project, String family, String image, String arch) {
    Image i = Image.newBuilder().setName(image).setFamily(family).setArchitecture(arch).build();
    families.put(project + "/" + family, i);
    images.put(project + "/" + image, i);
  }

  public void removeFamily(String project, String family) {
    families.remove(project + "/" + family);
  }

  /** The insert operation fails with ZONE_RESOURCE_POOL_EXHAUSTED for this offering. */
  public void stockout(OfferingKey key) {
    stockouts.add(key);
  }

  /** The insert call itself is refused with 403 QUOTA_EXCEEDED for this offering. */
  public void quotaExceeded(OfferingKey key) {
    quota.add(key);
  }

  /**
   * The insert is accepted and its operation ends with {@code QUOTA_EXCEEDED} (a regional CPU
   * quota), no instance left behind, as GCE reports a quota hit found after validation.
   */
  public void quotaExceededInOperation(OfferingKey key) {
    quotaInOperation.add(key);
  }

  /** The insert is accepted, the instance created, and the operation then ends with an error. */
  public void operationError(OfferingKey key) {
    operationErrors.add(key);
  }

  public void throttleInserts(int times) {
    throttleInserts.set(times);
  }

  public void throttleReads(int times) {
    throttleReads.set(times);
  }

  /** The next {@code times} operation polls answer 500. */
  public void failPolls(int times) {
    failPolls.set(times);
  }

  public void failMachineTypes(int times) {
    failMachineTypes.set(times);
  }

  public void machineTypes(List<MachineType> types) {
    machineTypes = List.copyOf(types);
  }

  /** GCE preempts the instance: a {@code compute.instances.preempted} operation, instance gone. */
  public void preempt(String zone, String name) {
    String op = "operation-preempt-" + ids.incrementAndGet();
    preempted.put(
        zone + "/" + op,
        Operation.newBuilder()
            .setName(op)
            .setId(ids.get())
            .setOperationType("compute.instances.preempted")
            .setStatus(Operation.Status.DONE)
            .setZone(zoneUrl(zone))
            .setTargetLink(zoneUrl(zone) + "/instances/" + name)
            .build());
    instances.remove(zone + "/" + name);
  }

  public List<Instance> inserted() {
    return List.copyOf(inserted);
  }

  public Map<String, Instance> instances() {
    return Map.copyOf(instances);
  }

  public int deletes() {
    return deletes.get();
  }

  /** Puts an instance as if created outside this test's provider. */
  public void put(String zone, Instance instance) {
    instances.put(zone + "/" + instance.getName(), instance);
  }

  /** Marks an existing instance RUNNING with this status (e.g. STOPPING). */
  public void setStatus(String zone, String name, String status) {
    instances.computeIfPresent(
        zone + "/" + name, (k, i) -> i.toBuilder().setStatus(status).build());
  }

  // ------------------------------------------------------------------ fixtures

  public static MachineType machineType(
      String name, int cpus, int memoryMb, String arch, String gpu, int gpus) {
    MachineType.Builder b =
        MachineType.newBuilder()
            .setName(name)
            .setGuestCpus(cpus)
            .setMemoryMb(memoryMb)
            .setArchitecture(arch)
            .setIsSharedCpu(name.equals("e2-medium"));
    if (gpu != null) {
      b.addAccelerators(
          Accelerators.newBuilder().setGuestAcceleratorType(gpu).setGuestAcceleratorCount(gpus));
    }
    return b.build();
  }

  static List<MachineType> defaultMachineTypes() {
    return List.of(
        machineType("e2-standard-2", 2, 8192, "X86_64", null, 0),
        machineType("e2-standard-4", 4, 16384, "X86_64", null, 0),
        machineType("n2-standard-4", 4, 16384, "X86_64", null, 0),
        machineType("n2-standard-8", 8, 32768, "X86_64", null, 0),
        machineType("t2a-standard-4", 4, 16384, "ARM64", null, 0),
        machineType("g2-standard-4", 4, 16384, "X86_64", "nvidia-l4", 1),
        machineType("a2-highgpu-2g", 24, 174080, "X86_64", "nvidia-tesla-a100", 2));
  }

  // ------------------------------------------------------------------ routing

  @Override
  protected synchronized ResponseDefinition answer(ServeEvent event) {
    String method = event.getRequest().getMethod().getName();
    String url = event.getRequest().getUrl();
    Matcher m = PATH.matcher(url);
    if (!m.matches()) {
      return error(404, "notFound", "no route " + url);
    }
    String project = m.group(1);
    String[] p = m.group(2).split("/");
    String query = m.group(3) == null ? "" : m.group(3).substring(1);
    if (method.equals("GET") && throttleReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return error(429, "rateLimitExceeded", "Rate Limit Exceeded");
    }
    if (p.length == 2 && p[0].equals("regions") && method.equals("GET")) {
      StringBuilder zones = new StringBuilder();
      for (String z : ZONES) {
        zones.append(zones.length() == 0 ? "" : ",").append('"').append(zoneUrl(z)).append('"');
      }
      return ok("{\"name\":\"" + p[1] + "\",\"zones\":[" + zones + "]}");
    }
    if (p.length == 2 && p[0].equals("aggregated") && p[1].equals("machineTypes")) {
      if (failMachineTypes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return error(500, "backendError", "internal error");
      }
      return aggregated(
          "machineTypes",
          zonesWithOtherRegion(),
          z ->
              new ArrayList<>(
                  machineTypes.stream().map(mt -> mt.toBuilder().setZone(z).build()).toList()));
    }
    if (p.length == 2 && p[0].equals("aggregated") && p[1].equals("instances")) {
      Map<String, String> filter = labelFilter(query);
      return aggregated(
          "instances",
          ZONES,
          z -> {
            List<Message> out = new ArrayList<>();
            instances.forEach(
                (k, i) -> {
                  if (k.startsWith(z + "/")
                      && filter.entrySet().stream()
                          .allMatch(e -> e.getValue().equals(i.getLabelsMap().get(e.getKey())))) {
                    out.add(i);
                  }
                });
            return out;
          });
    }
    if (p.length == 4 && p[0].equals("global") && p[1].equals("images") && p[2].equals("family")) {
      Image i = families.get(project + "/" + p[3]);
      return i == null ? error(404, "notFound", "family " + p[3] + " not found") : ok(json(i));
    }
    if (p.length == 3 && p[0].equals("global") && p[1].equals("images")) {
      Image i = images.get(project + "/" + p[2]);
      return i == null ? error(404, "notFound", "image " + p[2] + " not found") : ok(json(i));
    }
    if (p.length >= 3 && p[0].equals("zones")) {
      String zone = p[1];
      if (p[2].equals("instances")) {
        if (p.length == 3 && method.equals("POST")) {
          return insert(zone, event.getRequest().getBodyAsString());
        }
        if (p.length == 4 && method.equals("GET")) {
          Instance i = instances.get(zone + "/" + p[3]);
          return i == null
              ? error(404, "notFound", "instance " + p[3] + " not found")
              : ok(json(i));
        }
        if (p.length == 4 && method.equals("DELETE")) {
          deletes.incrementAndGet();
          Instance i = instances.remove(zone + "/" + p[3]);
          if (i == null) {
            return error(404, "notFound", "The resource 'instances/" + p[3] + "' was not found");
          }
          return ok(json(operation(zone, "delete", p[3], Operation.Status.DONE, null)));
        }
      }
      if (p[2].equals("operations")) {
        if (p.length == 3) {
          List<String> ops = new ArrayList<>();
          preempted.forEach(
              (k, op) -> {
                if (k.startsWith(zone + "/")) {
                  ops.add(json(op));
                }
              });
          return ok("{\"items\":[" + String.join(",", ops) + "]}");
        }
        if (failPolls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          return error(500, "backendError", "internal error");
        }
        Operation op = operations.get(zone + "/" + p[3]);
        if (op == null) {
          return error(404, "notFound", "operation " + p[3] + " not found");
        }
        return ok(json(op));
      }
    }
    return error(404, "notFound", "no route " + method + " " + url);
  }

  private ResponseDefinition insert(String zone, String body) {
    Instance.Builder b = Instance.newBuilder();
    try {
      PARSER.merge(body, b);
    } catch (InvalidProtocolBufferException e) {
      return error(400, "invalid", e.getMessage());
    }
    String type = b.getMachineType().substring(b.getMachineType().lastIndexOf('/') + 1);
    String capacityType =
        "SPOT".equals(b.getScheduling().getProvisioningModel())
            ? WellKnownLabels.CAPACITY_TYPE_SPOT
            : WellKnownLabels.CAPACITY_TYPE_ON_DEMAND;
    OfferingKey key = new OfferingKey(type, zone, capacityType);
    if (throttleInserts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return error(429, "rateLimitExceeded", "Rate Limit Exceeded");
    }
    inserted.add(b.build());
    if (quota.contains(key)) {
      return error(
          403, "quotaExceeded", "Quota 'CPUS' exceeded.  Limit: 24.0 in region " + REGION + ".");
    }
    if (instances.containsKey(zone + "/" + b.getName())) {
      return error(
          409, "alreadyExists", "The resource 'instances/" + b.getName() + "' already exists");
    }
    if (quotaInOperation.contains(key)) {
      return ok(
          json(
              operation(
                  zone,
                  "insert",
                  b.getName(),
                  Operation.Status.DONE,
                  Errors.newBuilder()
                      .setCode("QUOTA_EXCEEDED")
                      .setMessage("Quota 'CPUS' exceeded.  Limit: 24.0 in region " + REGION + ".")
                      .build())));
    }
    if (stockouts.contains(key)) {
      return ok(
          json(
              operation(
                  zone,
                  "insert",
                  b.getName(),
                  Operation.Status.DONE,
                  Errors.newBuilder()
                      .setCode("ZONE_RESOURCE_POOL_EXHAUSTED")
                      .setMessage(
                          "The zone '"
                              + zoneUrl(zone)
                              + "' does not have enough resources"
                              + " available to fulfill the request.")
                      .build())));
    }
    Instance created =
        b.setId(ids.incrementAndGet())
            .setZone(zoneUrl(zone))
            .setMachineType(zoneUrl(zone) + "/machineTypes/" + type)
            .setStatus("RUNNING")
            .setCreationTimestamp("2025-11-20T12:00:00.000-08:00")
            .setSelfLink(zoneUrl(zone) + "/instances/" + b.getName())
            .build();
    instances.put(zone + "/" + b.getName(), created);
    Operation pending = operation(zone, "insert", b.getName(), Operation.Status.RUNNING, null);
    Errors failure =
        operationErrors.contains(key)
            ? Errors.newBuilder()
                .setCode("RESOURCE_OPERATION_RATE_EXCEEDED")
                .setMessage("boom")
                .build()
            : null;
    operations.put(
        zone + "/" + pending.getName(),
        pending.toBuilder()
            .setStatus(Operation.Status.DONE)
            .mergeFrom(failure == null ? Operation.getDefaultInstance() : withError(failure))
            .build());
    return ok(json(pending));
  }

  private Operation withError(Errors e) {
    return Operation.newBuilder().setError(Error.newBuilder().addErrors(e)).build();
  }

  private Operation operation(
      String zone, String type, String target, Operation.Status status, Errors error) {
    String name = "operation-" + ids.incrementAndGet();
    Operation.Builder op =
        Operation.newBuilder()
            .setName(name)
            .setId(ids.get())
            .setOperationType(type)
            .setStatus(status)
            .setZone(zoneUrl(zone))
            .setTargetLink(zoneUrl(zone) + "/instances/" + target);
    if (error != null) {
      op.setError(Error.newBuilder().addErrors(error));
    }
    Operation built = op.build();
    operations.put(zone + "/" + name, built);
    return built;
  }

  // ------------------------------------------------------------------ helpers

  static String zoneUrl(String zone) {
    return "https://www.googleapis.com/compute/v1/projects/" + PROJECT + "/zones/" + zone;
  }

  private static List<String> zonesWithOtherRegion() {
    List<String> z = new ArrayList<>(ZONES);
    z.add("europe-west1-b"); // another region's zone: must be ignored
    return z;
  }

  private ResponseDefinition aggregated(
      String field,
      List<String> zones,
      java.util.function.Function<String, List<? extends Message>> items) {
    StringBuilder sb = new StringBuilder("{\"items\":{");
    boolean first = true;
    for (String z : zones) {
      List<String> parts = items.apply(z).stream().map(FakeGce::json).toList();
      sb.append(first ? "" : ",")
          .append("\"zones/")
          .append(z)
          .append("\":{\"")
          .append(field)
          .append("\":[")
          .append(String.join(",", parts))
          .append("]}");
      first = false;
    }
    return ok(sb.append("}}").toString());
  }

  /** {@code labels.k = v} terms of a list filter. */
  static Map<String, String> labelFilter(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : query.split("&")) {
      if (kv.startsWith("filter=")) {
        String f = URLDecoder.decode(kv.substring(7), StandardCharsets.UTF_8);
        Matcher m =
            Pattern.compile("labels\\.([a-z0-9_-]+)\\s*=\\s*\"?([a-z0-9_-]+)\"?").matcher(f);
        while (m.find()) {
          out.put(m.group(1), m.group(2));
        }
      }
    }
    return out;
  }

  static String json(Message m) {
    try {
      return PRINTER.print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ResponseDefinition ok(String body) {
    return ResponseDefinitionBuilder.responseDefinition()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(body)
        .build();
  }

  static ResponseDefinition error(int status, String reason, String message) {
    String body =
        "{\"error\":{\"code\":"
            + status
            + ",\"message\":\""
            + message.replace("\"", "'")
            + "\",\"errors\":[{\"message\":\""
            + message.replace("\"", "'")
            + "\",\"domain\":\"global\",\"reason\":\""
            + reason
            + "\"}]}}";
    return ResponseDefinitionBuilder.responseDefinition()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body)
        .build();
  }
}
