#!/usr/bin/env bash
# Runs the Job in deploy/load-shards.yaml once and merges its pods' reports:
#
#   1. computes one start time, LEAD seconds from now, and applies the Job with it (every
#      pod gets the same one), after deleting the last run's Job;
#   2. waits until the Job is Complete or Failed, whichever comes first, or TIMEOUT;
#   3. saves every pod's log under REPORTS, one file per pod, failed shards' too (a shard
#      with errors or a missed rate still prints its report before exiting 1);
#   4. runs `netdemo merge` over the logs that hold a report and prints the merged report.
#
# Arguments go to netdemo before `merge` (deploy/run-shards.sh --json). Exits with
# merge's status (1 when the merged run had errors or missed its rate), and 1 when a shard
# failed or the wait timed out, after merging what there is.
#
# Settings, from the environment:
#   LEAD=60          seconds from apply to the start: long enough for every pod to be
#                    scheduled and to pull the image (a pod that starts late is refused)
#   TIMEOUT=600      seconds to wait for the Job after the start
#   REPORTS=reports  the directory the pods' logs go to
#   NETDEMO=netdemo  the netdemo that merges
#   MANIFEST=        the Job (deploy/load-shards.yaml beside this script)
set -euo pipefail

manifest=${MANIFEST:-$(dirname "${BASH_SOURCE[0]}")/load-shards.yaml}
lead=${LEAD:-60}
timeout=${TIMEOUT:-600}
reports=${REPORTS:-reports}
netdemo=${NETDEMO:-netdemo}

for tool in kubectl envsubst "$netdemo"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-shards: $tool is not installed (envsubst is in gettext: apt-get install gettext-base)" >&2
    exit 2
  fi
done

# GNU date (Linux) and BSD date (macOS) spell "this many seconds since the epoch"
# differently; both print RFC 3339 in UTC, which --start-at takes.
rfc3339() {
  date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ
}

# A Job's pod template cannot be changed, so the last run's Job and its pods go first;
# foreground, so that no pod of it is left to be mistaken for one of this run.
kubectl delete -f "$manifest" --ignore-not-found --cascade=foreground --wait=true >&2

# One start time for the whole run, computed here once: each pod computing its own would
# start the shards at different instants.
START_AT=$(rfc3339 $(($(date +%s) + lead)))
export START_AT
# Only $START_AT is substituted: the pod's shell expands the manifest's other variables.
# shellcheck disable=SC2016 # the single quotes are envsubst's, which names what to replace
job=$(envsubst '$START_AT' <"$manifest" | kubectl apply -f - -o name)
name=${job#*/}
echo "run-shards: $job starts at $START_AT" >&2

# A Job ends Complete or Failed; waiting for Complete alone would sit out the timeout
# whenever a shard fails.
deadline=$((SECONDS + lead + timeout))
state=
while :; do
  conditions=$(kubectl get "$job" -o jsonpath='{.status.conditions[?(@.status=="True")].type}') ||
    conditions=
  case " $conditions " in
    *" Complete "*) state=complete ;;
    *" Failed "*) state=failed ;;
  esac
  [ -z "$state" ] || break
  if ((SECONDS >= deadline)); then
    state=timeout
    break
  fi
  sleep 5
done
kubectl get pods -l "job-name=$name" >&2 || true

mkdir -p "$reports"
rm -f "$reports/$name"-*.log
for pod in $(kubectl get pods -l "job-name=$name" -o name); do
  log="$reports/${pod#pod/}.log"
  kubectl logs "$pod" >"$log" || echo "run-shards: no log from $pod" >&2
done

# A shard that never ran (a start already passed, an image not pulled) has no report, only
# its error: its log is kept for reading, and merge warns of the missing shard.
found=()
for log in "$reports/$name"-*.log; do
  [ -e "$log" ] || continue
  if grep -q '"event":"report"' "$log"; then
    found+=("$log")
  else
    echo "run-shards: no report in $log:" >&2
    sed 's/^/  /' "$log" >&2
  fi
done
if [ ${#found[@]} -eq 0 ]; then
  echo "run-shards: no shard of $job left a report (job $state)" >&2
  exit 1
fi
# merge prints the merged report, then fails like a run would (errors, a missed rate);
# the Job's own outcome is told after it either way.
status=0
"$netdemo" "$@" merge "${found[@]}" || status=$?
case $state in
  complete) ;;
  failed)
    echo "run-shards: $job failed: at least one shard failed (logs in $reports/)" >&2
    [ "$status" -ne 0 ] || status=1
    ;;
  timeout)
    echo "run-shards: $job had not finished ${timeout}s after its start (TIMEOUT)" >&2
    [ "$status" -ne 0 ] || status=1
    ;;
esac
exit "$status"
