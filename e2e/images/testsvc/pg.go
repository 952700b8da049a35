package main

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"time"
)

// pgConn speaks the PostgreSQL v3 frontend protocol: just startup, password auth and simple query.
type pgConn struct {
	w io.Writer
	r *bufio.Reader
}

// pgError is an ErrorResponse; its SQLSTATE decides whether we report "denied" (exit 3).
type pgError struct{ severity, code, message string }

func (e *pgError) Error() string { return e.severity + " " + e.code + ": " + e.message }

// denied is true for SQLSTATE class 28 (authorization) and 42501 (insufficient privilege).
func (e *pgError) denied() bool { return strings.HasPrefix(e.code, "28") || e.code == "42501" }

func cmdPG(args []string) int {
	fs := flag.NewFlagSet("pg", flag.ContinueOnError)
	user := fs.String("user", "postgres", "role to log in as")
	db := fs.String("db", "", "database (default: same as --user)")
	query := fs.String("query", "", "simple query to run after login")
	timeout := fs.Duration("timeout", 5*time.Second, "deadline for the whole session")
	// The name of the variable, never the password: a pod's store credentials arrive as POSTGRES_PASSWORD.
	passwordEnv := fs.String("password-env", "PGPASSWORD", "environment variable holding the password")
	wait := fs.Duration("wait", 0, "keep retrying for this long while the store is not there yet (connection errors, "+
		"57P03 starting up, and the role or database the operator has not created yet: 28P01, 28000, 3D000); "+
		"for a client that starts beside its store (a migration), never for asserting a refusal")
	addr, ok := parseTarget("pg", fs, args)
	if !ok {
		return exitError
	}
	if *db == "" {
		*db = *user
	}
	deadline := time.Now().Add(*wait)
	for attempt := 1; ; attempt++ {
		code, err := pgSession(addr, *user, *db, *query, os.Getenv(*passwordEnv), *timeout)
		if err == nil || !pgNotThereYet(err) || time.Now().Add(time.Second).After(deadline) {
			if err != nil {
				return reportPG(err)
			}
			return code
		}
		fmt.Fprintf(os.Stderr, "pg: attempt %d: %v; retrying\n", attempt, err)
		time.Sleep(time.Second)
	}
}

// pgNotThereYet is true for what a store that is still starting answers: no connection, or a server that is up but
// has not yet got the role or database its operator creates after start.
func pgNotThereYet(err error) bool {
	var pe *pgError
	if errors.As(err, &pe) {
		return pe.code == "57P03" || pe.code == "28P01" || pe.code == "28000" || pe.code == "3D000"
	}
	return isTimeout(err) || isRefused(err)
}

// pgSession logs in, runs the query and prints its rows; an error is the connection's or the server's.
func pgSession(addr, user, db, query, password string, timeout time.Duration) (int, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return exitConnect, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	p := &pgConn{w: c, r: bufio.NewReader(c)}
	if err := p.startup(user, db, password); err != nil {
		return exitError, err
	}
	defer p.send('X', nil) // Terminate, so the server logs a clean disconnect
	if query == "" {
		fmt.Println("ok authenticated")
		return exitOK, nil
	}
	tag, sawRows, err := p.simpleQuery(query, func(cols []string) { fmt.Println(strings.Join(cols, "\t")) })
	if err != nil {
		return exitError, err
	}
	if !sawRows && tag != "" {
		fmt.Println(tag) // e.g. "INSERT 0 1": the only sign a statement without rows worked
	}
	return exitOK, nil
}

func reportPG(err error) int {
	var pe *pgError
	if errors.As(err, &pe) {
		if pe.denied() {
			fmt.Printf("denied: %v\n", pe)
			return exitDenied
		}
		fmt.Printf("error: %v\n", pe)
		return exitError
	}
	return reportErr(err)
}

