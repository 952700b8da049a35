package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// respValue is one RESP2 reply; kind is its type byte ('+', '-', ':', '$', '*').
type respValue struct {
	kind  byte
	str   string // simple string, error text or bulk string
	num   int64
	array []respValue
	null  bool // $-1 / *-1
}

// encodeRESP frames a command as an array of bulk strings, the form servers must accept.
func encodeRESP(args []string) []byte {
	b := []byte("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		b = append(b, "$"+strconv.Itoa(len(a))+"\r\n"...)
		b = append(b, a...)
		b = append(b, "\r\n"...)
	}
	return b
}

// readRESP parses one reply; depth and size limits keep a non-RESP peer from making us loop or allocate.
func readRESP(r *bufio.Reader) (respValue, error) { return readRESPDepth(r, 0) }

func readRESPDepth(r *bufio.Reader, depth int) (respValue, error) {
	if depth > 16 {
		return respValue{}, errors.New("resp: nesting too deep")
	}
	line, err := r.ReadString('\n')
	if err != nil {
		return respValue{}, err
	}
	if len(line) < 3 || !strings.HasSuffix(line, "\r\n") {
		return respValue{}, fmt.Errorf("resp: malformed line %q", line)
	}
	v := respValue{kind: line[0]}
	payload := line[1 : len(line)-2]
	switch v.kind {
	case '+', '-':
		v.str = payload
	case ':':
		v.num, err = strconv.ParseInt(payload, 10, 64)
	case '$':
		var n int
		if n, err = strconv.Atoi(payload); err != nil || n < -1 || n > 64<<20 {
			return v, fmt.Errorf("resp: bad bulk length %q", payload)
		}
		if n == -1 {
			v.null = true
			return v, nil
		}
		buf := make([]byte, n+2)
		if _, err = io.ReadFull(r, buf); err != nil {
			return v, err
		}
		v.str = string(buf[:n])
	case '*':
		var n int
		if n, err = strconv.Atoi(payload); err != nil || n < -1 || n > 1<<16 {
			return v, fmt.Errorf("resp: bad array length %q", payload)
		}
		v.null = n == -1
		for i := 0; i < n; i++ {
			e, err := readRESPDepth(r, depth+1)
			if err != nil {
				return v, err
			}
			v.array = append(v.array, e)
		}
	default:
		return v, fmt.Errorf("resp: unknown reply type %q", v.kind)
	}
	return v, err
}

// String renders a reply like redis-cli does, so test output reads familiar.
func (v respValue) String() string {
	switch {
	case v.null:
		return "(nil)"
	case v.kind == '-':
		return "(error) " + v.str
	case v.kind == ':':
		return "(integer) " + strconv.FormatInt(v.num, 10)
	case v.kind == '$':
		return strconv.Quote(v.str)
	case v.kind == '*':
		if len(v.array) == 0 {
			return "(empty array)"
		}
		parts := make([]string, len(v.array))
		for i, e := range v.array {
			parts[i] = strconv.Itoa(i+1) + ") " + e.String()
		}
		return strings.Join(parts, "\n")
	default:
		return v.str
	}
}

// respDenied tells auth/ACL rejections (exit 3) from other error replies.
func respDenied(msg string) bool {
	for _, p := range []string{"WRONGPASS", "NOAUTH", "NOPERM", "ERR invalid password", "ERR AUTH"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

func cmdRESP(args []string) int {
	fs := flag.NewFlagSet("resp", flag.ContinueOnError)
	user := fs.String("user", "", "ACL user for AUTH (empty: legacy AUTH with password only)")
	cmd := fs.String("cmd", "", `extra command after PING, split on spaces, e.g. "SET k v"`)
	timeout := fs.Duration("timeout", 3*time.Second, "deadline for the whole session")
	addr, ok := parseTarget("resp", fs, args)
	if !ok {
		return exitError
	}
	c, err := net.DialTimeout("tcp", addr, *timeout)
	if err != nil {
		return reportErr(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(*timeout))
	r := bufio.NewReader(c)

	type step struct {
		label string // printed instead of the command, so the password never reaches the log
		args  []string
	}
	var steps []step
	if pw, set := os.LookupEnv("REDIS_PASSWORD"); set {
		auth := []string{"AUTH", pw}
		if *user != "" {
			auth = []string{"AUTH", *user, pw}
		}
		steps = append(steps, step{"AUTH", auth})
	}
	steps = append(steps, step{"PING", []string{"PING"}})
	if f := strings.Fields(*cmd); len(f) > 0 {
		steps = append(steps, step{strings.ToUpper(f[0]), f})
	}
	for _, s := range steps {
		if _, err := c.Write(encodeRESP(s.args)); err != nil {
			return reportErr(err)
		}
		v, err := readRESP(r)
		if err != nil {
			return reportErr(err)
		}
		fmt.Printf("%s: %s\n", s.label, v)
		if v.kind == '-' {
			if respDenied(v.str) {
				return exitDenied
			}
			return exitError
		}
	}
	return exitOK
}
