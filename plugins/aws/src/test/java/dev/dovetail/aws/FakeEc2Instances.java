package dev.dovetail.aws;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.testkit.FakeCloudTransformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.CreateFleetError;
import software.amazon.awssdk.services.ec2.model.CreateFleetInstance;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesResponse;

/**
 * A WireMock extension that keeps EC2 instance state, so a whole create/get/list/delete lifecycle
 * runs over the wire: CreateFleet launches the first override not faulted (honouring the client
 * token), DescribeInstances answers by id or by tag/state filters, TerminateInstances terminates.
 * Everything else (subnets, images, launch templates, ...) stays plain stubs.
 */
public final class FakeEc2Instances extends FakeCloudTransformer {
  public static final String NAME = "fake-ec2-instances";
  private static final Pattern OVERRIDE =
      Pattern.compile("LaunchTemplateConfigs\\.(\\d+)\\.Overrides\\.(\\d+)\\.InstanceType");

  private final Map<String, Instance> instances = new ConcurrentHashMap<>();
  private final Map<String, String> byToken = new ConcurrentHashMap<>();
  private final Set<OfferingKey> faulted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();

  public FakeEc2Instances() {
    super(NAME);
  }

  public void fault(OfferingKey key) {
    faulted.add(key);
  }

  public void reset() {
    instances.clear();
    byToken.clear();
    faulted.clear();
  }

  @Override
  protected synchronized ResponseDefinition answer(ServeEvent event) {
    Map<String, String> form = AwsWireMockTestBase.form(event.getRequest().getBodyAsString());
    String body =
        switch (form.get("Action")) {
          case "CreateFleet" -> createFleet(form);
          case "DescribeInstances" -> describe(form);
          case "TerminateInstances" -> terminate(form);
          default -> null;
        };
    if (body == null) {
      return ResponseDefinitionBuilder.responseDefinition()
          .withStatus(400)
          .withBody(Ec2Xml.error("InvalidInstanceID.NotFound", "The instance ID does not exist"))
          .build();
    }
    return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withBody(body).build();
  }

  private String createFleet(Map<String, String> form) {
    String token = form.get("ClientToken");
    String capacityType = form.get("TargetCapacitySpecification.DefaultTargetCapacityType");
    List<Tag> tags = new ArrayList<>();
    for (int n = 1; form.containsKey("TagSpecification." + n + ".ResourceType"); n++) {
      if ("instance".equals(form.get("TagSpecification." + n + ".ResourceType"))) {
        for (int t = 1; form.containsKey("TagSpecification." + n + ".Tag." + t + ".Key"); t++) {
          tags.add(
              Tag.builder()
                  .key(form.get("TagSpecification." + n + ".Tag." + t + ".Key"))
                  .value(form.get("TagSpecification." + n + ".Tag." + t + ".Value"))
                  .build());
        }
      }
    }
    List<CreateFleetError> errors = new ArrayList<>();
    Map<String, String[]> overrides = new LinkedHashMap<>();
    form.keySet().stream()
        .sorted()
        .forEach(
            k -> {
              Matcher m = OVERRIDE.matcher(k);
              if (m.matches()) {
                String p = "LaunchTemplateConfigs." + m.group(1) + ".Overrides." + m.group(2) + ".";
                overrides.put(
                    p,
                    new String[] {
                      form.get(k), form.get(p + "SubnetId"), form.get(p + "AvailabilityZone")
                    });
              }
            });
    String existing = token == null ? null : byToken.get(token);
    Instance launched = existing == null ? null : instances.get(existing);
    if (launched == null) {
      for (String[] o : overrides.values()) {
        if (faulted.contains(new OfferingKey(o[0], o[2], capacityType))) {
          errors.add(
              CreateFleetError.builder()
                  .errorCode("InsufficientInstanceCapacity")
                  .errorMessage(
                      "We currently do not have sufficient "
                          + o[0]
                          + " capacity in the Availability Zone you requested ("
                          + o[2]
                          + ").")
                  .lifecycle(capacityType)
                  .launchTemplateAndOverrides(
                      l ->
                          l.overrides(
                              x -> x.instanceType(o[0]).subnetId(o[1]).availabilityZone(o[2])))
                  .build());
          continue;
        }
        String id = String.format("i-0fa%014x", ids.incrementAndGet());
        Instance.Builder b =
            Instance.builder()
                .instanceId(id)
                .instanceType(o[0])
                .imageId(AwsFixtures.AMI_X86)
                .architecture(o[0].contains("g.") || o[0].startsWith("c6g") ? "arm64" : "x86_64")
                .placement(p -> p.availabilityZone(o[2]).tenancy("default"))
                .subnetId(o[1])
                .state(s -> s.name("running").code(16))
                .launchTime(Instant.parse("2025-11-20T12:00:00Z"))
                .securityGroups(
                    g -> g.groupId("sg-0123456789abcdef0").groupName("eks-cluster-sg-demo"))
                .tags(tags);
        if ("spot".equals(capacityType)) {
          b.instanceLifecycle("spot");
        }
        launched = b.build();
        instances.put(id, launched);
        if (token != null) {
          byToken.put(token, id);
        }
        break;
      }
    }
    List<CreateFleetInstance> out = new ArrayList<>();
    if (launched != null) {
      Instance i = launched;
      out.add(
          CreateFleetInstance.builder()
              .instanceIds(i.instanceId())
              .instanceType(i.instanceTypeAsString())
              .lifecycle(capacityType)
              .launchTemplateAndOverrides(
                  l ->
                      l.overrides(
                          x ->
                              x.instanceType(i.instanceTypeAsString())
                                  .subnetId(i.subnetId())
                                  .availabilityZone(i.placement().availabilityZone())))
              .build());
    }
    return Ec2Xml.response(
        "CreateFleet",
        CreateFleetResponse.builder().fleetId("fleet-0fake").instances(out).errors(errors).build());
  }

