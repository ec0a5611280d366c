package dev.dovetail.cloudprovider.testkit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The base of a stateful WireMock fake of a cloud API: a response transformer registered under a
 * name and applied only to the stubs that name it, so a plugin's tests can stub the rest of the API
 * statically and fault requests ahead of the fake ({@link WireFaultStubs}, {@link
 * WireFaultStubs#heldBack}). Subclasses answer a request in {@link #answer}.
 *
 * <p>WireMock is a {@code provided} dependency of the plugin API: the plugin's tests bring it.
 */
public abstract class FakeCloudTransformer implements ResponseDefinitionTransformerV2 {
  private final String name;

  protected FakeCloudTransformer(String name) {
    this.name = name;
  }

  @Override
  public final String getName() {
    return name;
  }

  /** Only stubs that name this transformer reach the fake; the rest answer as stubbed. */
  @Override
  public final boolean applyGlobally() {
    return false;
  }

  /**
   * The fake's answer, with the stub's fixed delay kept on it: {@link WireFaultStubs#heldBack}
   * holds a real answer back past the client's timeout that way.
   */
  @Override
  public final ResponseDefinition transform(ServeEvent event) {
    Integer delay = event.getResponseDefinition().getFixedDelayMilliseconds();
    ResponseDefinition answer = answer(event);
    return delay == null
        ? answer
        : ResponseDefinitionBuilder.like(answer).withFixedDelay(delay).build();
  }

  /** The cloud's answer to the request {@code event} carries, as the fake's state has it. */
  protected abstract ResponseDefinition answer(ServeEvent event);
}
