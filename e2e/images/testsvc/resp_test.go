package main

import (
	"bufio"
	"strings"
	"testing"
)

func TestEncodeRESP(t *testing.T) {
	got := string(encodeRESP([]string{"SET", "k", "héllo"}))
	if want := "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\nhéllo\r\n"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

func TestReadRESP(t *testing.T) {
	cases := map[string]string{
		"+OK\r\n":                         "OK",
		"-WRONGPASS invalid username\r\n": "(error) WRONGPASS invalid username",
		":42\r\n":                         "(integer) 42",
		"$5\r\nhe\r\no\r\n":               `"he\r\no"`,
		"$-1\r\n":                         "(nil)",
		"*2\r\n$1\r\na\r\n:1\r\n":         "1) \"a\"\n2) (integer) 1",
		"*0\r\n":                          "(empty array)",
	}
	for in, want := range cases {
		v, err := readRESP(bufio.NewReader(strings.NewReader(in)))
		if err != nil || v.String() != want {
			t.Errorf("%q: got %q, %v; want %q", in, v.String(), err, want)
		}
	}
	for _, bad := range []string{"OK\r\n", "+OK\n", "$99999999999\r\n", "*x\r\n", "$3\r\nab"} {
		if _, err := readRESP(bufio.NewReader(strings.NewReader(bad))); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}

func TestRespDenied(t *testing.T) {
	for msg, want := range map[string]bool{
		"WRONGPASS invalid username-password pair": true,
		"NOAUTH Authentication required.":          true,
		"NOPERM this user has no permissions":      true,
		"ERR unknown command 'FOO'":                false,
	} {
		if respDenied(msg) != want {
			t.Errorf("%q: want %v", msg, want)
		}
	}
}
