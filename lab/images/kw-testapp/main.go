// kw-testapp is the lab's test workload: an HTTP server whose readiness endpoint answers only after a
// configurable start-up delay, and which on SIGTERM logs it and keeps serving for a configurable time
// before it exits, so tests can see evictions honour the grace period.
//
// Environment: PORT (8080), STARTUP_DELAY and SHUTDOWN_DELAY (Go durations, e.g. "3s"; default 0).
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

func durationFromEnv(name string) time.Duration {
	value := os.Getenv(name)
	if value == "" {
		return 0
	}
	d, err := time.ParseDuration(value)
	if err != nil || d < 0 {
		log.Fatalf("kw-testapp: %s=%q is not a duration like 5s or 1m", name, value)
	}
	return d
}

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	log.SetOutput(os.Stdout)
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	startupDelay := durationFromEnv("STARTUP_DELAY")
	shutdownDelay := durationFromEnv("SHUTDOWN_DELAY")
	hostname, _ := os.Hostname()

	var ready, terminating atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		switch {
		case terminating.Load():
			http.Error(w, "terminating", http.StatusServiceUnavailable)
		case !ready.Load():
			http.Error(w, "starting", http.StatusServiceUnavailable)
		default:
			fmt.Fprintln(w, "ok")
		}
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintf(w, "kw-testapp on %s\n", hostname) })
	server := &http.Server{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		if err := server.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			log.Fatalf("kw-testapp: listening on :%s: %v", port, err)
		}
	}()
	log.Printf("kw-testapp: started on %s, listening on :%s; ready in %s", hostname, port, startupDelay)
	go func() {
		time.Sleep(startupDelay)
		ready.Store(true)
		log.Printf("kw-testapp: ready")
	}()

	sig := <-signals
	terminating.Store(true)
	log.Printf("kw-testapp: received %s, exiting in %s", sig, shutdownDelay)
	time.Sleep(shutdownDelay)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = server.Shutdown(ctx)
	log.Printf("kw-testapp: exited after %s", shutdownDelay)
}
