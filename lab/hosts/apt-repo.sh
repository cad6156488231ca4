#!/usr/bin/env bash
# Builds the lab apt repositories under $LAB_DIR/apt/repo and serves them on the lab bridge
# (http://10.213.0.1:8080/, bound to that address only). Called by up.sh; idempotent.
#   debian/                               flat repo standing in for the Debian mirror: containerd, runc,
#                                         kubelet's runtime deps, plus every dependency the host rootfs
#                                         lacks (resolved by apt against the rootfs's dpkg status).
#   kubernetes/core:/stable:/v1.36/deb/   flat repo shaped like pkgs.k8s.io: kubeadm, kubectl, kubelet of
#                                         two patch releases, kubernetes-cni (see kube-debs.sh), with its
#                                         Release.key.
#   containerd/                           flat repo standing in for the one that ships containerd.io:
#                                         containerd 2 with runc (see containerd-debs.sh).
#   kw-lab.gpg, kw-lab.asc                the lab signing key (binary for signed-by=, armored for curl).
# Both repositories are signed (InRelease, Release.gpg) with a lab key kept in $LAB_DIR/apt/gnupg.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need apt-ftparchive apt-utils
need gpg gnupg
need /usr/bin/python3 python3

apt_dir="$LAB_DIR/apt"; repo="$apt_dir/repo"
debian_repo="$repo/debian"; kube_repo="$repo/kubernetes/core:/stable:/v$KUBE_MINOR/deb"
containerd_repo="$repo/containerd"
mkdir -p "$debian_repo" "$kube_repo" "$containerd_repo"

# Debian's packages, downloaded once per rootfs recipe into the cache (they do not change with LAB_DIR).
# `apt-get install --download-only` with the rootfs's dpkg status is `apt-get download` plus dependency
# resolution: it fetches exactly what a host would have to install, from this machine's sources.
debs="$KW_CACHE/debs/debian-$ROOTFS_SUITE-$ROOTFS_RECIPE-d1"
debian_packages=(containerd runc socat ethtool conntrack)
if [[ ! -d "$debs" ]]; then
  tmp="$debs.partial.$$"; rm -rf "$tmp"; mkdir -p "$tmp/partial"
  download() {
    apt-get install --download-only -y -q -o Debug::NoLocking=1 \
      -o Dir::State::status="$ROOTFS_DIR/var/lib/dpkg/status" -o Dir::Cache::archives="$tmp" \
      "${debian_packages[@]}" >"$tmp.log" 2>&1
  }
  if ! download; then
    apt-get update -q >/dev/null && download || { tail -n 20 "$tmp.log" >&2; rm -rf "$tmp"; fail "downloading ${debian_packages[*]} failed"; }
  fi
  rm -rf "$tmp/partial" "$tmp/lock" "$tmp.log"
  mv "$tmp" "$debs"
fi
for deb in "$debs"/*.deb; do ln -sf "$deb" "$debian_repo/"; done

bash "$HOSTS_DIR/kube-debs.sh" "$kube_repo"
bash "$HOSTS_DIR/containerd-debs.sh" "$containerd_repo"

# The signing key: made once per LAB_DIR, public half published next to the repositories.
export GNUPGHOME="$apt_dir/gnupg"
mkdir -p "$GNUPGHOME"; chmod 700 "$GNUPGHOME"
if ! gpg --batch --list-secret-keys 2>/dev/null | grep -q .; then
  gpg --batch --passphrase '' --quick-gen-key 'kubeadm-workers lab apt <lab@kubeadm-workers.invalid>' ed25519 sign never 2>/dev/null
fi
gpg --batch --export >"$repo/kw-lab.gpg"
gpg --batch --armor --export >"$repo/kw-lab.asc"
cp "$repo/kw-lab.asc" "$kube_repo/Release.key"
cp "$repo/kw-lab.asc" "$containerd_repo/gpg"

# index DIR ORIGIN: Packages, Release, InRelease and Release.gpg for a flat repository, redone only
# when its set of .deb files changed.
index() {
  local dir="$1" origin="$2" stamp
  stamp=$(cd "$dir" && find -L . -maxdepth 1 -name '*.deb' -printf '%f %s %T@\n' | sort | md5sum)
  [[ -f "$dir/InRelease" && "$(cat "$dir/.stamp" 2>/dev/null)" == "$stamp" ]] && return 0
  (
    cd "$dir"
    apt-ftparchive packages . >Packages 2>/dev/null
    gzip -9nkf Packages
    apt-ftparchive -o APT::FTPArchive::Release::Origin="$origin" -o APT::FTPArchive::Release::Label="$origin" \
      release . >Release.new && mv Release.new Release
    rm -f InRelease Release.gpg
    gpg --batch --yes --clearsign -o InRelease Release
    gpg --batch --yes -abs -o Release.gpg Release
  )
  echo "$stamp" >"$dir/.stamp"
}
index "$debian_repo" "kubeadm-workers-lab-debian"
index "$kube_repo" "kubeadm-workers-lab-kubernetes"
index "$containerd_repo" "kubeadm-workers-lab-containerd"
gpgconf --kill gpg-agent 2>/dev/null || true   # gpg started it; leave no process of ours behind

# The server: plain static files over HTTP, bound to the bridge address only.
pidfile="$apt_dir/http.pid"
if [[ -s "$pidfile" ]] && grep -qa http.server "/proc/$(<"$pidfile")/cmdline" 2>/dev/null; then
  exit 0
fi
setsid /usr/bin/python3 -m http.server --bind "$LAB_GATEWAY" --directory "$repo" "$APT_PORT" \
  </dev/null >>"$apt_dir/http.log" 2>&1 9>&- &
echo $! >"$pidfile"
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/$LAB_GATEWAY/$APT_PORT") 2>/dev/null && exit 0
  sleep 0.1
done
tail -n 5 "$apt_dir/http.log" >&2
fail "apt repository server did not start on $LAB_GATEWAY:$APT_PORT"
