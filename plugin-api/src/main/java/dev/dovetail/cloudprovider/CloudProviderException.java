package dev.dovetail.cloudprovider;

/** Base of the typed errors a provider reports. */
public class CloudProviderException extends RuntimeException {
  public CloudProviderException(String message) {
    super(message);
  }

  public CloudProviderException(String message, Throwable cause) {
    super(message, cause);
  }
}
