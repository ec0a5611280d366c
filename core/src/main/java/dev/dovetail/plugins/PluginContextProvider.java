package dev.dovetail.plugins;

import dev.dovetail.cloudprovider.CloudProvider;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Wraps a plugin's {@link CloudProvider} so that every call runs with the plugin's class loader as
 * the thread context class loader. Cloud SDKs look up their parts through it (the AWS SDK finds its
 * HTTP client with a ServiceLoader on the context class loader); called from a core thread they
 * would otherwise search the core's class path and fail. Threads a plugin starts inside a call
 * inherit the plugin's loader too. Exceptions pass through unchanged, so the SPI's typed exceptions
 * keep their meaning.
 */
final class PluginContextProvider implements InvocationHandler {

  private final CloudProvider delegate;
  private final ClassLoader pluginClassLoader;

  private PluginContextProvider(CloudProvider delegate, ClassLoader pluginClassLoader) {
    this.delegate = delegate;
    this.pluginClassLoader = pluginClassLoader;
  }

  static CloudProvider wrap(CloudProvider delegate, ClassLoader pluginClassLoader) {
    return (CloudProvider)
        Proxy.newProxyInstance(
            CloudProvider.class.getClassLoader(),
            new Class<?>[] {CloudProvider.class},
            new PluginContextProvider(delegate, pluginClassLoader));
  }

  /** The plugin's own object behind a wrapped provider (the provider itself if not wrapped). */
  static CloudProvider unwrap(CloudProvider provider) {
    if (Proxy.isProxyClass(provider.getClass())
        && Proxy.getInvocationHandler(provider) instanceof PluginContextProvider handler) {
      return handler.delegate;
    }
    return provider;
  }

  /** Runs {@code action} with {@code loader} as the context class loader. */
  static <T, E extends Throwable> T withContext(ClassLoader loader, ThrowingSupplier<T, E> action)
      throws E {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  interface ThrowingSupplier<T, E extends Throwable> {
    T get() throws E;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> delegate.toString();
      };
    }
    return withContext(
        pluginClassLoader,
        () -> {
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
