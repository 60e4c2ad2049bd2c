#!/usr/bin/env bash
# Runs go vet, staticcheck and the whole test suite with the race detector.
#
# staticcheck (pinned, v0.8.2) is installed with `go install` from the
# module proxy when $(go env GOPATH)/bin does not hold that version.
#
# The Redis store tests need a Redis server: when REDIS_ADDR is not set, this
# script starts a throwaway redis-server on a free loopback port (installing
# the Debian package first if it is missing) and stops it on exit.
# Extra arguments go to `go test`, e.g. ./scripts/test.sh -run TestConfig -v
set -euo pipefail
cd "$(dirname "$0")/.."

port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

if [[ -z "${REDIS_ADDR:-}" ]]; then
	if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
		echo "test.sh: installing redis-server" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update && apt-get install -y redis-server
	fi

	port=""
	for candidate in $(seq 16379 16479); do
		if ! port_in_use "$candidate"; then
			port=$candidate
			break
		fi
	done
	if [[ -z "$port" ]]; then
		echo "test.sh: no free port for redis-server in 16379-16479" >&2
		exit 1
	fi

	redis_log=$(mktemp)
	redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
		>"$redis_log" 2>&1 &
	redis_pid=$!
	cleanup() {
		kill "$redis_pid" 2>/dev/null || true
		wait "$redis_pid" 2>/dev/null || true
		rm -f "$redis_log"
	}
	trap cleanup EXIT

	for _ in $(seq 1 100); do
		if [[ "$(redis-cli -p "$port" ping 2>/dev/null || true)" == "PONG" ]]; then
			break
		fi
		if ! kill -0 "$redis_pid" 2>/dev/null; then
			echo "test.sh: redis-server exited:" >&2
			cat "$redis_log" >&2
			exit 1
		fi
		sleep 0.1
	done
	if [[ "$(redis-cli -p "$port" ping 2>/dev/null || true)" != "PONG" ]]; then
		echo "test.sh: redis-server did not answer on port $port" >&2
		cat "$redis_log" >&2
		exit 1
	fi
	export REDIS_ADDR="127.0.0.1:$port"
	echo "test.sh: redis-server on $REDIS_ADDR" >&2
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
