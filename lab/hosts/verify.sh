#!/usr/bin/env bash
# Usage: verify.sh. Smoke check of a running lab, from the machine, the way the provider will see it:
# SSH to every host in hosts.json with the lab key and strict host key checking, check its hostname
# and address; on the first host install containerd from the lab repository and ask `ctr version`
# (containerd started by the package's postinst through the systemctl shim); if the lab repository
# has kubeadm, install the Kubernetes packages the pkgs.k8s.io way and check their versions.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
known="$LAB_DIR/known_hosts"
# hosts.json -> known_hosts, with nothing but sed (no jq on a fresh machine).
sed -n 's/.*"address":"\([^"]*\)".*"hostKey":"\([^"]*\)".*/\1 \2/p' "$LAB_DIR/hosts.json" >"$known"
ssh_() { ssh -i "$LAB_DIR/ssh/id_ed25519" -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$known" \
  -o BatchMode=yes -o ConnectTimeout=5 "root@$1" "${@:2}"; }

first=
while read -r addr _; do
  got=$(ssh_ "$addr" 'echo "$(hostname) $(ip -4 -o addr show eth0 | awk "{print \$4}") pids=$(ls /proc | grep -c "^[0-9]")"' </dev/null)
  echo "ssh root@$addr: $got"
  [[ "$got" == lab-host-$(( ${addr##*.} - 10 ))" $addr/24 "* ]] || fail "unexpected answer from $addr"
  first=${first:-$addr}
done <"$known"

ssh_ "$first" 'set -e
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q containerd >/dev/null
  echo "containerd: $(systemctl is-active containerd), $(ctr version | awk "/Server:/{s=1} s&&/Version:/{print \$2; exit}")"'

if curl -fsS -o /dev/null "http://$LAB_GATEWAY:$APT_PORT/kubernetes/core:/stable:/v$KUBE_MINOR/deb/kubeadm_$KUBE_VERSION-1_amd64.deb" -r 0-0 2>/dev/null; then
  ssh_ "$first" "set -e
    export DEBIAN_FRONTEND=noninteractive
    mkdir -p /etc/apt/keyrings
    curl -fsSL http://$LAB_GATEWAY:$APT_PORT/kubernetes/core:/stable:/v$KUBE_MINOR/deb/Release.key | gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
    echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] http://$LAB_GATEWAY:$APT_PORT/kubernetes/core:/stable:/v$KUBE_MINOR/deb/ /' >/etc/apt/sources.list.d/kubernetes.list
    apt-get update -q >/dev/null
    apt-get install -y -q kubelet kubeadm kubectl >/dev/null
    echo \"kubeadm \$(kubeadm version -o short), kubelet enabled: \$(systemctl is-enabled kubelet)\""
else
  echo "lab: kubeadm package not in the lab repository (toolchain not built); skipped" >&2
fi
echo "verify: ok"
