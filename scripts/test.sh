#!/usr/bin/env bash
# Runs go vet, staticcheck and the whole test suite with the race detector.
#
# staticcheck (pinned, v0.8.2) is installed with `go install` from the
# module proxy when $(go env GOPATH)/bin does not hold that version.
#
# The Redis store tests need Redis servers, and this script starts throwaway
# ones on free loopback ports (installing the Debian package first if it is
# missing), stopping them and removing their files on exit:
#
#   - a single redis-server, unless REDIS_ADDR is set;
#   - a Redis Cluster of three masters (redis-server --cluster-enabled yes,
#     joined with redis-cli --cluster create, no replicas), unless
#     REDIS_CLUSTER_ADDRS is set; it exports
#     REDIS_CLUSTER_ADDRS="127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3".
#
# Extra arguments go to `go test`, e.g. ./scripts/test.sh -run TestConfig -v
set -euo pipefail
cd "$(dirname "$0")/.."

port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_port FROM TO sets port to the first port in FROM..TO that is free,
# together with port+10000 (a Cluster node's bus port), and not yet taken by
# this script; it fails when there is none.
taken_ports=" "
free_port() {
	local candidate
	for candidate in $(seq "$1" "$2"); do
		if [[ "$taken_ports" == *" $candidate "* ]] || port_in_use "$candidate" || port_in_use $((candidate + 10000)); then
			continue
		fi
		taken_ports+="$candidate "
		port=$candidate
		return 0
	done
	echo "test.sh: no free port for redis-server in $1-$2" >&2
	return 1
}

tmp_dir=""
server_pids=()
cleanup() {
	local pid
	for pid in "${server_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${server_pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [[ -n "$tmp_dir" ]]; then
		rm -rf "$tmp_dir"
	fi
}
trap cleanup EXIT

# start_redis PORT [ARGS...] starts a throwaway redis-server on PORT (files
# in $tmp_dir, nothing saved) and waits until it answers PING.
start_redis() {
	local port=$1
	shift
	local log="$tmp_dir/redis-$port.log"
	redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
		--dir "$tmp_dir" "$@" >"$log" 2>&1 &
	local pid=$!
	server_pids+=("$pid")
	for _ in $(seq 1 100); do
		if [[ "$(redis-cli -p "$port" ping 2>/dev/null || true)" == "PONG" ]]; then
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "test.sh: redis-server on port $port exited:" >&2
			cat "$log" >&2
			return 1
		fi
		sleep 0.1
	done
	echo "test.sh: redis-server did not answer on port $port" >&2
	cat "$log" >&2
	return 1
}

if [[ -z "${REDIS_ADDR:-}" || -z "${REDIS_CLUSTER_ADDRS:-}" ]]; then
	if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
		echo "test.sh: installing redis-server" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update && apt-get install -y redis-server
	fi
	tmp_dir=$(mktemp -d)
fi

if [[ -z "${REDIS_ADDR:-}" ]]; then
	free_port 16379 16479
	start_redis "$port"
	export REDIS_ADDR="127.0.0.1:$port"
	echo "test.sh: redis-server on $REDIS_ADDR" >&2
fi

if [[ -z "${REDIS_CLUSTER_ADDRS:-}" ]]; then
	nodes=()
	for _ in 1 2 3; do
		free_port 16480 16679
		start_redis "$port" --cluster-enabled yes --cluster-config-file "$tmp_dir/nodes-$port.conf" \
			--cluster-node-timeout 5000
		nodes+=("127.0.0.1:$port")
	done
	if ! redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes \
		>"$tmp_dir/cluster-create.log" 2>&1; then
		echo "test.sh: redis-cli --cluster create failed:" >&2
		cat "$tmp_dir/cluster-create.log" >&2
		exit 1
	fi
	# Every node must see all slots covered before the tests start.
	for node in "${nodes[@]}"; do
		ok=""
		for _ in $(seq 1 200); do
			if redis-cli -p "${node##*:}" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; then
				ok=1
				break
			fi
			sleep 0.1
		done
		if [[ -z "$ok" ]]; then
			echo "test.sh: Redis Cluster node $node did not reach cluster_state:ok" >&2
			redis-cli -p "${node##*:}" cluster info >&2 || true
			exit 1
		fi
	done
	REDIS_CLUSTER_ADDRS=$(IFS=,; echo "${nodes[*]}")
	export REDIS_CLUSTER_ADDRS
	echo "test.sh: Redis Cluster (3 masters) on $REDIS_CLUSTER_ADDRS" >&2
fi

# staticcheck, pinned: the one in $(go env GOPATH)/bin unless it is missing
# or another version, in which case go install puts the pinned one there.
staticcheck_version=0.8.2
staticcheck="$(go env GOPATH | cut -d: -f1)/bin/staticcheck"
if [[ "$("$staticcheck" -version 2>/dev/null || true)" != *"($staticcheck_version)"* ]]; then
	echo "test.sh: installing staticcheck v$staticcheck_version" >&2
	GOBIN="$(dirname "$staticcheck")" go install "honnef.co/go/tools/cmd/staticcheck@v$staticcheck_version"
fi

go vet ./...
"$staticcheck" ./...
go test -race -timeout 25m ./... "$@"