  private String describe(Map<String, String> form) {
    List<Instance> matched = new ArrayList<>();
    String id = form.get("InstanceId.1");
    if (id != null) {
      Instance i = instances.get(id);
      if (i == null) {
        return null;
      }
      matched.add(i);
    } else {
      for (Instance i : instances.values()) {
        if (matches(i, form)) {
          matched.add(i);
        }
      }
    }
    DescribeInstancesResponse.Builder r = DescribeInstancesResponse.builder();
    if (!matched.isEmpty()) {
      r.reservations(
          Reservation.builder()
              .reservationId("r-0fake")
              .ownerId("123456789012")
              .instances(matched)
              .build());
    }
    return Ec2Xml.response("DescribeInstances", r.build());
  }

  private static boolean matches(Instance i, Map<String, String> form) {
    for (int n = 1; form.containsKey("Filter." + n + ".Name"); n++) {
      String name = form.get("Filter." + n + ".Name");
      List<String> values = new ArrayList<>();
      for (int v = 1; form.containsKey("Filter." + n + ".Value." + v); v++) {
        values.add(form.get("Filter." + n + ".Value." + v));
      }
      boolean ok;
      if (name.startsWith("tag:")) {
        String key = name.substring(4);
        ok = i.tags().stream().anyMatch(t -> t.key().equals(key) && values.contains(t.value()));
      } else if (name.equals("tag-key")) {
        ok = i.tags().stream().anyMatch(t -> values.contains(t.key()));
      } else if (name.equals("instance-state-name")) {
        ok = values.contains(i.state().nameAsString());
      } else {
        ok = true;
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private String terminate(Map<String, String> form) {
    String id = form.get("InstanceId.1");
    Instance i = instances.get(id);
    if (i == null) {
      return null;
    }
    instances.put(id, i.toBuilder().state(s -> s.name("terminated").code(48)).build());
    return Ec2Xml.response(
        "TerminateInstances",
        TerminateInstancesResponse.builder()
            .terminatingInstances(
                t ->
                    t.instanceId(id)
                        .currentState(s -> s.name("shutting-down").code(32))
                        .previousState(s -> s.name(i.state().nameAsString()).code(16)))
            .build());
  }
}
