package main

import (
	"flag"
	"net"
	"reflect"
	"testing"
	"time"
)

func TestParseInterspersed(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	timeout := fs.Duration("timeout", time.Second, "")
	pos, err := parseInterspersed(fs, []string{"http://a", "--timeout", "2s"})
	if err != nil || !reflect.DeepEqual(pos, []string{"http://a"}) || *timeout != 2*time.Second {
		t.Fatalf("got %v %v %v", pos, *timeout, err)
	}
}

func TestRefusedIsConnectError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now: the kernel answers RST
	if code := run("tcp", []string{addr, "--timeout", "1s"}); code != exitConnect {
		t.Fatalf("tcp to closed port: exit %d, want %d", code, exitConnect)
	}
}

func TestExit(t *testing.T) {
	if code := run("exit", []string{"7"}); code != 7 {
		t.Fatalf("exit 7 returned %d", code)
	}
}
