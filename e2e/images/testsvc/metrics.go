package main

import (
	"fmt"
	"io"
	"sync/atomic"
)

// metrics is a hand-written Prometheus text exposition: a scrape test needs a counter, not a client library.
type metrics struct {
	requests atomic.Uint64
}

func (m *metrics) write(w io.Writer, ready bool) {
	r := 0
	if ready {
		r = 1
	}
	fmt.Fprintf(w, "# HELP testsvc_http_requests_total HTTP requests served, all ports.\n"+
		"# TYPE testsvc_http_requests_total counter\n"+
		"testsvc_http_requests_total %d\n"+
		"# HELP testsvc_ready Whether /readyz reports ready.\n"+
		"# TYPE testsvc_ready gauge\n"+
		"testsvc_ready %d\n", m.requests.Load(), r)
}
