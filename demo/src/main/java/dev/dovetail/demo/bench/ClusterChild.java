package dev.dovetail.demo.bench;

import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.demo.Workload;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The measured JVM's handle on {@link ClusterProcess}: starts it with this JVM's java binary and
 * class path and its own heap, reads what it says, tells it to go, and ends it on {@link #close}
 * or, should this JVM exit first, from a shutdown hook (and the child ends itself when its stdin
 * does, so even a killed parent leaves nothing running).
 */
final class ClusterChild implements AutoCloseable {
  private final Process process;
  private final OutputStream stdin;
  private final Thread hook;
  private final CompletableFuture<String> url = new CompletableFuture<>();
  private final CompletableFuture<Long> burstAt = new CompletableFuture<>();
  private final CompletableFuture<Long> createdAt = new CompletableFuture<>();

  private ClusterChild(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.hook = new Thread(process::destroyForcibly, "bench-cluster-kill");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread reader = new Thread(this::read, "bench-cluster-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the cluster's process with its {@link #command}. */
  static ClusterChild start(List<String> command) {
    try {
      return new ClusterChild(
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .redirectOutput(ProcessBuilder.Redirect.PIPE)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the cluster's process", e);
    }
  }

  /**
   * The cluster process's command line.
   *
   * @param heap its {@code -Xmx} value, e.g. {@code 3g}
   * @param nice its niceness (0: as this process's): above 0, the API server and stand-ins take the
   *     cores only when the controllers leave them, as on a cluster where they run elsewhere
   */
  static List<String> command(
      int pods,
      long seed,
      Workload.Arrival arrival,
      int threads,
      String heap,
      String logLevel,
      int nice) {
    List<String> command = new ArrayList<>();
    if (nice > 0) {
      command.addAll(List.of("nice", "-n", Integer.toString(nice)));
    }
    command.add(javaBinary());
    command.add("-Xmx" + heap);
    command.addAll(extraOptions(System.getenv(JAVA_OPTIONS_ENV)));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ClusterProcess.class.getName());
    command.add(Integer.toString(pods));
    command.add(Long.toString(seed));
    command.add(Integer.toString(threads));
    command.add(logLevel);
    command.add(arrival.label());
    return command;
  }

  /**
   * Extra JVM options for the cluster's process, split on whitespace, e.g. {@code
   * -XX:StartFlightRecording=filename=child.jfr}: what the stand-in scheduler and API server spend
   * their time on can then be profiled apart from the measured JVM.
   */
  static final String JAVA_OPTIONS_ENV = "DOVETAIL_CLUSTER_JAVA_OPTS";

  static List<String> extraOptions(String value) {
    List<String> options = new ArrayList<>();
    if (value != null) {
      for (String word : value.trim().split("\\s+")) {
        if (!word.isEmpty()) {
          options.add(word);
        }
      }
    }
    return options;
  }

  /** This JVM's own java binary (the same build and version as the measured process). */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private void read() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (!line.startsWith(ClusterProcess.PREFIX)) {
          System.err.println(line);
          continue;
        }
        String said = line.substring(ClusterProcess.PREFIX.length());
        if (said.startsWith("url ")) {
          url.complete(said.substring(4).trim());
        } else if (said.equals("burst")) {
          burstAt.complete(System.nanoTime());
        } else if (said.equals("created")) {
          createdAt.complete(System.nanoTime());
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    IllegalStateException gone = new IllegalStateException("the cluster's process ended");
    url.completeExceptionally(gone);
    burstAt.completeExceptionally(gone);
    createdAt.completeExceptionally(gone);
  }

  /** The API server's URL, once it listens. */
  String url(Duration timeout) throws InterruptedException {
    return await(url, timeout, "its API server's URL");
  }

  /**
   * Tells the process to apply the NodePools for {@code nodeClass} and create the pods; returns
   * {@link System#nanoTime} when the burst began.
   */
  long go(NodeClassReference nodeClass, Duration timeout) throws InterruptedException {
    try {
      stdin.write((ClusterProcess.go(nodeClass) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new IllegalStateException("the cluster's process is gone: " + exit(), e);
    }
    return await(burstAt, timeout, "the start of the burst");
  }

  /** Whether every pod has been created. */
  boolean created() {
    return createdAt.isDone() && !createdAt.isCompletedExceptionally();
  }

  /** Whether the process still runs. */
  boolean alive() {
    return process.isAlive();
  }

  /** A description of how the process ended, for errors. */
  String exit() {
    return process.isAlive() ? "still running" : "exit code " + process.exitValue();
  }

  /** CPU seconds of the whole process so far (all its threads, its GC and JIT included). */
  double cpuSeconds() {
    return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /** The process's id (for a heap histogram of the cluster's side). */
  long pid() {
    return process.pid();
  }

  private <T> T await(CompletableFuture<T> f, Duration timeout, String what)
      throws InterruptedException {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "the cluster's process ended before " + what + " (" + exit() + ")", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no " + what + " from the cluster's process in " + timeout);
    }
  }

  /** Closes the process's stdin (it then exits), then ends it if it has not within 10 s. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }
}
