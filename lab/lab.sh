#!/usr/bin/env bash
# npm run lab -- up [--hosts N] | status | down | restart COMPONENT [SECONDS_DOWN] | host NAME offline|online
# The lab: SSH hosts in network namespaces on the bridge kw-br0 (lab/hosts/) and a kubeadm-compatible
# control plane as processes (lab/control-plane/). State lives in .lab/ (see README, "Lab").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The address hosts dial for the API server: the lab bridge's own (lab/hosts/common.sh sets it up).
export LAB_BRIDGE_IP=10.213.0.1

usage() { echo "usage: npm run lab -- up [--hosts N] | status | down | restart COMPONENT [SECONDS_DOWN] | host lab-host-N offline|online" >&2; exit 2; }

case "${1:-}" in
  up)
    shift
    started=$(date +%s)
    bash "$here/toolchain/build.sh"
    bash "$here/hosts/up.sh" "$@"
    bash "$here/control-plane/up.sh"
    bash "$here/registry/up.sh"
    echo "lab: up in $(( $(date +%s) - started ))s"
    ;;
  status)
    rc=0
    bash "$here/control-plane/status.sh" || rc=1
    bash "$here/hosts/status.sh" || rc=1
    bash "$here/registry/status.sh" || rc=1
    exit $rc
    ;;
  down)
    rc=0
    bash "$here/registry/down.sh" || rc=1
    bash "$here/control-plane/down.sh" || rc=1
    bash "$here/hosts/down.sh" || rc=1
    exit $rc
    ;;
  # Faults on a running lab, for the fault tests (test/e2e/faults*.test.ts) and by hand:
  # a control-plane component killed (SIGKILL) and started again; a host off the network and back.
  restart) shift; bash "$here/control-plane/restart.sh" "$@" ;;
  host) shift; bash "$here/hosts/host-link.sh" "$@" ;;
  *) usage ;;
esac
