module kubeadm-workers/lab/images

go 1.26.0
