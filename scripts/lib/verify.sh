# shellcheck shell=bash
# Shared by the scripts/verify-* scripts, which prove the built-in skeleton by
# running what it generates: how a step runs and reports, the processes they
# start and stop, the throwaway PostgreSQL and Redis, and the venvs they cache.
# Source it after setting ME (the script's name, for messages). It sets:
#   ROOT     this repository
#   CACHE    venvs and tools, kept between runs, keyed by their pins
#   WORK     the run's folder (made by start_work), removed on exit unless KEEP=1
#   PROJECT  the project every variant generates (`demo`: so are the backend
#            package and the database role)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${VERIFY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scaffold-verify}
PROJECT=demo
WORK=""
KEEP=0
PG_DIR="" PG_PORT="" REDIS_PORT="" REDIS_PIDFILE=""
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

say() { printf '%s\n' "$*"; }
die() { printf '%s: %s\n' "$ME" "$*" >&2; exit 1; }

# run_step VARIANT STEP COMMAND...: runs COMMAND in a subshell (with errexit,
# so its first failing command fails it), its output in a log; on failure
# prints which step of which variant failed, and the output, and stops.
run_step() {
    local variant=$1 step=$2 started=$SECONDS rc
    shift 2
    local log="$WORK/logs/$variant.$step.log"
    set +e
    (set -e; "$@") >"$log" 2>&1
    rc=$?
    set -e
    if [ "$rc" = 0 ]; then
        printf '  %-12s %-16s ok (%ss)\n' "$variant" "$step" $((SECONDS - started))
    else
        printf '\nFAILED: variant "%s", step "%s" (exit %s). Its output:\n' "$variant" "$step" "$rc" >&2
        sed 's/^/  | /' "$log" >&2
        printf 'The project is in %s; the logs in %s\n' "$WORK/$variant" "$WORK/logs" >&2
        KEEP=1
        exit 1
    fi
}

# parse_arguments USAGE_LINES ARGS...: --keep, --help (prints the script's
# header comment, lines 2..USAGE_LINES), and variant names, checked against
# VARIANT_ARGS; sets VARIANTS (every one in ALL_VARIANTS when none is named).
# Other options are left to the script: it defines parse_option OPTION ARGS...,
# which returns how many arguments it used, or 0 for none it knows.
parse_arguments() {
    local usage_lines=$1 used
    shift
    VARIANTS=()
    while [ $# -gt 0 ]; do
        case $1 in
            --keep) KEEP=1 ;;
            -h | --help) sed -n "2,${usage_lines}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
            -*)
                used=0
                declare -F parse_option >/dev/null && { parse_option "$@" || used=$?; }
                [ "$used" -gt 0 ] || die "no option \`$1\`; see --help"
                shift $((used - 1))
                ;;
            *)
                [ -n "${VARIANT_ARGS[$1]+set}" ] || die "no variant \`$1\` (there are: ${ALL_VARIANTS[*]})"
                VARIANTS+=("$1")
                ;;
        esac
        shift
    done
    [ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=("${ALL_VARIANTS[@]}")
}

# --- processes ---------------------------------------------------------------

# start_work: the run's folder, and the traps that stop everything started in
# it, whatever way the script ends (a closed terminal or pipe too).
start_work() {
    trap stop_everything EXIT
    trap 'exit 130' INT TERM
    trap 'exit 129' HUP
    trap 'exit 141' PIPE
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/$ME.XXXXXX")
    mkdir -p "$WORK/logs" "$CACHE"
    : >"$WORK/process-groups"
    say "== setup (work folder $WORK, cache $CACHE)"
}

# start_group NAME COMMAND...: starts COMMAND in a session (process group) of
# its own, in the background, its output in logs/NAME.log; the group is
# recorded so stop_groups (and the exit trap) can stop it and its children.
start_group() {
    local name=$1
    shift
    setsid "$@" >"$WORK/logs/$name.log" 2>&1 &
    echo "$!" >>"$WORK/process-groups"
}

stop_groups() {
    local pid
    [ -n "$WORK" ] && [ -s "$WORK/process-groups" ] || return 0
    while read -r pid; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done <"$WORK/process-groups"
    while read -r pid; do
        wait_gone "$pid"
        kill -KILL -- "-$pid" 2>/dev/null || true
    done <"$WORK/process-groups"
    : >"$WORK/process-groups"
}

stop_everything() {
    local pid
    stop_groups
    if [ -n "$REDIS_PIDFILE" ] && [ -s "$REDIS_PIDFILE" ]; then
        pid=$(cat "$REDIS_PIDFILE")
        kill -TERM "$pid" 2>/dev/null || true
        wait_gone "$pid"
    fi
    if [ -n "$PG_DIR" ] && [ -s "$PG_DIR/data/postmaster.pid" ]; then
        pid=$(head -n 1 "$PG_DIR/data/postmaster.pid")
        kill -INT "$pid" 2>/dev/null || true   # PostgreSQL's fast shutdown
        wait_gone "$pid"
    fi
    if [ -n "$WORK" ]; then
        if [ "$KEEP" = 1 ]; then
            say "Kept: $WORK"
        else
            rm -rf "$WORK"
        fi
    fi
}

