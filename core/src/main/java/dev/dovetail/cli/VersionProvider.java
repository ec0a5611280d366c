package dev.dovetail.cli;

import dev.dovetail.cloudprovider.CloudProvider;
import picocli.CommandLine.IVersionProvider;

/** Prints the distribution version and the plugin API version plugins must be built against. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "dovetail " + (v == null ? "(development build)" : v),
      "plugin API " + CloudProvider.API_VERSION
    };
  }
}
