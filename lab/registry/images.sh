#!/usr/bin/env bash
# Pushes the lab's images (built by the lab-images toolchain component) into the running lab registry.
# Idempotent: kw-image sends only what the registry lacks.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pause=$(pause_ref)
for pair in "pause $pause" "kw-testapp $TESTAPP_REF" "kw-cni $CNI_REF"; do
  read -r image ref <<<"$pair"
  "$LAB_IMAGES_DIR/bin/kw-image" push -layout "$LAB_IMAGES_DIR/images/$image" -ref "$ref"
done
