#!/usr/bin/env bash
# Creates the lab's PKI with openssl, kubeadm's layout and subjects: one CA that signs the API
# server's serving cert and every client cert (it is also the controller manager's CSR signing CA,
# as in kubeadm), plus the service-account key pair. Idempotent: existing files are kept, except the
# serving cert, which is re-issued when LAB_BRIDGE_IP is not among its SANs (the API server reloads
# it from disk without a restart).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$PKI_DIR"
chmod 700 "$PKI_DIR"
cd "$PKI_DIR"
umask 077

if [[ ! -f ca.crt ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=kubernetes" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
fi

# issue NAME SUBJECT EXTENSIONS: key + cert signed by the CA, valid a year. Written aside and renamed
# into place, so a running API server reloading its serving pair never reads a half-written file.
issue() {
  local name="$1" subj="$2" ext="$3"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key.new" -out "$name.csr" -subj "$subj" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -out "$name.crt.new" \
    -extfile <(printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" "$ext") 2>/dev/null
  mv "$name.key.new" "$name.key" && mv "$name.crt.new" "$name.crt"
  rm -f "$name.csr"
}
client() { [[ -f "$1.crt" ]] || issue "$1" "$2" "extendedKeyUsage=clientAuth"; }

sans="DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
sans+=",IP:127.0.0.1,IP:$FIRST_SERVICE_IP"
[[ -n "$LAB_BRIDGE_IP" ]] && sans+=",IP:$LAB_BRIDGE_IP"
if [[ ! -f apiserver.crt ]] || { [[ -n "$LAB_BRIDGE_IP" ]] &&
     ! openssl x509 -in apiserver.crt -noout -ext subjectAltName | grep -qw "IP Address:$LAB_BRIDGE_IP"; }; then
  issue apiserver "/CN=kube-apiserver" "extendedKeyUsage=serverAuth
subjectAltName=$sans"
fi

client admin "/O=system:masters/CN=kubernetes-admin"
client controller-manager "/CN=system:kube-controller-manager"
client scheduler "/CN=system:kube-scheduler"
# kwok writes status for every Node and Pod it manages, as kwokctl's cluster does with an admin cert.
client kwok "/O=system:masters/CN=kwok-controller"
# What the API server presents to kubelets (logs, exec); kubeadm's subject.
client apiserver-kubelet-client "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client"

if [[ ! -f sa.key ]]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key 2>/dev/null
  openssl pkey -in sa.key -pubout -out sa.pub
fi
chmod 644 ca.crt
