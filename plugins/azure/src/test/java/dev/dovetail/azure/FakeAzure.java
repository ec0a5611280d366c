package dev.dovetail.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.testkit.FakeCloudTransformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WireMock extension that plays Azure Resource Manager with state, so the real SDK clients run a
 * whole lifecycle over the wire: Resource SKUs, community-gallery image versions, subnets, NICs,
 * VMs (PUT answered 201 with an {@code Azure-AsyncOperation} URL the SDK polls) and disks. Faults:
 * capacity errors per offering (the VM is left in provisioningState Failed, as Azure does), and a
 * number of NIC deletes answered 500.
 */
public final class FakeAzure extends FakeCloudTransformer {
  public static final String NAME = "fake-azure";
  public static final String SUB = "00000000-0000-0000-0000-000000000001";
  public static final String RG = "MC_rg_demo_eastus";
  public static final String LOCATION = "eastus";
  public static final String SUBNET =
      "/subscriptions/"
          + SUB
          + "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes";
  public static final String IMAGE_VERSION = "202511.01.0";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RESOURCE =
      Pattern.compile(
          "^/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/(Microsoft\\.\\w+)/(\\w+)(?:/([^/?]+))?(?:/subnets/([^/?]+))?");

  private final Map<String, ObjectNode> vms = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> nics = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> disks = new ConcurrentHashMap<>();
  private final Map<String, String> operations = new ConcurrentHashMap<>();

  /** Offering -> the ARM error code its VM creates fail with. */
  private final Map<OfferingKey, String> faulted = new ConcurrentHashMap<>();

  private final AtomicInteger nicDeleteFailures = new AtomicInteger();
  private final AtomicInteger vmPuts = new AtomicInteger();
  private final AtomicInteger ops = new AtomicInteger();
  private volatile String imageVersion = IMAGE_VERSION;
  private volatile boolean subnetExists = true;

  public FakeAzure() {
    super(NAME);
  }

  public void reset() {
    vms.clear();
    nics.clear();
    disks.clear();
    operations.clear();
    faulted.clear();
    nicDeleteFailures.set(0);
    vmPuts.set(0);
    imageVersion = IMAGE_VERSION;
    subnetExists = true;
  }

  public void fault(OfferingKey key) {
    fault(key, "ZonalAllocationFailed");
  }

  /**
   * VM creates on this offering fail with {@code code} as Azure fails them: {@code SkuNotAvailable}
   * refuses the PUT at once (409); an allocation failure ({@code AllocationFailed}, {@code
   * ZonalAllocationFailed}, {@code OverconstrainedAllocationRequest}, ...) accepts it and ends the
   * async operation Failed, leaving the VM in provisioningState Failed.
   */
  public void fault(OfferingKey key, String code) {
    faulted.put(key, code);
  }

  public void failNicDeletes(int times) {
    nicDeleteFailures.set(times);
  }

  public void publishImage(String version) {
    imageVersion = version;
  }

  public void removeSubnet() {
    subnetExists = false;
  }

  public int vmPuts() {
    return vmPuts.get();
  }

  public Set<String> vmNames() {
    return Set.copyOf(vms.keySet());
  }

  public Set<String> nicNames() {
    return Set.copyOf(nics.keySet());
  }

  public Set<String> diskNames() {
    return Set.copyOf(disks.keySet());
  }

  public JsonNode vm(String name) {
    return vms.get(name);
  }

  public JsonNode nic(String name) {
    return nics.get(name);
  }

  /** Azure evicts a spot VM (eviction policy Delete): the VM and its disk go, the NIC stays. */
  public void evict(String name) {
    vms.remove(name);
    disks.remove(name + "-osdisk");
  }

  /** A VM record in provisioningState Failed, as a failed allocation leaves it. */
  public void putFailedVm(String name) {
    ObjectNode vm = JSON.createObjectNode();
    vm.put(
        "id",
        "/subscriptions/"
            + SUB
            + "/resourceGroups/"
            + RG
            + "/providers/Microsoft.Compute/virtualMachines/"
            + name);
    vm.put("name", name);
    vm.put("location", LOCATION);
    vm.with("properties").put("provisioningState", "Failed");
    vms.put(name, vm);
  }

  /** Sets a VM's tag (a test edits state Azure-side). */
  public void tagVm(String name, String key, String value) {
    ((ObjectNode) vms.get(name).with("tags")).put(key, value);
  }

