#!/usr/bin/env bash
# Smoke test of a running lab control plane (after up.sh), the checks a kubeadm join relies on:
# readiness, admin access, anonymous cluster-info, RBAC denial, kwok Nodes and a Deployment going
# Ready, the bootstrap signer, and the kubelet stand-in's TLS bootstrap + registration.
# Leaves nothing behind: every object it creates is deleted, the stand-in is stopped by its PID.
# Env: STANDIN (path of the stand-in kubelet; default: the toolchain's).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kubectl="$KUBERNETES_DIR/bin/kubectl"
standin="${STANDIN:-$KUBELET_STANDIN_DIR/bin/kubelet}"
server="https://$ENDPOINT_IP:$APISERVER_PORT"
tmp=$(mktemp -d)
standin_pid=""
ns=lab-verify
cleanup() {
  [[ -n "$standin_pid" ]] && kill -TERM "$standin_pid" 2>/dev/null && wait "$standin_pid" 2>/dev/null
  kubectl_admin delete namespace "$ns" --ignore-not-found --wait=false >/dev/null 2>&1
  kubectl_admin delete node lab-verify-0 lab-verify-1 lab-verify-standin --ignore-not-found >/dev/null 2>&1
  kubectl_admin -n kube-system delete secret bootstrap-token-vrfy01 --ignore-not-found >/dev/null 2>&1
  kubectl_admin delete csr -l lab-verify --ignore-not-found >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
step() { printf 'verify: %-58s ' "$1"; }
ok() { echo "ok${1:+ ($1)}"; }
die() { echo "FAILED: $*"; exit 1; }
# until_true TIMEOUT CMD...: polls CMD every 0.5s.
until_true() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do (( $(date +%s) < deadline )) || return 1; sleep 0.5; done
}

step "apiserver /readyz"
[[ "$(curl -fsS --cacert "$PKI_DIR/ca.crt" "$server/readyz")" == ok ]] && ok || die "/readyz not ok"

step "admin: kubectl get --raw /api"
kubectl_admin get --raw /api | grep -q '"versions"' && ok || die "/api"

# Anonymous requests go through curl: kubectl prompts for a password when a kubeconfig has no user.
anonymous_get() { curl -sS --cacert "$PKI_DIR/ca.crt" -o /dev/null -w '%{http_code}' "$server$1"; }
step "anonymous: get configmap cluster-info -n kube-public"
code=$(anonymous_get /api/v1/namespaces/kube-public/configmaps/cluster-info)
[[ "$code" == 200 ]] && ok "HTTP 200" || die "anonymous read of cluster-info: HTTP $code"
step "anonymous: denied configmaps in kube-system"
code=$(anonymous_get /api/v1/namespaces/kube-system/configmaps)
[[ "$code" == 403 ]] && ok "HTTP 403" || die "anonymous list of kube-system configmaps: HTTP $code"

step "unprivileged service account is denied secrets"
kubectl_admin create namespace "$ns" >/dev/null
until_true 30 kubectl_admin -n "$ns" get serviceaccount default || die "no default ServiceAccount in $ns"
kubectl_admin -n "$ns" create serviceaccount nobody >/dev/null
token=$(kubectl_admin -n "$ns" create token nobody)
"$kubectl" config --kubeconfig "$tmp/nobody.conf" set-cluster lab --server "$server" --certificate-authority "$PKI_DIR/ca.crt" >/dev/null
"$kubectl" config --kubeconfig "$tmp/nobody.conf" set-credentials nobody --token "$token" >/dev/null
"$kubectl" config --kubeconfig "$tmp/nobody.conf" set-context lab --cluster lab --user nobody >/dev/null
"$kubectl" config --kubeconfig "$tmp/nobody.conf" use-context lab >/dev/null
out=$("$kubectl" --kubeconfig "$tmp/nobody.conf" -n kube-system get secrets 2>&1) && die "nobody could list secrets"
grep -q Forbidden <<<"$out" && ok "Forbidden" || die "unexpected: $out"

step "2 kwok Nodes become Ready"
for i in 0 1; do
  kubectl_admin apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata:
  name: lab-verify-$i
  annotations: {kwok.x-k8s.io/node: fake}
  labels: {type: kwok}
YAML
done
t0=$(date +%s%N)
kubectl_admin wait --for=condition=Ready node/lab-verify-0 node/lab-verify-1 --timeout=60s >/dev/null || die "kwok Nodes not Ready"
ok "$(( ($(date +%s%N) - t0) / 1000000 )) ms"

