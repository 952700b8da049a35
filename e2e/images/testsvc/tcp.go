package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"time"
)

// startTCPOK answers every connection with "ok\n" and closes it: the smallest non-HTTP service to probe.
func startTCPOK(l net.Listener) func(context.Context) {
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				time.Sleep(50 * time.Millisecond) // e.g. EMFILE: back off instead of spinning
				continue
			}
			go func() {
				_ = c.SetWriteDeadline(time.Now().Add(2 * time.Second))
				_, _ = c.Write([]byte("ok\n"))
				_ = c.Close()
			}()
		}
	}()
	return func(context.Context) { _ = l.Close() }
}

func cmdTCP(args []string) int {
	fs := flag.NewFlagSet("tcp", flag.ContinueOnError)
	timeout := fs.Duration("timeout", 3*time.Second, "connect timeout")
	addr, ok := parseTarget("tcp", fs, args)
	if !ok {
		return exitError
	}
	c, err := net.DialTimeout("tcp", addr, *timeout)
	if err != nil {
		return reportErr(err)
	}
	_ = c.Close()
	fmt.Println("ok connected")
	return exitOK
}
