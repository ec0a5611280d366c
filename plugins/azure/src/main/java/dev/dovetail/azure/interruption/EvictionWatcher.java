package dev.dovetail.azure.interruption;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.VirtualMachinePriorityTypes;
import dev.dovetail.azure.launch.ProviderIds;
import dev.dovetail.azure.launch.VmProvider;
import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.InterruptionListener;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Surfaces spot evictions as SPI interruption events. Azure evicts a spot VM with eviction policy
 * Delete by deleting it; Scheduled Events only reach the node itself. So each poll lists this
 * cluster's VMs and reports a spot VM that is being deleted ({@code provisioningState: Deleting})
 * or has vanished since the last poll, unless Dovetail deleted it. An event the core did not accept
 * (the listener threw) is reported again on the next poll.
 */
public final class EvictionWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(EvictionWatcher.class);

  private final VmProvider vms;
  private final Predicate<String> deletedByUs;
  private final java.util.function.Consumer<String> forget;
  private final InterruptionListener listener;
  private Map<String, VirtualMachineInner> lastSpot = Map.of();
  private final Set<String> reported = new HashSet<>();
  private final Map<String, InterruptionEvent> pending = new HashMap<>();

  public EvictionWatcher(VmProvider vms, InterruptionListener listener) {
    this.vms = vms;
    this.deletedByUs = vms::deletedByUs;
    this.forget = vms::forgetDeleted;
    this.listener = listener;
  }

  /** One poll; returns the events the core accepted. */
  public synchronized List<InterruptionEvent> poll() {
    Map<String, VirtualMachineInner> spot = new HashMap<>();
    for (VirtualMachineInner vm : vms.listOwned()) {
      if (VirtualMachinePriorityTypes.SPOT.equals(vm.priority()) && vm.id() != null) {
        spot.put(ProviderIds.fromResourceId(vm.id()), vm);
      }
    }
    for (Map.Entry<String, VirtualMachineInner> e : spot.entrySet()) {
      if ("Deleting".equals(e.getValue().provisioningState())) {
        maybeReport(e.getKey(), "Azure is evicting spot VM " + e.getValue().name());
      }
    }
    for (String gone : lastSpot.keySet()) {
      if (!spot.containsKey(gone)) {
        if (deletedByUs.test(name(gone))) {
          forget.accept(name(gone));
          continue;
        }
        maybeReport(gone, "spot VM " + name(gone) + " was evicted (deleted by Azure)");
      }
    }
    lastSpot = spot;
    List<InterruptionEvent> accepted = new java.util.ArrayList<>();
    for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
      InterruptionEvent event = it.next().getValue();
      try {
        listener.onInterruption(event);
        accepted.add(event);
        it.remove();
      } catch (RuntimeException e) {
        LOG.warn(
            "azure: interruption of {} not recorded yet: {}", event.providerId(), e.toString());
      }
    }
    return accepted;
  }

  private void maybeReport(String providerId, String message) {
    if (deletedByUs.test(name(providerId)) || !reported.add(providerId)) {
      return;
    }
    pending.put(
        providerId,
        new InterruptionEvent(InterruptionEvent.Kind.SPOT_INTERRUPTION, providerId, null, message));
  }

  private static String name(String providerId) {
    return providerId.substring(providerId.lastIndexOf('/') + 1);
  }
}
