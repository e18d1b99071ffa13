#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on localhost, for jiefen's end-to-end
# test against Galera (cmd/jiefen/galera_test.go) and for measuring on it.
#
#   scripts/galera.sh start       bootstrap node 1, join nodes 2 and 3; wait until
#                                 the cluster has 3 members, all Synced (a node
#                                 already running is left alone)
#   scripts/galera.sh stop        stop nodes 3, 2, 1 (node 1 last, so that it is
#                                 the one safe to bootstrap the next start)
#   scripts/galera.sh status      each node: running or not, its state, the
#                                 cluster's size
#   scripts/galera.sh kill N      kill -9 node N (1, 2 or 3)
#   scripts/galera.sh restart N   start node N again (after a kill -9 through
#                                 --wsrep-recover, then IST from a donor) and
#                                 wait until it is Synced
#   scripts/galera.sh destroy     stop, then remove the base directory
#
# Nodes (client port, galera port, IST port, SST port):
#   1: 127.0.0.1:4306  4567  4568  4569
#   2: 127.0.0.1:4307  4577  4578  4579
#   3: 127.0.0.1:4308  4587  4588  4589
# Root connects over TCP from 127.0.0.1 without a password:
#   mariadb -uroot -h127.0.0.1 -P4306      DSN root@tcp(127.0.0.1:4306)/
# That account is for tests on this machine only; every port listens on
# 127.0.0.1 alone.
#
# Everything lives under $JIEFEN_GALERA_DIR (default /tmp/jiefen-galera):
# nodeN/my.cnf, nodeN/data (owned by mysql, as mariadbd runs as mysql: an
# rsync joiner writes its datadir as that user), nodeN/error.log,
# nodeN/mariadbd.pid, nodeN/mariadbd.sock. The MariaDB of the machine
# (3306, /etc/mysql) is not read nor touched: each node reads only its own
# my.cnf (--defaults-file). Runs as root.
set -euo pipefail

BASE="${JIEFEN_GALERA_DIR:-/tmp/jiefen-galera}"
MARIADBD="${MARIADBD:-/usr/sbin/mariadbd}"
PROVIDER="${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}"
RUN_AS=mysql # the user every node runs as, and owns its datadir
NODES=(1 2 3)
CLUSTER_ADDRESS="gcomm://127.0.0.1:4567,127.0.0.1:4577,127.0.0.1:4587"
WAIT_SECONDS="${JIEFEN_GALERA_WAIT:-180}" # for a node to become Synced

die() { echo "galera.sh: $*" >&2; exit 1; }
say() { echo "galera.sh: $*"; }

# The ports and paths of node $1.
client_port() { echo $((4305 + $1)); }
galera_port() { echo $((4567 + 10 * ($1 - 1))); }
dir_of() { echo "$BASE/node$1"; }
sock_of() { echo "$(dir_of "$1")/mariadbd.sock"; }
# node.pid is written by launch: the pid of the mariadbd it started.
pid_of() { cat "$(dir_of "$1")/node.pid" 2>/dev/null || true; }

check_node() {
  case "${1:-}" in 1 | 2 | 3) ;; *) die "no node '${1:-}': nodes are 1, 2 and 3" ;; esac
}

# running N: the node's mariadbd is alive (the pid launch recorded is a
# live mariadbd; the one left by kill -9 is not).
# A killed mariadbd may linger a moment as a zombie until it is reaped: that
# is not running either.
running() {
  local pid state
  pid=$(pid_of "$1")
  [ -n "$pid" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = mariadbd ] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# sql N QUERY: run a query on node N as root through its socket (unix
# socket authentication as the OS root), batch output without headers.
sql() {
  mariadb --no-defaults -uroot --socket="$(sock_of "$1")" --batch --skip-column-names -e "$2"
}

# status_var N NAME: a status variable of node N, empty when it does not
# answer.
status_var() {
  sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}' || true
}