  @Override
  protected ResponseDefinition answer(ServeEvent event) {
    Request req = event.getRequest();
    String path = req.getUrl().split("\\?")[0];
    String method = req.getMethod().getName();
    String base = req.getAbsoluteUrl().substring(0, req.getAbsoluteUrl().indexOf(req.getUrl()));
    try {
      if (path.startsWith("/operations/")) {
        String status = operations.getOrDefault(path, "{\"status\":\"Succeeded\"}");
        return ok(status);
      }
      if (path.endsWith("/providers/Microsoft.Compute/skus")) {
        return ok(skus());
      }
      if (path.contains("/communityGalleries/")) {
        return ok(imageVersions(path));
      }
      Matcher m = RESOURCE.matcher(path);
      if (!m.find()) {
        return error(404, "NotFound", "no route " + path);
      }
      String type = m.group(3);
      String name = m.group(4);
      return switch (type) {
        case "virtualMachines" -> vm(method, name, base, req);
        case "networkInterfaces" -> nic(method, m.group(1), name, req);
        case "disks" -> disk(method, name);
        case "virtualNetworks" ->
            subnetExists
                ? ok(
                    "{\"id\":\""
                        + SUBNET
                        + "\",\"name\":\"nodes\",\"properties\":{\"provisioningState\":\"Succeeded\"}}")
                : error(404, "NotFound", "subnet not found");
        default -> error(404, "NotFound", "no route " + path);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ResponseDefinition vm(String method, String name, String base, Request req)
      throws IOException {
    if (name == null) {
      ArrayNode value = JSON.createArrayNode();
      vms.values().forEach(value::add);
      return ok(JSON.createObjectNode().set("value", value).toString());
    }
    switch (method) {
      case "GET":
        ObjectNode vm = vms.get(name);
        return vm == null
            ? error(404, "ResourceNotFound", "VM " + name + " not found")
            : ok(vm.toString());
      case "DELETE":
        if (vms.remove(name) == null) {
          return new ResponseDefinitionBuilder().withStatus(204).build();
        }
        // OS disk and NIC have deleteOption Delete; the fake leaves the NIC to the explicit delete
        // so a failing NIC delete can be exercised, and removes the disk with the VM.
        disks.remove(name + "-osdisk");
        return new ResponseDefinitionBuilder().withStatus(200).build();
      case "PUT":
        vmPuts.incrementAndGet();
        ObjectNode body = (ObjectNode) JSON.readTree(req.getBodyAsString());
        body.put("id", req.getUrl().split("\\?")[0]);
        body.put("name", name);
        ObjectNode props = body.with("properties");
        String size = props.path("hardwareProfile").path("vmSize").asText();
        String zone = body.path("zones").path(0).asText("");
        String ct = "Spot".equals(props.path("priority").asText()) ? "spot" : "on-demand";
        OfferingKey key = new OfferingKey(size, zone.isEmpty() ? "0" : LOCATION + "-" + zone, ct);
        String opId = "/operations/op-" + ops.incrementAndGet();
        String failure = faulted.get(key);
        if ("SkuNotAvailable".equals(failure)) {
          return error(
              409,
              failure,
              "The requested VM size for resource 'Following SKUs have failed for Capacity"
                  + " Restrictions: "
                  + size
                  + "' is currently not available in location '"
                  + LOCATION
                  + "'. Please try another size or deploy to a different location or zones.");
        }
        if (failure != null) {
          props.put("provisioningState", "Failed");
          operations.put(
              opId,
              "{\"status\":\"Failed\",\"error\":{\"code\":\""
                  + failure
                  + "\",\"message\":\"Allocation failed. We do not have sufficient capacity for"
                  + " the requested VM size in this region.\"}}");
        } else {
          props.put("provisioningState", "Succeeded");
          props.put("timeCreated", Instant.now().toString());
          disks.put(name + "-osdisk", JSON.createObjectNode().put("name", name + "-osdisk"));
        }
        vms.put(name, body);
        return new ResponseDefinitionBuilder()
            .withStatus(201)
            .withHeader("Content-Type", "application/json")
            .withHeader("Azure-AsyncOperation", base + opId)
            .withBody(body.toString())
            .build();
      default:
        return error(405, "MethodNotAllowed", method);
    }
  }

  private ResponseDefinition nic(String method, String rg, String name, Request req)
      throws IOException {
    if (name == null) {
      ArrayNode value = JSON.createArrayNode();
      nics.values().forEach(value::add);
      return ok(JSON.createObjectNode().set("value", value).toString());
    }
    switch (method) {
      case "GET":
        ObjectNode nic = nics.get(name);
        return nic == null
            ? error(404, "NotFound", "NIC " + name + " not found")
            : ok(nic.toString());
      case "DELETE":
        if (nicDeleteFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          return error(500, "InternalServerError", "NIC delete failed");
        }
        return nics.remove(name) == null
            ? new ResponseDefinitionBuilder().withStatus(204).build()
            : new ResponseDefinitionBuilder().withStatus(200).build();
      case "PUT":
        ObjectNode body = (ObjectNode) JSON.readTree(req.getBodyAsString());
        body.put(
            "id",
            "/subscriptions/"
                + SUB
                + "/resourceGroups/"
                + rg
                + "/providers/Microsoft.Network/networkInterfaces/"
                + name);
        body.put("name", name);
        body.with("properties").put("provisioningState", "Succeeded");
        nics.put(name, body);
        return ok(body.toString());
      default:
        return error(405, "MethodNotAllowed", method);
    }
  }

  private ResponseDefinition disk(String method, String name) {
    if (method.equals("DELETE")) {
      return disks.remove(name) == null
          ? new ResponseDefinitionBuilder().withStatus(204).build()
          : new ResponseDefinitionBuilder().withStatus(200).build();
    }
    ObjectNode d = disks.get(name);
    return d == null ? error(404, "ResourceNotFound", "disk " + name) : ok(d.toString());
  }

  private String imageVersions(String path) {
    return "{\"value\":[{\"name\":\"202501.01.0\",\"location\":\"eastus\",\"properties\":{\"publishedDate\":\"2025-01-01T00:00:00Z\"}},"
        + "{\"name\":\""
        + imageVersion
        + "\",\"location\":\"eastus\",\"properties\":{\"publishedDate\":\"2025-11-01T00:00:00Z\"}},"
        + "{\"name\":\"209901.01.0\",\"location\":\"eastus\",\"properties\":{\"publishedDate\":\"2099-01-01T00:00:00Z\",\"excludeFromLatest\":true}}]}";
  }

  /** The SKUs this fake region offers: amd64, arm64, GPU, one not for us, one zone-restricted. */
  static String skus() {
    return "{\"value\":["
        + String.join(
            ",",
            List.of(
                sku("Standard_D2s_v5", 2, 8, 0, "x64", ""),
                sku("Standard_D4s_v5", 4, 16, 0, "x64", ""),
                sku("Standard_D2ps_v5", 2, 8, 0, "Arm64", ""),
                sku("Standard_NC6s_v3", 6, 112, 1, "x64", ""),
                sku(
                    "Standard_D8s_v5",
                    8,
                    32,
                    0,
                    "x64",
                    "{\"type\":\"Location\",\"values\":[\"eastus\"],\"restrictionInfo\":{\"locations\":[\"eastus\"]},\"reasonCode\":\"NotAvailableForSubscription\"}"),
                sku(
                    "Standard_E2s_v5",
                    2,
                    16,
                    0,
                    "x64",
                    "{\"type\":\"Zone\",\"values\":[\"eastus\"],\"restrictionInfo\":{\"locations\":[\"eastus\"],\"zones\":[\"3\"]},\"reasonCode\":\"NotAvailableForSubscription\"}"),
                "{\"resourceType\":\"disks\",\"name\":\"Premium_LRS\",\"locations\":[\"eastus\"]}"))
        + "]}";
  }

  private static String sku(
      String name, int cpu, int memGb, int gpus, String arch, String restriction) {
    return "{\"resourceType\":\"virtualMachines\",\"name\":\""
        + name
        + "\",\"tier\":\"Standard\",\"locations\":[\"eastus\"],\"locationInfo\":[{\"location\":\"eastus\",\"zones\":[\"1\",\"2\",\"3\"]}],"
        + "\"capabilities\":[{\"name\":\"vCPUs\",\"value\":\""
        + cpu
        + "\"},{\"name\":\"MemoryGB\",\"value\":\""
        + memGb
        + "\"},{\"name\":\"CpuArchitectureType\",\"value\":\""
        + arch
        + "\"},{\"name\":\"AcceleratedNetworkingEnabled\",\"value\":\"True\"},{\"name\":\"PremiumIO\",\"value\":\"True\"}"
        + (gpus > 0 ? ",{\"name\":\"GPUs\",\"value\":\"" + gpus + "\"}" : "")
        + "],\"restrictions\":["
        + restriction
        + "]}";
  }

  private static ResponseDefinition ok(String body) {
    return new ResponseDefinitionBuilder()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(body)
        .build();
  }

  static ResponseDefinition error(int status, String code, String message) {
    return new ResponseDefinitionBuilder()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-ms-error-code", code)
        .withBody("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}")
        .build();
  }
}
