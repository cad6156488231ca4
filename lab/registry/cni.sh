#!/usr/bin/env bash
# Applies the lab's CNI DaemonSet (kw-cni, lab/images/kw-cni), as a cluster's CNI add-on is applied
# after `kubeadm init`: on every real node it writes /etc/cni/net.d/10-kw-bridge.conflist with the
# node's own pod /24 (from status.hostIP, no API call) and sleeps. It keeps off kwok's fake Nodes.
# Its tolerations are flannel's (kube-flannel.yml): every NoSchedule taint, so it runs on a node that
# is NotReady (tainted not-ready until its network config exists) and on control-plane nodes; the
# DaemonSet controller adds the not-ready and unreachable NoExecute ones. A NoExecute taint of the
# node's own keeps it off, and that node never gets its network (NetworkReady=false), as on a cluster
# running flannel: test/e2e/join-not-ready.test.ts joins such a node. Scale-in needs nothing.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$KUBERNETES_DIR/bin/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" --request-timeout=60s apply -f - <<YAML
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kw-cni
  namespace: kube-system
  labels: {app.kubernetes.io/name: kw-cni}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: kw-cni}
  template:
    metadata:
      labels: {app.kubernetes.io/name: kw-cni}
    spec:
      hostNetwork: true
      priorityClassName: system-node-critical
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: 5
      tolerations:
        - {operator: Exists, effect: NoSchedule}
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  # kwok's fake Nodes (test/integration/support/kwok-nodes.ts) have no kubelet and no disk.
                  - {key: type, operator: NotIn, values: [kwok]}
                  - {key: kubernetes.io/os, operator: In, values: [linux]}
      containers:
        - name: install-cni-config
          image: $CNI_REF
          env:
            - name: HOST_IP
              valueFrom: {fieldRef: {fieldPath: status.hostIP}}
          volumeMounts:
            - {name: cni-conf, mountPath: /host/etc/cni/net.d}
          resources:
            requests: {cpu: 5m, memory: 8Mi}
      volumes:
        - name: cni-conf
          hostPath: {path: /etc/cni/net.d, type: DirectoryOrCreate}
YAML
