package dev.dovetail.cloudprovider;

/**
 * Receives interruption events a provider observes (spot warnings, maintenance, stop/terminate).
 */
@FunctionalInterface
public interface InterruptionListener {
  void onInterruption(InterruptionEvent event);

  InterruptionListener IGNORE = event -> {};
}