# write_config N: node N's my.cnf.
write_config() {
  local n=$1 dir gp
  dir=$(dir_of "$n")
  gp=$(galera_port "$n")
  cat >"$dir/my.cnf" <<EOF
# Node $n of jiefen's localhost Galera cluster (scripts/galera.sh).
[mysqld]
user                     = $RUN_AS
datadir                  = $dir/data
socket                   = $dir/mariadbd.sock
pid-file                 = $dir/mariadbd.pid
log-error                = $dir/error.log
bind-address             = 127.0.0.1
port                     = $(client_port "$n")
skip-name-resolve        = ON
character-set-server     = utf8mb4
collation-server         = utf8mb4_bin
performance_schema       = OFF

# What Galera requires.
binlog_format            = ROW
default_storage_engine   = InnoDB
innodb_autoinc_lock_mode = 2

# Small, to save memory: three nodes share the machine.
innodb_buffer_pool_size  = 64M
innodb_log_file_size     = 48M
max_connections          = 300

# Galera. Each node has its own group (gmcast), IST and SST port, since
# the three share one address.
wsrep_on                    = ON
wsrep_provider              = $PROVIDER
wsrep_cluster_name          = jiefen_galera
wsrep_cluster_address       = $CLUSTER_ADDRESS
wsrep_node_name             = node$n
wsrep_node_address          = 127.0.0.1:$gp
wsrep_node_incoming_address = 127.0.0.1:$(client_port "$n")
wsrep_provider_options      = "gmcast.listen_addr=tcp://127.0.0.1:$gp;ist.recv_addr=127.0.0.1:$((gp + 1));gcache.size=64M"
wsrep_sst_method            = rsync
wsrep_sst_receive_address   = 127.0.0.1:$((gp + 2))
EOF
}

# init_node N: node N's directory, config and a fresh datadir, once.
# A joiner's datadir is replaced by the donor's in its first SST (rsync);
# it gets one of its own all the same, so that every node starts alike.
init_node() {
  local n=$1 dir
  dir=$(dir_of "$n")
  mkdir -p "$dir"
  write_config "$n"
  chown "$RUN_AS:$RUN_AS" "$dir"
  if [ ! -d "$dir/data/mysql" ]; then
    say "node $n: mariadb-install-db into $dir/data"
    mkdir -p "$dir/data"
    chown "$RUN_AS:$RUN_AS" "$dir/data"
    mariadb-install-db --no-defaults --user="$RUN_AS" --datadir="$dir/data" \
      --skip-test-db >"$dir/install.log" 2>&1 || {
      cat "$dir/install.log" >&2
      die "node $n: mariadb-install-db failed"
    }
  fi
  # Everything in the datadir belongs to the user mariadbd runs as: an
  # rsync SST into a joiner, run as that user, fails on anything else.
  chown -R "$RUN_AS:$RUN_AS" "$dir/data"
}

# recovered_position N: after an unclean stop (kill -9: grastate.dat says
# seqno -1) the node's last committed position, as galera_recovery finds it
# for systemd: mariadbd --wsrep-recover reads it from InnoDB and logs it.
# Started at that position the node asks a donor for what it missed (IST)
# rather than for a whole copy (SST). Prints uuid:seqno, or nothing.
recovered_position() {
  local n=$1 dir log
  dir=$(dir_of "$n")
  if ! grep -q '^seqno: *-1' "$dir/data/grastate.dat" 2>/dev/null; then
    return 0 # a clean stop recorded the position; nothing to recover
  fi
  log="$dir/recover.log"
  rm -f "$log"
  "$MARIADBD" --defaults-file="$dir/my.cnf" --wsrep-recover --log-error="$log" >/dev/null 2>&1 || true
  grep -a 'WSREP: Recovered position:' "$log" 2>/dev/null | tail -1 | sed 's/.*Recovered position: *//' || true
}

# launch N [ARGS...]: start node N's mariadbd in the background, in a
# session of its own (so that it outlives this script and the shell that
# ran it), with ARGS added.
launch() {
  local n=$1 dir
  shift
  dir=$(dir_of "$n")
  rm -f "$dir/mariadbd.pid"
  # setsid execs mariadbd in place (a background job of a script is no
  # process group leader), so $! is mariadbd's pid.
  setsid "$MARIADBD" --defaults-file="$dir/my.cnf" "$@" </dev/null >>"$dir/stdout.log" 2>&1 &
  echo $! >"$dir/node.pid"
}

# wait_synced N: until node N answers and is Synced; the last lines of its
# log on failure.
wait_synced() {
  local n=$1 state="" i
  for ((i = 0; i < WAIT_SECONDS; i++)); do
    state=$(status_var "$n" wsrep_local_state_comment)
    [ "$state" = Synced ] && return 0
    if ! running "$n"; then
      tail -20 "$(dir_of "$n")/error.log" >&2 || true
      die "node $n exited while starting (log: $(dir_of "$n")/error.log)"
    fi
    sleep 1
  done
  tail -20 "$(dir_of "$n")/error.log" >&2 || true
  die "node $n is not Synced after ${WAIT_SECONDS}s (state '${state}')"
}

