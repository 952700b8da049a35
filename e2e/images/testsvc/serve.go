package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// shutdownGrace bounds graceful shutdown well inside the pod's default 30 s grace period.
const shutdownGrace = 3 * time.Second

// serveConfig is everything `serve` reads from the environment (pods configure it by env only).
type serveConfig struct {
	bind       string // $BIND_ADDR, "" = all interfaces
	httpPorts  []string
	grpcPort   string
	tcpPort    string
	readyDelay time.Duration
	service    string
}

func loadServeConfig() (serveConfig, error) {
	c := serveConfig{
		bind:     os.Getenv("BIND_ADDR"),
		grpcPort: os.Getenv("GRPC_PORT"),
		tcpPort:  os.Getenv("TCP_PORT"),
		service:  envOr("SERVICE_NAME", "testsvc"),
	}
	c.httpPorts = append(c.httpPorts, envOr("HTTP_PORT", "8080"))
	for _, p := range strings.Split(os.Getenv("EXTRA_HTTP_PORTS"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.httpPorts = append(c.httpPorts, p)
		}
	}
	if d := os.Getenv("READY_DELAY"); d != "" {
		secs, err := strconv.ParseFloat(d, 64)
		if err != nil || secs < 0 {
			return c, fmt.Errorf("READY_DELAY=%q: want seconds", d)
		}
		c.readyDelay = time.Duration(secs * float64(time.Second))
	}
	return c, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func cmdServe(args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(os.Stderr, "serve: takes no arguments (configure with env vars)")
		return exitError
	}
	cfg, err := loadServeConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		return exitError
	}
	logger := log.New(os.Stdout, "", log.LstdFlags|log.LUTC|log.Lmicroseconds)
	if err := serve(cfg, logger); err != nil {
		logger.Printf("serve: %v", err)
		return exitError
	}
	return exitOK
}

// serve binds every port before serving any (a taken port fails the pod at once), then runs until SIGTERM/SIGINT.
func serve(cfg serveConfig, logger *log.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	hostname, _ := os.Hostname()
	start := time.Now()
	var shuttingDown atomic.Bool
	ready := func() bool { return !shuttingDown.Load() && time.Since(start) >= cfg.readyDelay }
	h := newHandler(cfg.service, hostname, ready, &metrics{}, logger)

	var closers []func(context.Context)
	fail := make(chan error, 8)
	listen := func(kind, port string) (net.Listener, error) {
		l, err := net.Listen("tcp", net.JoinHostPort(cfg.bind, port))
		if err != nil {
			return nil, fmt.Errorf("%s port %s: %w", kind, port, err)
		}
		logger.Printf("listening %s %s", kind, l.Addr())
		return l, nil
	}
	closeAll := func() {
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		var wg sync.WaitGroup
		for _, c := range closers {
			wg.Add(1)
			go func() { defer wg.Done(); c(sctx) }()
		}
		wg.Wait()
	}

	for _, port := range cfg.httpPorts {
		l, err := listen("http", port)
		if err != nil {
			closeAll()
			return err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
				fail <- err
			}
		}()
		closers = append(closers, func(c context.Context) {
			if srv.Shutdown(c) != nil {
				srv.Close()
			}
		})
	}
	if cfg.grpcPort != "" {
		l, err := listen("grpc", cfg.grpcPort)
		if err != nil {
			closeAll()
			return err
		}
		closers = append(closers, startGRPCHealth(l, fail))
	}
	if cfg.tcpPort != "" {
		l, err := listen("tcp", cfg.tcpPort)
		if err != nil {
			closeAll()
			return err
		}
		closers = append(closers, startTCPOK(l))
	}

	select {
	case <-ctx.Done():
		logger.Printf("signal received, shutting down")
	case err := <-fail:
		closeAll()
		return err
	}
	shuttingDown.Store(true)
	closeAll()
	logger.Printf("shutdown complete")
	return nil
}
