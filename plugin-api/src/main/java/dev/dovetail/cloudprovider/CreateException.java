package dev.dovetail.cloudprovider;

/** A launch failed for another reason; {@code reason} is a CamelCase condition reason. */
public class CreateException extends CloudProviderException {
  private final String reason;

  public CreateException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public CreateException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
