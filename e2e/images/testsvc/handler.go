package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// handler is the one HTTP handler behind every HTTP port, so all ports answer alike.
type handler struct {
	service   string
	hostname  string
	ready     func() bool                         // false until $READY_DELAY passed, and again while shutting down
	lookupEnv func(string) (string, bool)         // os.LookupEnv; swapped in tests
	openFile  func(string) (io.ReadCloser, error) // os.Open; swapped in tests
	metrics   *metrics
	log       *log.Logger // nil: no request log
}

func newHandler(service, hostname string, ready func() bool, m *metrics, logger *log.Logger) *handler {
	return &handler{
		service: service, hostname: hostname, ready: ready, metrics: m, log: logger,
		lookupEnv: os.LookupEnv,
		openFile:  func(p string) (io.ReadCloser, error) { return os.Open(p) },
	}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	h.metrics.requests.Add(1) // counted first so /metrics includes itself
	h.route(rec, r)
	if h.log != nil {
		// Path only: query values and headers may carry secrets.
		h.log.Printf("%s %s %d %s port=%s", r.Method, r.URL.Path, rec.status,
			time.Since(start).Round(time.Microsecond), localPort(r))
	}
}

func (h *handler) route(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == "/healthz":
		text(w, http.StatusOK, "ok\n")
	case p == "/readyz":
		if h.ready() {
			text(w, http.StatusOK, "ready\n")
		} else {
			text(w, http.StatusServiceUnavailable, "not ready\n")
		}
	case p == "/metrics":
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		h.metrics.write(w, h.ready())
	case strings.HasPrefix(p, "/env/"):
		h.env(w, strings.TrimPrefix(p, "/env/"))
	case p == "/file":
		h.file(w, r.URL.Query().Get("path"))
	default:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"service": h.service, "path": p, "hostname": h.hostname})
	}
}

// env answers the sha256 of a variable's value, so tests can check secrets without exposing them.
func (h *handler) env(w http.ResponseWriter, name string) {
	v, ok := h.lookupEnv(name)
	if name == "" || !ok {
		text(w, http.StatusNotFound, "not set\n")
		return
	}
	sum := sha256.Sum256([]byte(v))
	text(w, http.StatusOK, hex.EncodeToString(sum[:])+"\n")
}

// file answers the sha256 of a file's content, so tests can check mounted secrets and config maps.
func (h *handler) file(w http.ResponseWriter, path string) {
	if path == "" {
		text(w, http.StatusBadRequest, "missing path\n")
		return
	}
	f, err := h.openFile(path)
	if err == nil {
		defer f.Close()
		d := sha256.New()
		if _, err = io.Copy(d, f); err == nil {
			text(w, http.StatusOK, hex.EncodeToString(d.Sum(nil))+"\n")
			return
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		text(w, http.StatusNotFound, "not found\n")
	case errors.Is(err, fs.ErrPermission):
		text(w, http.StatusForbidden, "permission denied\n")
	default:
		text(w, http.StatusInternalServerError, "unreadable\n")
	}
}

func text(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// localPort names the port a request came in on, since extra ports share this handler.
func localPort(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, port, err := net.SplitHostPort(a.String()); err == nil {
			return port
		}
	}
	return "-"
}

// statusRecorder remembers the status code for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