step "Deployment of 3 replicas becomes Ready"
t0=$(date +%s%N)
kubectl_admin -n "$ns" create deployment web --image=registry.k8s.io/pause:3.10 --replicas=3 >/dev/null
kubectl_admin -n "$ns" rollout status deployment/web --timeout=90s >/dev/null || die "Deployment not Ready"
ready=$(kubectl_admin -n "$ns" get deployment web -o jsonpath='{.status.readyReplicas}')
[[ "$ready" == 3 ]] || die "readyReplicas=$ready"
ok "3/3 in $(( ($(date +%s%N) - t0) / 1000000 )) ms on $(kubectl_admin -n "$ns" get pods -o jsonpath='{.items[*].spec.nodeName}' | tr ' ' '\n' | sort -u | paste -sd,)"

step "bootstrap token -> signer adds jws-kubeconfig-vrfy01"
secret=$(openssl rand -hex 8)
kubectl_admin -n kube-system create secret generic bootstrap-token-vrfy01 --type=bootstrap.kubernetes.io/token \
  --from-literal=token-id=vrfy01 --from-literal=token-secret="$secret" \
  --from-literal=expiration="$(date -u -d '+15 min' +%FT%TZ)" \
  --from-literal=usage-bootstrap-authentication=true --from-literal=usage-bootstrap-signing=true \
  --from-literal=auth-extra-groups=system:bootstrappers:kubeadm:default-node-token >/dev/null
has_jws() { kubectl_admin -n kube-public get configmap cluster-info -o jsonpath='{.data.jws-kubeconfig-vrfy01}' | grep -q .; }
t0=$(date +%s%N)
until_true 30 has_jws && ok "$(( ($(date +%s%N) - t0) / 1000000 )) ms" || die "no jws-kubeconfig-vrfy01 in cluster-info"

step "kubelet stand-in: TLS bootstrap, CSR approved, Node Ready"
[[ -x "$standin" ]] || die "$standin missing; build it with: bash lab/toolchain/build.sh kubelet-standin"
( umask 077
  "$kubectl" config --kubeconfig "$tmp/bootstrap-kubelet.conf" set-cluster lab --server "$server" \
    --certificate-authority "$PKI_DIR/ca.crt" --embed-certs >/dev/null
  "$kubectl" config --kubeconfig "$tmp/bootstrap-kubelet.conf" set-credentials tls-bootstrap-token-user --token "vrfy01.$secret" >/dev/null
  "$kubectl" config --kubeconfig "$tmp/bootstrap-kubelet.conf" set-context lab --cluster lab --user tls-bootstrap-token-user >/dev/null
  "$kubectl" config --kubeconfig "$tmp/bootstrap-kubelet.conf" use-context lab >/dev/null )
t0=$(date +%s%N)
"$standin" --bootstrap-kubeconfig="$tmp/bootstrap-kubelet.conf" --kubeconfig="$tmp/kubelet.conf" \
  --cert-dir="$tmp/pki" --hostname-override=lab-verify-standin --node-labels=lab/role=worker,node.kubernetes.io/exclude-from-external-load-balancers=true \
  --register-with-taints=lab/dedicated=verify:NoSchedule --container-runtime-endpoint=unix://"$tmp/no-runtime.sock" \
  --pod-infra-container-image=registry.k8s.io/pause:3.10 --cgroup-driver=systemd --some-unknown-flag=1 \
  >"$tmp/standin.log" 2>&1 &
standin_pid=$!
until_true 60 curl -fsS http://127.0.0.1:10248/healthz || { cat "$tmp/standin.log"; die "stand-in healthz never answered"; }
kubectl_admin wait --for=condition=Ready node/lab-verify-standin --timeout=60s >/dev/null || { cat "$tmp/standin.log"; die "stand-in Node not Ready"; }
ok "$(( ($(date +%s%N) - t0) / 1000000 )) ms"
csr=$(kubectl_admin get csr -o jsonpath='{range .items[?(@.spec.username=="system:bootstrap:vrfy01")]}{.metadata.name} {.spec.signerName} {.status.conditions[0].type}{"\n"}{end}')
echo "verify:   CSR: $csr"
grep -q 'kubernetes.io/kube-apiserver-client-kubelet Approved' <<<"$csr" || die "CSR not approved: $csr"
kubectl_admin label csr "${csr%% *}" lab-verify=1 >/dev/null
echo "verify:   kubelet.conf user: $(grep -E 'client-(certificate|key):' "$tmp/kubelet.conf" | sort -u | tr -s ' ' | paste -sd' ')"
echo "verify:   client cert: $(openssl x509 -in "$tmp/pki/kubelet-client-current.pem" -noout -subject -issuer | paste -sd' ')"
echo "verify:   Node: $(kubectl_admin get node lab-verify-standin -o jsonpath='labels={.metadata.labels} taints={.spec.taints} kubelet={.status.nodeInfo.kubeletVersion} ip={.status.addresses[0].address}')"
echo "verify: all checks passed"
