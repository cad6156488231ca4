#!/usr/bin/env bash
# Smoke test of a running lab control plane (after up.sh), the checks a kubeadm join relies on:
# readiness, admin access, anonymous cluster-info, RBAC denial, kwok Nodes and a Deployment going
# Ready, and the bootstrap signer (the kubelet's TLS bootstrap runs in every join of a lab host).
# Leaves nothing behind: every object it creates is deleted.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kubectl="$KUBERNETES_DIR/bin/kubectl"
server="https://$ENDPOINT_IP:$APISERVER_PORT"
tmp=$(mktemp -d)
ns=lab-verify
cleanup() {
  kubectl_admin delete namespace "$ns" --ignore-not-found --wait=false >/dev/null 2>&1
  kubectl_admin delete node lab-verify-0 lab-verify-1 --ignore-not-found >/dev/null 2>&1
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

echo "verify: all checks passed"
