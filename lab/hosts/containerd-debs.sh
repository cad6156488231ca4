#!/usr/bin/env bash
# Usage: containerd-debs.sh OUT_DIR. Builds containerd.io $CONTAINERD_VERSION-1 with dpkg-deb from the
# toolchain's containerd 2 and runc, shaped like the containerd.io package of the repository Kubernetes'
# container-runtime docs point Debian users to: containerd, containerd-shim-runc-v2, ctr and runc in
# /usr/bin, upstream's containerd.service, and /etc/containerd/config.toml (a conffile) with the CRI
# plugin disabled, as that package ships it; whoever installs it for Kubernetes must write a config
# with CRI enabled, as kubeadm's docs tell users. Conflicts with and replaces Debian's containerd and runc.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
. "$HOSTS_DIR/deb-lib.sh"
out="$1"; mkdir -p "$out"

{ read -r containerd_dir; read -r containerd_version; read -r runc_dir; } < <(
  KW_CACHE="$KW_CACHE" bash -c '. "$1/lab/toolchain/common.sh" && printf "%s\n" "$CONTAINERD_DIR" "$CONTAINERD_VERSION" "$RUNC_DIR"' _ "$REPO_ROOT")
binaries=("$containerd_dir/bin/containerd" "$containerd_dir/bin/containerd-shim-runc-v2" "$containerd_dir/bin/ctr" "$runc_dir/bin/runc")

containerd_files() {
  local root="$1" bin
  for bin in "${binaries[@]}"; do install -D -m 755 "$bin" "$root/usr/bin/${bin##*/}"; done
  install -D -m 644 /dev/stdin "$root/usr/lib/systemd/system/containerd.service" <<'UNIT'
# Copyright The containerd Authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

[Unit]
Description=containerd container runtime
Documentation=https://containerd.io
After=network.target dbus.service

[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/bin/containerd

Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5

# Having non-zero Limit*s causes performance problems due to accounting overhead
# in the kernel. We recommend using cgroups to do container-local accounting.
LimitNPROC=infinity
LimitCORE=infinity

# Comment TasksMax if your systemd version does not supports it.
# Only systemd 226 and above support this version.
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
UNIT
  install -D -m 644 /dev/stdin "$root/etc/containerd/config.toml" <<'TOML'
#   Copyright 2018-2022 Docker Inc.

#   Licensed under the Apache License, Version 2.0 (the "License");
#   you may not use this file except in compliance with the License.
#   You may obtain a copy of the License at

#       http://www.apache.org/licenses/LICENSE-2.0

#   Unless required by applicable law or agreed to in writing, software
#   distributed under the License is distributed on an "AS IS" BASIS,
#   WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
#   See the License for the specific language governing permissions and
#   limitations under the License.

disabled_plugins = ["cri"]

#root = "/var/lib/containerd"
#state = "/run/containerd"
#subreaper = true
#oom_score = 0

#[grpc]
#  address = "/run/containerd/containerd.sock"
#  uid = 0
#  gid = 0

#[debug]
#  address = "/run/containerd/debug.sock"
#  uid = 0
#  gid = 0
#  level = "info"
TOML
  echo /etc/containerd/config.toml >"$root/DEBIAN/conffiles"
  # Enabled and started at install, like the real package (dh_installsystemd's defaults).
  systemd_scripts "$root" containerd.service start
}

deb containerd.io "$containerd_version-1" "$out" "Provides: containerd, runc
Conflicts: containerd, runc
Replaces: containerd, runc
Description: An open and reliable container runtime" containerd_files "${binaries[@]}"