# start_node N bootstrap|join: start node N unless it runs already.
start_node() {
  local n=$1 how=$2 pos args=()
  if running "$n"; then
    say "node $n: running already (pid $(pid_of "$n"))"
    return 0
  fi
  init_node "$n"
  pos=$(recovered_position "$n")
  if [ -n "$pos" ]; then
    say "node $n: recovered position $pos after an unclean stop"
    args+=("--wsrep-start-position=$pos")
  fi
  if [ "$how" = bootstrap ]; then
    # A new cluster from this node's data: allowed only when its
    # grastate.dat says it was the last to leave (safe_to_bootstrap: 1),
    # or when it never was in a cluster.
    if grep -q '^safe_to_bootstrap: *0' "$(dir_of "$n")/data/grastate.dat" 2>/dev/null; then
      die "node $n is not safe to bootstrap (it was not the last node to stop); see $(dir_of "$n")/data/grastate.dat, or start afresh with: $0 destroy && $0 start"
    fi
    args+=(--wsrep-new-cluster)
    say "node $n: bootstrapping a new cluster"
  else
    say "node $n: joining"
  fi
  launch "$n" "${args[@]}"
}

# any_running: some node of the cluster is up.
any_running() {
  local n
  for n in "${NODES[@]}"; do running "$n" && return 0; done
  return 1
}

# grant_root: root over TCP from 127.0.0.1 without a password (the node's
# root@localhost is unix-socket only). Replicated to every node.
grant_root() {
  sql 1 "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
         GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
}

# wait_cluster: until every node is Synced and the cluster has 3 members.
wait_cluster() {
  local n size="" i
  for n in "${NODES[@]}"; do wait_synced "$n"; done
  for ((i = 0; i < WAIT_SECONDS; i++)); do
    size=$(status_var 1 wsrep_cluster_size)
    [ "$size" = 3 ] && return 0
    sleep 1
  done
  die "the cluster has ${size:-no} members, not 3"
}

cmd_start() {
  mkdir -p "$BASE"
  chmod 755 "$BASE"
  if any_running; then
    # A cluster exists: whichever nodes are down join it.
    for n in "${NODES[@]}"; do start_node "$n" join; done
  else
    # No cluster: node 1 bootstraps it, then the others join, one at a
    # time (each joiner takes an SST from a donor on its first start).
    start_node 1 bootstrap
    wait_synced 1
    for n in 2 3; do
      start_node "$n" join
      wait_synced "$n"
    done
  fi
  wait_cluster
  grant_root
  say "cluster up: 3 nodes Synced on 127.0.0.1:4306, 4307, 4308"
}

# stop_node N: a clean shutdown (SIGTERM), waiting until it is gone.
stop_node() {
  local n=$1 pid i
  if ! running "$n"; then
    say "node $n: not running"
    return 0
  fi
  pid=$(pid_of "$n")
  kill -TERM "$pid"
  for ((i = 0; i < 120; i++)); do
    [ -d "/proc/$pid" ] || { say "node $n: stopped"; return 0; }
    sleep 0.5
  done
  die "node $n (pid $pid) did not stop within 60s"
}

cmd_stop() {
  local n
  for n in 3 2 1; do stop_node "$n"; done
}

cmd_status() {
  local n state size
  for n in "${NODES[@]}"; do
    if running "$n"; then
      state=$(status_var "$n" wsrep_local_state_comment)
      size=$(status_var "$n" wsrep_cluster_size)
      echo "node $n: running (pid $(pid_of "$n")), 127.0.0.1:$(client_port "$n"), ${state:-not answering}, cluster size ${size:-?}"
    else
      echo "node $n: not running"
    fi
  done
}

cmd_kill() {
  check_node "$1"
  running "$1" || die "node $1 is not running"
  kill -KILL "$(pid_of "$1")"
  while running "$1"; do sleep 0.1; done
  say "node $1: killed (-9)"
}

cmd_restart() {
  local n=$1 other=0 m
  check_node "$n"
  for m in "${NODES[@]}"; do [ "$m" != "$n" ] && running "$m" && other=1; done
  [ "$other" = 1 ] || die "no other node runs: there is no cluster to rejoin (use: $0 start)"
  start_node "$n" join
  wait_synced "$n"
  say "node $n: Synced, cluster size $(status_var "$n" wsrep_cluster_size)"
}

cmd_destroy() {
  cmd_stop
  rm -rf "$BASE"
  say "removed $BASE"
}

[ "$(id -u)" = 0 ] || die "run as root (it chowns the datadirs and runs mariadbd as $RUN_AS)"
[ -x "$MARIADBD" ] || die "$MARIADBD is missing"
[ -r "$PROVIDER" ] || die "$PROVIDER is missing (apt-get install galera-4)"

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
kill) cmd_kill "${2:-}" ;;
restart) cmd_restart "${2:-}" ;;
destroy) cmd_destroy ;;
*)
  echo "usage: $0 start|stop|status|kill N|restart N|destroy" >&2
  exit 2
  ;;
esac
