package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"reflect"
	"syscall"
	"testing"
	"time"
)

// fakePG plays a backend over a pipe: md5 auth, then one query answered with a row and a NULL.
func fakePG(t *testing.T, conn net.Conn, authFail bool) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	readMsg := func(typed bool) (byte, []byte) {
		var typ byte
		if typed {
			typ, _ = r.ReadByte()
		}
		var l [4]byte
		if _, err := io.ReadFull(r, l[:]); err != nil {
			t.Error(err)
		}
		body := make([]byte, binary.BigEndian.Uint32(l[:])-4)
		if _, err := io.ReadFull(r, body); err != nil {
			t.Error(err)
		}
		return typ, body
	}
	msg := func(typ byte, body []byte) []byte {
		return append(binary.BigEndian.AppendUint32([]byte{typ}, uint32(len(body)+4)), body...)
	}
	readMsg(false) // StartupMessage
	conn.Write(msg('R', []byte{0, 0, 0, 5, 1, 2, 3, 4}))
	if _, pw := readMsg(true); string(pw) != "md568be9ed08db75f318087ab337aaea044\x00" {
		t.Errorf("password message %q", pw)
	}
	if authFail {
		conn.Write(msg('E', []byte("SFATAL\x00C28P01\x00Mpassword authentication failed\x00\x00")))
		return
	}
	conn.Write(append(msg('R', []byte{0, 0, 0, 0}), msg('Z', []byte("I"))...))
	if typ, q := readMsg(true); typ != 'Q' || string(q) != "select 1\x00" {
		t.Errorf("query %c %q", typ, q)
	}
	row := []byte{0, 2, 0, 0, 0, 1, '1', 0xff, 0xff, 0xff, 0xff}
	conn.Write(append(append(append(msg('T', []byte{0, 0}), msg('D', row)...), msg('C', []byte("SELECT 1\x00"))...), msg('Z', []byte("I"))...))
}

func TestPgStartupAndQuery(t *testing.T) {
	client, server := net.Pipe()
	go fakePG(t, server, false)
	p := &pgConn{w: client, r: bufio.NewReader(client)}
	if err := p.startup("postgres", "postgres", "postgres"); err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	tag, sawRows, err := p.simpleQuery("select 1", func(c []string) { rows = append(rows, c) })
	if err != nil || tag != "SELECT 1" || !sawRows || !reflect.DeepEqual(rows, [][]string{{"1", `\N`}}) {
		t.Fatalf("query: %q %v %v %v", tag, sawRows, rows, err)
	}
}

func TestPgAuthFailureIsDenied(t *testing.T) {
	client, server := net.Pipe()
	go fakePG(t, server, true)
	p := &pgConn{w: client, r: bufio.NewReader(client)}
	var pe *pgError
	err := p.startup("postgres", "postgres", "postgres")
	if !errors.As(err, &pe) || !pe.denied() || pe.code != "28P01" {
		t.Fatalf("want denied 28P01, got %v", err)
	}
}

func TestPGNotThereYet(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgError{severity: "FATAL", code: "57P03", message: "the database system is starting up"}, true},
		{&pgError{severity: "FATAL", code: "28P01", message: "password authentication failed"}, true},
		{&pgError{severity: "FATAL", code: "3D000", message: "database does not exist"}, true},
		{&pgError{severity: "ERROR", code: "42501", message: "permission denied"}, false},
		{&pgError{severity: "ERROR", code: "42P01", message: "relation does not exist"}, false},
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, true},
	} {
		if got := pgNotThereYet(c.err); got != c.want {
			t.Errorf("pgNotThereYet(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestPGWaitRetriesUntilTheServerIsThere(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens: every attempt is refused
	start := time.Now()
	if code := run("pg", []string{addr, "--user", "u", "--wait", "2s", "--timeout", "1s"}); code != exitConnect {
		t.Fatalf("exit %d, want %d (refused after the wait)", code, exitConnect)
	}
	if d := time.Since(start); d < time.Second {
		t.Fatalf("gave up after %v: --wait 2s should retry", d)
	}
}