# wait_gone PID: up to 10 s for PID to end, then SIGKILL.
wait_gone() {
    local pid=$1 _
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# wait_for URL SECONDS LOG: until URL answers 2xx, or fail showing LOG.
wait_for() {
    local url=$1 seconds=$2 log=$3 _
    for _ in $(seq $((seconds * 5))); do
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "no answer from $url within $seconds s; $log says:"
    tail -n 40 "$log"
    return 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- what a run needs --------------------------------------------------------

# install_packages PACKAGE...: apt-get install the packages named (the caller
# names the ones it found missing); needs root, as CI is.
install_packages() {
    [ $# -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "needs $* (apt-get install them, or run as root)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# missing_service_packages: the apt packages of PostgreSQL and Redis, when
# they are not installed.
missing_service_packages() {
    pg_bin >/dev/null || echo postgresql
    command -v redis-server >/dev/null || echo redis-server
    command -v curl >/dev/null || echo curl
}

pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

# Sets PYTHON to a working python3.12 (a pyenv shim may exist but fail): the
# Python of the backend's Dockerfile.
find_python() {
    local candidate
    for candidate in python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 /usr/bin/python3.12; do
        if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
            PYTHON=$("$candidate" -c 'import sys; print(sys.executable)')
            return 0
        fi
    done
    die "no working python3.12 (the backend's Dockerfile and tests use 3.12)"
}

# Sets SCAFFOLD to a debug build of this repository's scaffold.
build_scaffold() {
    SCAFFOLD="${CARGO_TARGET_DIR:-$ROOT/target}/debug/scaffold"
    run_step setup build-scaffold cargo_build
}

cargo_build() {
    cd "$ROOT"
    cargo build --locked --quiet
    test -x "$SCAFFOLD"
}

pins_key() { printf '%s\n' "$@" | sha256sum | cut -c1-12; }

# venv_once DIR PYTHON PIP-ARGS...: a venv at DIR with PIP-ARGS installed,
# made once: DIR's name carries the pins' key, so a venv of the same pins is
# reused, and an interrupted install is made again.
venv_once() {
    local dir=$1 python=$2
    shift 2
    if [ -e "$dir/.complete" ]; then
        echo "venv $dir: reused (the same pins were installed before)"
        return 0
    fi
    rm -rf "$dir"
    "$python" -m venv "$dir"
    "$dir/bin/pip" install -q "$@"
    touch "$dir/.complete"
}

# npm_once DIR PACKAGE...: the npm packages installed under DIR, once.
npm_once() {
    local dir=$1
    shift
    [ -e "$dir/.complete" ] && return 0
    rm -rf "$dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent "$@"
    touch "$dir/.complete"
}

# backend_venv (in the project): the backend's pinned requirements in a venv
# keyed by them and the Python, so variants and scripts with the same pins
# share it; linked as backend/.venv, where the Makefile and README expect it.
backend_venv() {
    local venv
    venv="$CACHE/backend-$( { "$PYTHON" --version; cat backend/requirements*.txt backend/constraints.txt; } | sha256sum | cut -c1-12)"
    (cd backend && venv_once "$venv" "$PYTHON" -r requirements-dev.txt)
    ln -sfn "$venv" backend/.venv
}

# --- the throwaway services --------------------------------------------------

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
    local bin
    bin=$(pg_bin)
    mkdir -p "$PG_DIR"
    chmod 755 "$WORK" "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
    as_postgres "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres >"$WORK/logs/initdb.log"
    as_postgres "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    # The role and database of the generated backend/.env, as its README says.
    "$bin/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres \
        -c "CREATE ROLE $PROJECT LOGIN CREATEDB PASSWORD '$PROJECT'" \
        -c "CREATE DATABASE $PROJECT OWNER $PROJECT"
}

start_redis() {
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$WORK/logs/redis.log" --dir "$WORK"
    local _
    for _ in $(seq 50); do
        [ -s "$REDIS_PIDFILE" ] && return 0
        sleep 0.1
    done
    echo "redis-server did not start:"
    cat "$WORK/logs/redis.log"
    return 1
}

# start_services: PostgreSQL and Redis on free ports of 127.0.0.1, stopped
# by the exit trap.
start_services() {
    PG_DIR="$WORK/pg" PG_PORT=$(free_port)
    run_step setup postgres start_postgres
    REDIS_PIDFILE="$WORK/redis.pid" REDIS_PORT=$(free_port)
    run_step setup redis start_redis
    say "   PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT, $("$PYTHON" --version)"
}

# service_env: the environment the backend runs in against those services;
# the rest comes from its .env.
service_env() {
    export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$PG_PORT" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
}

# run_variants VERIFY_FUNCTION: VERIFY_FUNCTION VARIANT for each variant
# asked for, then the summary line.
run_variants() {
    local verify=$1 started=$SECONDS variant variant_started
    for variant in "${VARIANTS[@]}"; do
        say "== variant $variant: scaffold new $PROJECT --defaults ${VARIANT_ARGS[$variant]}"
        variant_started=$SECONDS
        "$verify" "$variant"
        say "variant $variant: green in $((SECONDS - variant_started)) s"
    done
    say "== all green: ${VARIANTS[*]} in $((SECONDS - started)) s"
    say "variants: ${#VARIANTS[@]} passed, 0 failed"
}
