# shellcheck shell=bash
# Builds .deb packages with dpkg-deb for the lab apt repositories. Sourced by kube-debs.sh and
# containerd-debs.sh after common.sh, never run.

# deb NAME VERSION OUT_DIR FIELDS FILES_FN SOURCE...: builds OUT_DIR/NAME_VERSION_amd64.deb.
#   FIELDS    extra control lines (Depends:, Conflicts:, Description: ...), newline-separated; the
#             Description line's text is followed by a line saying this is a lab build.
#   FILES_FN  called with the package root: installs the files, may add DEBIAN/{conffiles,postinst,...}.
#   SOURCE    the files the package is made of (binaries): rebuilt only when one of them, this library
#             or the calling recipe changed (path, size, mtime; cheap, no hashing). A missing SOURCE
#             skips the package with a warning, and removes an older build of it.
deb() {
  local name="$1" version="$2" out="$3" fields="$4" files_fn="$5"; shift 5
  local file="$out/${name}_${version}_amd64.deb" stamp_file="$out/.${name}_${version}.src" src root stamp
  for src in "$@"; do
    if [[ ! -e "$src" ]]; then
      rm -f "$file" "$stamp_file"
      echo "lab: WARNING: $src is missing; package $name $version skipped (build it: bash lab/toolchain/build.sh)" >&2
      return 0
    fi
  done
  stamp="$(stat -L -c '%n %s %Y' "$@" "${BASH_SOURCE[0]}" "${BASH_SOURCE[1]}")"
  [[ -f "$file" && "$(cat "$stamp_file" 2>/dev/null)" == "$stamp" ]] && return 0
  root=$(mktemp -d)
  mkdir -p "$root/DEBIAN"
  "$files_fn" "$root"
  {
    echo "Package: $name"
    echo "Version: $version"
    echo "Architecture: amd64"
    echo "Maintainer: kubeadm-workers lab <lab@kubeadm-workers.invalid>"
    echo "Section: admin"
    echo "Priority: optional"
    echo "$fields"
    echo " Built by the kubeadm-workers lab from the project toolchain; not an upstream build."
  } >"$root/DEBIAN/control"
  # Uncompressed: these are big Go binaries served on a local bridge; compressing costs a minute.
  dpkg-deb --root-owner-group -Znone --build "$root" "$file.tmp" >/dev/null
  mv "$file.tmp" "$file"
  echo "$stamp" >"$stamp_file"
  rm -rf "$root"
  log "built $(basename "$file")"
}

# systemd_scripts ROOT UNIT [START]: maintainer scripts like debhelper's dh_installsystemd: enable
# UNIT at install (and start it when START=start), stop it on removal, forget it on purge. They call
# systemctl only where systemd runs (the lab hosts' shim creates /run/systemd/system, as systemd does).
systemd_scripts() {
  local root="$1" unit="$2" start="${3:-}"
  cat >"$root/DEBIAN/postinst" <<SCRIPT
#!/bin/sh
set -e
if [ "\$1" = configure ] && command -v deb-systemd-helper >/dev/null; then
  deb-systemd-helper unmask $unit >/dev/null || true
  deb-systemd-helper enable $unit >/dev/null || true
fi
SCRIPT
  if [[ "$start" == start ]]; then
    cat >>"$root/DEBIAN/postinst" <<SCRIPT
if [ "\$1" = configure ] && [ -d /run/systemd/system ]; then
  deb-systemd-invoke restart $unit >/dev/null || true
fi
SCRIPT
  fi
  cat >"$root/DEBIAN/prerm" <<SCRIPT
#!/bin/sh
set -e
if [ "\$1" = remove ] && [ -d /run/systemd/system ]; then
  deb-systemd-invoke stop $unit >/dev/null || true
fi
SCRIPT
  cat >"$root/DEBIAN/postrm" <<SCRIPT
#!/bin/sh
set -e
if [ "\$1" = purge ] && command -v deb-systemd-helper >/dev/null; then
  deb-systemd-helper purge $unit >/dev/null || true
fi
SCRIPT
  chmod 755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"
}
