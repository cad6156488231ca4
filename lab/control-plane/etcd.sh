#!/usr/bin/env bash
# Starts etcd on loopback, plain HTTP (nothing but the API server on this machine talks to it), with
# its data on a tmpfs and --unsafe-no-fsync: the lab's cluster state is disposable, and fsync on a
# shared 2-core machine is what makes a test-sized cluster slow. down.sh unmounts the tmpfs.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$ETCD_DATA"
if ! mountpoint -q "$ETCD_DATA"; then
  mount -t tmpfs -o size=2g,mode=0700 lab-etcd "$ETCD_DATA"
  echo "$ETCD_DATA" >"$CP_DIR/tmpfs-mounts"   # down.sh unmounts only what is listed here
fi
start etcd "$ETCD_DIR/bin/etcd" \
  --name=lab --data-dir="$ETCD_DATA/data" \
  --listen-client-urls="http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="lab=http://127.0.0.1:$ETCD_PEER_PORT" \
  --listen-metrics-urls="" \
  --unsafe-no-fsync --auto-compaction-retention=1 --quota-backend-bytes=$((1536 * 1024 * 1024))
wait_healthy etcd "http://127.0.0.1:$ETCD_CLIENT_PORT/health" 30
