/// A stand-in worker for demos and tests, for any runtime with a POSIX `sh` (the
/// `shiftlog/worker:busybox` image that `scripts/docker-daemon` builds, or this machine): it
/// prints `worker <id> on <item> ready`, then `tick N` ten times a second, and on SIGTERM
/// prints `got SIGTERM at tick N` and exits 0. A real worker would call the orchestrator back.
public enum SampleWorker {
    /// The image `scripts/docker-daemon start` builds offline from busybox-static.
    public static let image = "shiftlog/worker:busybox"

    /// The command: `sh -c <script>`.
    public static let command = ["sh", "-c", script]

    /// The shell script ``command`` runs: it reads `WORKER_ID` and `WORK_ITEM_ID` from the
    /// environment the container handler gives every worker.
    public static let script = """
        trap 'echo "got SIGTERM at tick $n"; exit 0' TERM
        echo "worker $WORKER_ID on $WORK_ITEM_ID ready"
        n=0
        while true; do n=$((n+1)); echo "tick $n"; sleep 0.1; done
        """
}
