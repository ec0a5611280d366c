package dev.dovetail.aws.autoscaling;

import dev.dovetail.cloudprovider.CloudProviderException;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * MetricsProducer queue type {@code AWSSQSQueue}: the queue's {@code ApproximateNumberOfMessages}.
 * The id is the queue's ARN ({@code arn:aws:sqs:REGION:ACCOUNT:NAME}, resolved with {@code
 * GetQueueUrl}) or its URL.
 */
public final class SqsQueueLength {
  public static final String TYPE = "AWSSQSQueue";

  private final SqsClient sqs;

  public SqsQueueLength(SqsClient sqs) {
    this.sqs = sqs;
  }

  public long length(String id) {
    String url = url(id);
    Map<QueueAttributeName, String> attributes;
    try {
      attributes =
          sqs.getQueueAttributes(
                  r ->
                      r.queueUrl(url)
                          .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
              .attributes();
    } catch (SdkException e) {
      throw new CloudProviderException(
          "reading the length of SQS queue " + id + ": " + e.getMessage(), e);
    }
    String value = attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    if (value == null) {
      throw new CloudProviderException(
          "SQS queue " + id + " reported no ApproximateNumberOfMessages");
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new CloudProviderException(
          "SQS queue " + id + " reported ApproximateNumberOfMessages=" + value, e);
    }
  }

  private String url(String id) {
    if (id.startsWith("https://") || id.startsWith("http://")) {
      return id;
    }
    String[] arn = id.split(":", 6);
    if (arn.length != 6 || !arn[0].equals("arn") || !arn[2].equals("sqs") || arn[5].isEmpty()) {
      throw new CloudProviderException(
          "invalid SQS queue id "
              + id
              + " (want arn:aws:sqs:REGION:ACCOUNT:NAME or the queue URL)");
    }
    try {
      return sqs.getQueueUrl(r -> r.queueName(arn[5]).queueOwnerAWSAccountId(arn[4])).queueUrl();
    } catch (SdkException e) {
      throw new CloudProviderException("resolving SQS queue " + id + ": " + e.getMessage(), e);
    }
  }
}
