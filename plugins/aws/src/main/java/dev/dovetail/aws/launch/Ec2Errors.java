package dev.dovetail.aws.launch;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The EC2 error code of a failed call, which tells "already there" or "gone" from a failure. */
final class Ec2Errors {
  private Ec2Errors() {}

  /** The error code, or null when the response carried none. */
  static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }
}
