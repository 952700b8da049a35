package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// cmdSleep waits $SLEEP (or the argument) seconds; SIGTERM ends it early with 0, as a well-behaved Job pod should.
func cmdSleep(args []string) int {
	v := os.Getenv("SLEEP")
	if len(args) > 0 {
		v = args[0]
	}
	secs := 0.0
	if v != "" {
		var err error
		if secs, err = strconv.ParseFloat(v, 64); err != nil || secs < 0 {
			fmt.Fprintf(os.Stderr, "sleep: bad seconds %q\n", v)
			return exitError
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	select {
	case <-time.After(time.Duration(secs * float64(time.Second))):
	case <-ctx.Done():
	}
	return exitOK
}

// cmdExit exits with a chosen code, for Job backoff and failure-policy tests.
func cmdExit(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "exit: want one code")
		return exitError
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 || n > 255 {
		fmt.Fprintf(os.Stderr, "exit: bad code %q\n", args[0])
		return exitError
	}
	return n
}

// directClient is an HTTP client without a proxy from the environment and without reused connections: each call is
// one fresh, direct flow, so a refusal is the network's answer to that call.
func directClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
}
