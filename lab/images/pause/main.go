// pause holds a pod's namespaces open: it sleeps until SIGTERM or SIGINT, and as PID 1 of a shared
// PID namespace reaps the orphans re-parented to it, as registry.k8s.io/pause does.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for sig := range signals {
		if sig == syscall.SIGCHLD {
			reapChildren()
			continue
		}
		fmt.Fprintf(os.Stderr, "pause: shutting down, got signal %s\n", sig)
		return
	}
}

// reapChildren collects every exited child without blocking (several may exit per SIGCHLD).
func reapChildren() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
