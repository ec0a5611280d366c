package dev.dovetail.state;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@link CachedObjectCutsBenchmark}'s operations measured paired: each round calls the five of them
 * in turn, one object at a time, and charges each the CPU time and bytes its own thread spent in
 * that call. On a machine shared with other agents (load average 10–40 on 2 cores) the CPU a niced
 * thread gets per unit of work drifts by 2–4x within minutes, so JMH's one-method-after-the- other
 * runs compare different loads; interleaved calls compare the same. A sixth, empty call measures
 * what the clock reads themselves cost, and is subtracted.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.dovetail.state.CachedObjectCutsPaired [rounds]
 * [objects per round]}: per kind, the median and range over rounds of each call's CPU µs and bytes
 * per object, and the rounds' median of the paired differences (the cuts' costs).
 */
public final class CachedObjectCutsPaired {
  private static final String[] NAMES = {
    "empty",
    "readPlain",
    "readCanonical",
    "readCanonicalAndStrip",
    "readCanonicalAndCompact",
    "compactAgain"
  };

  private CachedObjectCutsPaired() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long me = Thread.currentThread().getId();
    for (String kind : new String[] {"pod", "node", "nodeclaim"}) {
      CachedObjectCutsBenchmark b = new CachedObjectCutsBenchmark();
      b.kind = kind;
      b.setUp();
      List<Supplier<Object>> ops =
          List.of(
              () -> null,
              b::readPlain,
              b::readCanonical,
              b::readCanonicalAndStrip,
              b::readCanonicalAndCompact,
              b::compactAgain);
      Object sink = null;
      for (int i = 0; i < 20_000; i++) { // warm-up: every call compiled
        for (Supplier<Object> op : ops) {
          sink = op.get();
        }
      }
      List<double[]> cpu = new ArrayList<>(); // per round: µs per object per op
      List<double[]> bytes = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        long[] ns = new long[ops.size()];
        long[] alloc = new long[ops.size()];
        for (int i = 0; i < perRound; i++) {
          for (int k = 0; k < ops.size(); k++) {
            int j = (k + i) % ops.size(); // rotate who goes first
            long a0 = mx.getThreadAllocatedBytes(me);
            long t0 = mx.getCurrentThreadCpuTime();
            sink = ops.get(j).get();
            long t1 = mx.getCurrentThreadCpuTime();
            long a1 = mx.getThreadAllocatedBytes(me);
            ns[j] += t1 - t0;
            alloc[j] += a1 - a0;
          }
        }
        double[] c = new double[ops.size()];
        double[] m = new double[ops.size()];
        for (int j = 0; j < ops.size(); j++) {
          c[j] = (ns[j] - ns[0]) / 1000.0 / perRound;
          m[j] = (double) (alloc[j] - alloc[0]) / perRound;
        }
        cpu.add(c);
        bytes.add(m);
      }
      if (sink == new Object()) {
        System.out.println(); // keeps the results alive
      }
      System.out.printf(Locale.ROOT, "## %s (%d rounds of %d objects)%n", kind, rounds, perRound);
      for (int j = 1; j < ops.size(); j++) {
        final int jj = j;
        System.out.printf(
            Locale.ROOT,
            "%-24s cpu µs/object %s   bytes/object %s%n",
            NAMES[j],
            spread(cpu, r -> r[jj], 2),
            spread(bytes, r -> r[jj], 0));
      }
      System.out.printf(
          Locale.ROOT,
          "intern (readCanonical - readPlain)                 cpu µs %s bytes %s%n",
          spread(cpu, r -> r[2] - r[1], 2),
          spread(bytes, r -> r[2] - r[1], 0));
      System.out.printf(
          Locale.ROOT,
          "strip  (readCanonicalAndStrip - readCanonical)     cpu µs %s bytes %s%n",
          spread(cpu, r -> r[3] - r[2], 2),
          spread(bytes, r -> r[3] - r[2], 0));
      System.out.printf(
          Locale.ROOT,
          "walk   (readCanonicalAndCompact - ...AndStrip)     cpu µs %s bytes %s%n",
          spread(cpu, r -> r[4] - r[3], 2),
          spread(bytes, r -> r[4] - r[3], 0));
    }
  }

  private static String spread(
      List<double[]> rounds, java.util.function.ToDoubleFunction<double[]> f, int digits) {
    double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
    double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    String fmt = "%,." + digits + "f";
    return String.format(
        Locale.ROOT, fmt + " (" + fmt + "–" + fmt + ")", median, v[0], v[v.length - 1]);
  }
}
