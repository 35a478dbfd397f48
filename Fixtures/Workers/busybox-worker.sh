# A worker in POSIX sh for busybox (the shiftlog/worker:busybox image that
# scripts/docker-daemon builds), for the end-to-end tests of `shiftlog serve`: given to the
# service as WORKER_COMMAND, run by `sh -c`. It uses ORCHESTRATOR_URL, WORKER_ID and WORK_ITEM
# as whim's workers do: POST $ORCHESTRATOR_URL/api/worker/$WORKER_ID/<route> with
# Content-Type: application/json and a JSON body, 3 attempts 100 ms then 200 ms apart.
#
# What it does comes from words in its item's spec (found anywhere in WORK_ITEM):
#   iterations=N          heartbeats to send (default 2), 0.3 s apart
#   lock=a.swift,b.swift  files to lock after the first heartbeat
#   outcome=fail-once     fail on the first attempt (retryCount 0), complete on a retry
#   outcome=silent-once   stop heartbeating on the first attempt, complete on a retry
#   pr=N                  the pull request reported on completion (a verification follows)
# With WORKER_MODE=verification it completes at once with verificationPassed true.
# It exits 0 on SIGTERM, so a stop does not wait out the grace period.

trap 'echo "stopped"; exit 0' TERM INT
base="${ORCHESTRATOR_URL%/}"
worker="$base/api/worker/$WORKER_ID"

# The value of a spec word `name=value`, or nothing.
word() { echo "$WORK_ITEM" | grep -o "$1=[^ \"\\\\]*" | head -n 1 | cut -d= -f2; }
# A string field of the item's JSON, or a number field.
field() { echo "$WORK_ITEM" | sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p"; }
number() { echo "$WORK_ITEM" | sed -n "s/.*\"$1\" *: *\\([0-9][0-9]*\\).*/\\1/p"; }
# Sleeps in the background, so the TERM trap runs at once.
pause() { sleep "$1" & wait $!; }

# wget with a time limit. (Not `wget -T`: Debian's busybox-static 1.35 crashes with it.)
fetch() { timeout 10 wget -q "$@"; }

# call ROUTE JSON: POST to this worker's route; prints the answer.
call() {
    for delay in 0 0.1 0.2; do
        [ "$delay" = 0 ] || pause "$delay"
        if fetch -O - --header='Content-Type: application/json' --post-data="$2" "$worker/$1"; then
            echo
            return 0
        fi
    done
    echo "POST $1 failed 3 times" >&2
    return 1
}

retry=$(number retryCount)
retry=${retry:-0}
repo=$(field repo)
iterations=$(word iterations)
iterations=${iterations:-2}
locks=$(word lock)
outcome=$(word outcome)
pr=$(word pr)
echo "worker $WORKER_ID started: retry $retry, $iterations iterations, outcome ${outcome:-complete}, mode ${WORKER_MODE:-execution}"

if [ "${WORKER_MODE:-}" = verification ]; then
    call complete '{"verificationPassed":true}' || exit 1
    echo "verification reported: passed"
    exit 0
fi

fetch -O /dev/null "$base/api/learnings?repo=$repo" || echo "learnings: no answer" >&2
i=1
while [ "$i" -le "$iterations" ]; do
    call heartbeat "{\"iteration\":$i,\"status\":\"running\",\"tokensIn\":$((100 * i)),\"tokensOut\":$((40 * i))}" || exit 1
    if [ "$i" = 1 ] && [ -n "$locks" ]; then
        files=$(echo "$locks" | sed 's/,/","/g')
        call lock "{\"repo\":\"$repo\",\"files\":[\"$files\"]}" || exit 1
    fi
    pause 0.3
    i=$((i + 1))
done

case "$outcome:$retry" in
fail-once:0)
    call fail "{\"error\":\"busybox failure on attempt 1\",\"iteration\":$iterations,\"category\":\"EXECUTION_ERROR\"}" || exit 1
    echo "failed"
    exit 0
    ;;
silent-once:0)
    echo "going silent"
    while :; do pause 60; done
    ;;
esac
metrics="\"metrics\":{\"tokensIn\":$((100 * iterations)),\"tokensOut\":$((40 * iterations)),\"duration\":$((300 * iterations)),\"filesModified\":0,\"testsRun\":0,\"testsPassed\":0,\"testsFailed\":0}"
if [ -n "$pr" ]; then
    call complete "{\"prUrl\":\"https://github.com/$repo/pull/$pr\",\"prNumber\":$pr,\"verificationEnabled\":true,$metrics}" || exit 1
else
    call complete "{$metrics}" || exit 1
fi
echo "completed"
