#!/usr/bin/env bash
# Writes $LAB_DIR/cluster.json: what a stack needs to target this lab, in the shapes of the provider's
# inputs (apiServerEndpoint, packages, containerd, kubeadm), plus the lab's image references. Tests,
# lab/demo.sh and the README's examples read it instead of hard-coding the lab.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# PULUMI_KUBERNETES_VERSION: the label of the Kubernetes resource plugin the toolchain builds, which
# the lab's stacks name as kubernetesPluginVersion (no registry serves it; stacks/kubernetes-plugin-version.ts).
# shellcheck source=../toolchain/components/pulumi-kubernetes.sh
. "$REPO_ROOT/lab/toolchain/components/pulumi-kubernetes.sh"
key="$LAB_DIR/apt/repo/kw-lab.asc"
[[ -s "$key" ]] || { echo "registry: the lab apt key $key is missing; bring the lab hosts up first" >&2; exit 1; }
pause=$(pause_ref)
tmp="$CLUSTER_JSON.tmp"
CLUSTER_JSON_KEY="$key" "$NODE_DIR/bin/node" - \
  "$LAB_BRIDGE_IP" "${KUBERNETES_VERSION%.*}" "$REGISTRY_ADDR" "$pause" "$TESTAPP_REF" "$CNI_REF" "$PULUMI_KUBERNETES_VERSION" >"$tmp" <<'JS'
const [bridge, minor, registry, pause, testApp, cni, kubernetesPluginVersion] = process.argv.slice(2);
const aptKey = require("node:fs").readFileSync(process.env.CLUSTER_JSON_KEY, "utf8");
const repo = `http://${bridge}:8080`;
const mirror = [`http://${registry}`];
const cluster = {
  apiServerEndpoint: `${bridge}:6443`,
  packages: { aptRepository: `${repo}/kubernetes/core:/stable:/v${minor}/deb/`, aptDistribution: "/", aptKey },
  containerd: {
    aptRepository: `${repo}/containerd/`,
    aptDistribution: "/",
    aptKey,
    package: "containerd.io",
    // The lab registry stands in for registry.k8s.io (as an air-gapped mirror does) and serves its own names over plain HTTP.
    registryMirrors: { "registry.k8s.io": mirror, [registry]: mirror },
    sandboxImage: pause,
    // This machine refuses to lower oom_score_adj, and runc fails every sandbox unless containerd's
    // CRI leaves it alone: the lab's one containerd need, through the provider's general drop-in.
    configDropIn: "version = 3\n[plugins.'io.containerd.cri.v1.runtime']\n  restrict_oom_score_adj = true\n",
  },
  // The lab machine's kernel runs cgroup v1, which kubeadm 1.36's SystemVerification refuses.
  kubeadm: { ignorePreflightErrors: ["SystemVerification"] },
  // The lab's build of the Kubernetes resource plugin (bash lab/toolchain/build.sh pulumi-kubernetes):
  // a stack using @pulumi/kubernetes here must ask for it, since nothing may download a plugin.
  kubernetesPluginVersion,
  registry,
  images: { pause, testApp, cni },
};
process.stdout.write(JSON.stringify(cluster, null, 2) + "\n");
JS
mv "$tmp" "$CLUSTER_JSON"
registry_log "wrote $CLUSTER_JSON"
