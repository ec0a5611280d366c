package dev.dovetail.aws;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The AWS SDK clients, built alike: one HTTP client (URLConnection), an optional endpoint override
 * (WireMock in tests), retries with jittered exponential backoff for throttling and 5xx, bounded
 * call and attempt timeouts, and the per-API rate limiter.
 */
public final class AwsClients implements AutoCloseable {
  private final Ec2Client ec2;
  private final SsmClient ssm;
  private final SqsClient sqs;
  private final PricingClient pricing;
  private final IamClient iam;
  private final EksClient eks;
  private final AutoScalingClient autoScaling;

  public AwsClients(AwsSettings settings, ApiRateLimiter limiter) {
    this.ec2 = configure(Ec2Client.builder(), settings, limiter, settings.region()).build();
    this.ssm = configure(SsmClient.builder(), settings, limiter, settings.region()).build();
    this.sqs = configure(SqsClient.builder(), settings, limiter, settings.region()).build();
    this.pricing =
        configure(PricingClient.builder(), settings, limiter, settings.pricingRegion()).build();
    // IAM is global per partition: aws-global (us-east-1), aws-cn-global, aws-us-gov-global.
    this.iam =
        configure(IamClient.builder(), settings, limiter, iamRegion(settings.region())).build();
    this.eks = configure(EksClient.builder(), settings, limiter, settings.region()).build();
    this.autoScaling =
        configure(AutoScalingClient.builder(), settings, limiter, settings.region()).build();
  }

  /** IAM's global pseudo-region of the region's partition. */
  static String iamRegion(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn-global";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov-global";
    }
    return "aws-global";
  }

  private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, AwsSettings s, ApiRateLimiter limiter, String region) {
    builder.region(Region.of(region));
    builder.credentialsProvider(credentials(s));
    if (s.endpoint() != null) {
      builder.endpointOverride(s.endpoint());
    }
    builder.httpClientBuilder(
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30)));
    BackoffStrategy backoff =
        BackoffStrategy.exponentialDelay(s.retryBaseDelay(), s.retryMaxDelay());
    builder.overrideConfiguration(
        ClientOverrideConfiguration.builder()
            .retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(s.maxAttempts())
                    .backoffStrategy(backoff)
                    .throttlingBackoffStrategy(backoff)
                    // The retry quota would refuse retries after a burst of throttles: exactly
                    // when hundreds of launches need them. The rate limiter paces them instead.
                    .circuitBreakerEnabled(false)
                    .build())
            .apiCallTimeout(s.apiCallTimeout())
            .apiCallAttemptTimeout(Duration.ofSeconds(30))
            .addExecutionInterceptor(limiter)
            .build());
    return builder;
  }

  private static AwsCredentialsProvider credentials(AwsSettings s) {
    if (s.accessKeyId() != null && s.secretAccessKey() != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  public Ec2Client ec2() {
    return ec2;
  }

  public SsmClient ssm() {
    return ssm;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public PricingClient pricing() {
    return pricing;
  }

  public IamClient iam() {
    return iam;
  }

  public EksClient eks() {
    return eks;
  }

  /** EC2 Auto Scaling, for ScalableNodeGroups (autoscaling.karpenter.sh/v1alpha1). */
  public AutoScalingClient autoScaling() {
    return autoScaling;
  }

  @Override
  public void close() {
    eks.close();
    autoScaling.close();
    ec2.close();
    ssm.close();
    sqs.close();
    pricing.close();
    iam.close();
  }
}
