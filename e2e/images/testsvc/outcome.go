package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// reportErr prints a client error in the shared convention and returns its exit
// code: tests tell "blocked" (timeout) from "nothing listening" (refused) by the prefix.
func reportErr(err error) int {
	switch {
	case isTimeout(err):
		fmt.Printf("timeout: %v\n", err)
		return exitConnect
	case isRefused(err):
		fmt.Printf("refused: %v\n", err)
		return exitConnect
	default:
		fmt.Printf("error: %v\n", err)
		return exitError
	}
}

// isTimeout covers dial/read deadlines and context deadlines (a dropped SYN ends here).
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// isRefused covers an active rejection: RST, ICMP unreachable, or a peer hanging up on us.
func isRefused(err error) bool {
	for _, e := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
		syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.EPIPE, io.EOF, io.ErrUnexpectedEOF} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
