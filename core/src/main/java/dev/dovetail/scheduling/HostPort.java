package dev.dovetail.scheduling;

/**
 * A host port a container binds. Two pods conflict on a node when protocol and port are equal and
 * their host IPs are equal or either is the wildcard ({@code 0.0.0.0} or empty).
 */
public record HostPort(String protocol, String hostIp, int port) {

  public HostPort {
    protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    hostIp = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
  }

  public static HostPort tcp(int port) {
    return new HostPort("TCP", "0.0.0.0", port);
  }

  public boolean conflictsWith(HostPort other) {
    if (port != other.port || !protocol.equals(other.protocol)) {
      return false;
    }
    return hostIp.equals(other.hostIp)
        || "0.0.0.0".equals(hostIp)
        || "0.0.0.0".equals(other.hostIp);
  }
}
