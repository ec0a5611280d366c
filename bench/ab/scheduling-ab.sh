#!/bin/sh
# A/B of the scheduling engine across revisions, interleaved (one JVM per revision per round), so
# that a loaded or drifting machine affects every revision alike. Prints per solve the CPU time of
# the solving thread (ThreadMXBean), like `dovetail bench scheduling --json`'s cpuMs.
# Each revision's engine is compiled from its own sources with javac (old revisions no longer build
# offline with Maven: their poms name artifacts the local repository lacks).
#   bench/ab/scheduling-ab.sh ROUNDS PODS WARMUP RUNS REV...    (REV: any git revision, or WORKTREE)
# e.g. bench/ab/scheduling-ab.sh 3 20000 3 5 a45da7c 8d706ec HEAD WORKTREE
set -eu
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
work=${AB_WORK:-/tmp/scheduling-ab}; mkdir -p "$work"
cp=$work/classpath.txt
[ -s "$cp" ] || (cd "$repo" && mvn -B -o -q -pl core dependency:build-classpath -Dmdep.outputFile="$cp")
rounds=$1; pods=$2; warm=$3; runs=$4; shift 4
for rev in "$@"; do
  out=$work/$rev; rm -rf "$out"; mkdir -p "$out"
  if [ "$rev" = WORKTREE ]; then src=$repo; else
    src=$work/src-$rev; mkdir -p "$src"  # sources only, no worktree to clean up afterwards
    git -C "$repo" archive "$rev" core/src/main/java plugin-api/src/main/java | tar -x -C "$src"
  fi
  wl=dev.dovetail.bench.workload.BenchmarkWorkload
  [ -f "$src/core/src/main/java/dev/dovetail/bench/workload/BenchmarkWorkload.java" ] ||
    wl=dev.dovetail.scheduling.workload.BenchmarkWorkload
  sed "s/WLIMPORT/$wl/" "$here/H.java.tmpl" > "$out/H.java"
  javac -nowarn -proc:none -d "$out" -cp "$(cat "$cp")" \
    -sourcepath "$src/core/src/main/java:$src/plugin-api/src/main/java" "$out/H.java"
done
for i in $(seq 1 "$rounds"); do
  echo "# round $i $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  for rev in "$@"; do java ${JAVA_OPTS:-} -cp "$work/$rev:$(cat "$cp")" H "$pods" "$warm" "$runs" "$rev"; done
done
