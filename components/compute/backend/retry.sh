# retry <attempts> <command...>: runs the command until it succeeds, waiting RETRY_FIRST_DELAY
# seconds (default 5) after the first failure and twice as long after each next one; gives up with
# status 1 after <attempts> tries (under `set -e`, failing the boot). Package mirrors and AWS
# endpoints are often unreachable for an instance's first minute. Reports each failure on stderr,
# which cloud-init copies to /var/log/cloud-init-output.log and the EC2 console output.
retry() {
    local attempts=$1 delay=${RETRY_FIRST_DELAY:-5} n=1
    shift
    until "$@"; do
        if [ "$n" -ge "$attempts" ]; then
            echo "e2etls-boot: '$*' failed $n times; giving up" >&2
            return 1
        fi
        echo "e2etls-boot: '$*' failed (try $n of $attempts); retrying in ${delay}s" >&2
        sleep "$delay"
        delay=$((delay * 2))
        n=$((n + 1))
    done
}
