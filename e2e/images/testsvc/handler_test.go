package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	ready := false
	var logBuf bytes.Buffer
	h := newHandler("svc", "host-1", func() bool { return ready }, &metrics{}, log.New(&logBuf, "", 0))
	h.lookupEnv = func(n string) (string, bool) { return map[string]string{"TOKEN": "s3cret"}[n], n == "TOKEN" }
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, []byte("abc"), 0o600); err != nil {
		t.Fatal(err)
	}
	get := func(target string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		b, _ := io.ReadAll(rec.Body)
		return rec.Code, string(b)
	}
	const sha256ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"    // printf abc | sha256sum
	const sha256Secret = "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0" // printf s3cret | sha256sum

	checks := []struct {
		target string
		code   int
		body   string // substring
	}{
		{"/healthz", 200, "ok"},
		{"/readyz", 503, "not ready"},
		{"/env/TOKEN", 200, sha256Secret},
		{"/env/MISSING", 404, ""},
		{"/file?path=" + file, 200, sha256ABC},
		{"/file?path=/nonexistent/x", 404, ""},
		{"/file", 400, ""},
	}
	for _, c := range checks {
		code, body := get(c.target)
		if code != c.code || !strings.Contains(body, c.body) {
			t.Errorf("%s: %d %q, want %d containing %q", c.target, code, body, c.code, c.body)
		}
	}
	ready = true
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz after ready: %d", code)
	}
	code, body := get("/some/path?q=1")
	var got map[string]string
	if err := json.Unmarshal([]byte(body), &got); code != 200 || err != nil ||
		got["service"] != "svc" || got["path"] != "/some/path" || got["hostname"] != "host-1" {
		t.Errorf("/some/path: %d %q", code, body)
	}
	if _, body := get("/metrics"); !strings.Contains(body, "testsvc_http_requests_total 10\n") ||
		!strings.Contains(body, "testsvc_ready 1\n") {
		t.Errorf("/metrics: %q", body)
	}
	logs := logBuf.String()
	if strings.Count(logs, "\n") != 10 || strings.Contains(logs, "s3cret") || strings.Contains(logs, "q=1") ||
		strings.Contains(logs, file) {
		t.Errorf("request log leaks or miscounts:\n%s", logs)
	}
}
