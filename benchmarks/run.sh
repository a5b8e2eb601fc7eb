#!/usr/bin/env bash
# Builds forkguard, measures it without and with the agent side by side (JMH on JDK 17, fork pause on
# JDK 17 and 25, start-up, hang-to-HUNG, memory, the Python hook's hand-over) and rewrites
# docs/PERFORMANCE.md and its chart.
#   benchmarks/run.sh                 full run, about 15 minutes on 2 cores; run it on a quiet machine
#   benchmarks/run.sh --smoke         tiny counts, about a minute (what CI runs; figures meaningless)
#   benchmarks/run.sh --render FILE   render saved results again, measuring nothing
# Extra Maven options (e.g. -o, -Dmaven.repo.local=...) go in MAVEN_ARGS. BASELINE_AGENT=<jar> (and
# BASELINE_NAME=<text>) measures an earlier agent jar beside the current one: memory, start-up, tracked JMH cases.
set -euo pipefail
cd "$(dirname "$0")/.."

JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$JDK17/bin/java" ] || JDK17=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
[ -x "$JDK25/bin/java" ] || JDK25=none

out=docs/PERFORMANCE.md
results=benchmarks/target/performance-results.bin
args=()
for a in "$@"; do
  # A smoke run never overwrites the real document.
  if [ "$a" = "--smoke" ]; then out=benchmarks/target/smoke/PERFORMANCE.md; results=benchmarks/target/smoke/results.bin; fi
  args+=("$a")
done

if [[ " $* " != *" --render "* ]]; then
  JAVA_HOME="$JDK17" mvn -B -q ${MAVEN_ARGS:-} -DskipTests package
fi
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD -- 2>/dev/null; then commit="$commit+changes"; fi
mkdir -p "$(dirname "$out")"
"$JDK17/bin/java" -jar benchmarks/target/forkguard-benchmarks.jar \
  --agent agent/target/forkguard-agent.jar --jdk17 "$JDK17" --jdk25 "$JDK25" \
  --out "$out" --results "$results" --commit "$commit" \
  ${BASELINE_AGENT:+--baseline "$BASELINE_AGENT" --baseline-name "${BASELINE_NAME:-baseline}"} "${args[@]}"

# The Python hook's hand-over (Debian's python3 with python3-jpype), as its own section of the same
# document: measured on a full run, rendered again from its saved results with --render.
python_results=benchmarks/target/python-handover.json
if [[ " $* " == *" --smoke "* ]]; then
  exit 0
elif [[ " $* " == *" --render "* ]]; then
  if [ -f "$python_results" ]; then
    /usr/bin/python3 python/benchmarks/handover.py --render "$python_results" --doc "$out" >/dev/null
  fi
elif /usr/bin/python3 -c 'import jpype' 2>/dev/null; then
  /usr/bin/python3 python/benchmarks/handover.py --agent agent/target/forkguard-agent.jar \
    --libjvm "$JDK17/lib/server/libjvm.so" --results "$python_results" --doc "$out"
else
  echo "== /usr/bin/python3 with python3-jpype not found: the Python hand-over section is not measured" >&2
fi