// startup sends the StartupMessage and answers the server's auth request until ReadyForQuery.
func (p *pgConn) startup(user, db, password string) error {
	msg := binary.BigEndian.AppendUint32(nil, 3<<16) // protocol 3.0
	for _, kv := range [][2]string{{"user", user}, {"database", db}, {"application_name", "testsvc"}} {
		msg = appendCString(appendCString(msg, kv[0]), kv[1])
	}
	if err := p.send(0, append(msg, 0)); err != nil {
		return err
	}
	var sc *scramClient
	for {
		typ, body, err := p.recv()
		if err != nil {
			return err
		}
		switch typ {
		case 'R':
			if len(body) < 4 {
				return errors.New("pg: short auth message")
			}
			data := body[4:]
			switch code := binary.BigEndian.Uint32(body); code {
			case 0: // AuthenticationOk: parameters and ReadyForQuery follow
			case 3: // cleartext
				err = p.send('p', appendCString(nil, password))
			case 5: // md5: "md5" + md5(md5(password+user) + salt)
				if len(data) < 4 {
					return errors.New("pg: short md5 salt")
				}
				err = p.send('p', appendCString(nil, pgMD5(user, password, data[:4])))
			case 10: // SASL: pick SCRAM-SHA-256 (no -PLUS: we never use TLS)
				if !slices.Contains(splitCStrings(data), "SCRAM-SHA-256") {
					return fmt.Errorf("pg: server offers no SCRAM-SHA-256 (%q)", splitCStrings(data))
				}
				if sc, err = newScramClient("", password); err != nil {
					return err
				}
				first := sc.clientFirst()
				m := appendCString(nil, "SCRAM-SHA-256")
				m = binary.BigEndian.AppendUint32(m, uint32(len(first)))
				err = p.send('p', append(m, first...))
			case 11: // SASLContinue
				if sc == nil {
					return errors.New("pg: SASLContinue before SASL")
				}
				var final string
				if final, err = sc.clientFinal(string(data)); err == nil {
					err = p.send('p', []byte(final))
				}
			case 12: // SASLFinal
				if sc == nil {
					return errors.New("pg: SASLFinal before SASL")
				}
				err = sc.verifyServerFinal(string(data))
			default:
				return fmt.Errorf("pg: unsupported auth method %d", code)
			}
			if err != nil {
				return err
			}
		case 'E':
			return parsePGError(body)
		case 'Z':
			return nil
		case 'S', 'K', 'N', 'v': // parameters, cancel key, notices, protocol negotiation: not needed
		default:
			return fmt.Errorf("pg: unexpected message %q during startup", typ)
		}
	}
}

// simpleQuery runs one Query message, calling row for each DataRow (NULL printed as \N, as COPY does).
func (p *pgConn) simpleQuery(q string, row func([]string)) (tag string, sawRows bool, err error) {
	if err := p.send('Q', appendCString(nil, q)); err != nil {
		return "", false, err
	}
	var qerr error
	for {
		typ, body, err := p.recv()
		if err != nil {
			return "", sawRows, err
		}
		switch typ {
		case 'T':
			sawRows = true
		case 'D':
			cols, err := parseDataRow(body)
			if err != nil {
				return "", sawRows, err
			}
			row(cols)
		case 'C':
			tag = string(bytes.TrimRight(body, "\x00"))
		case 'E':
			qerr = parsePGError(body) // the server still sends ReadyForQuery; read up to it
		case 'I', 'N', 'S':
		case 'Z':
			return tag, sawRows, qerr
		default:
			return "", sawRows, fmt.Errorf("pg: unexpected message %q during query", typ)
		}
	}
}

// send writes one message; typ 0 means the untyped StartupMessage.
func (p *pgConn) send(typ byte, body []byte) error {
	var m []byte
	if typ != 0 {
		m = append(m, typ)
	}
	m = binary.BigEndian.AppendUint32(m, uint32(len(body)+4))
	_, err := p.w.Write(append(m, body...))
	return err
}

// recv reads one backend message, refusing absurd lengths so a non-pg peer cannot make us allocate gigabytes.
func (p *pgConn) recv() (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(p.r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n < 4 || n > 64<<20 {
		return 0, nil, fmt.Errorf("pg: bad message length %d (not a PostgreSQL server?)", n)
	}
	body := make([]byte, n-4)
	if _, err := io.ReadFull(p.r, body); err != nil {
		return 0, nil, err
	}
	return hdr[0], body, nil
}

func parsePGError(body []byte) error {
	e := &pgError{}
	for _, f := range bytes.Split(body, []byte{0}) {
		if len(f) < 1 {
			continue
		}
		switch f[0] {
		case 'S':
			e.severity = string(f[1:])
		case 'C':
			e.code = string(f[1:])
		case 'M':
			e.message = string(f[1:])
		}
	}
	return e
}

func parseDataRow(body []byte) ([]string, error) {
	if len(body) < 2 {
		return nil, errors.New("pg: short DataRow")
	}
	n := int(binary.BigEndian.Uint16(body))
	body = body[2:]
	cols := make([]string, 0, n)
	for i := 0; i < n; i++ {
		if len(body) < 4 {
			return nil, errors.New("pg: short DataRow column")
		}
		l := int32(binary.BigEndian.Uint32(body))
		body = body[4:]
		if l < 0 {
			cols = append(cols, `\N`)
			continue
		}
		if int(l) > len(body) {
			return nil, errors.New("pg: DataRow column overruns message")
		}
		cols = append(cols, string(body[:l]))
		body = body[l:]
	}
	return cols, nil
}

func pgMD5(user, password string, salt []byte) string {
	inner := md5.Sum([]byte(password + user))
	outer := md5.Sum(append([]byte(hex.EncodeToString(inner[:])), salt...))
	return "md5" + hex.EncodeToString(outer[:])
}

func appendCString(b []byte, s string) []byte { return append(append(b, s...), 0) }

func splitCStrings(b []byte) []string {
	var out []string
	for _, s := range bytes.Split(b, []byte{0}) {
		if len(s) > 0 {
			out = append(out, string(s))
		}
	}
	return out
}
