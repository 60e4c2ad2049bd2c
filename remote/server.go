package remote

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"firebot/config"
	"firebot/ops"
)

// Protocol is the handshake's protocol name; a client refuses an answer
// that does not carry it.
const Protocol = "firebot-admin/1"

// Hello is the handshake's answer: which store the answering process
// holds, and its process id (the client compares it with the socket's
// peer credentials).
type Hello struct {
	Protocol string `json:"protocol"`
	Store    string `json:"store"`
	PID      int    `json:"pid"`
	// Streets are the street ids a district service serves (none for a
	// single street): a client asking for a street must find it here.
	Streets []string `json:"streets,omitempty"`
}

// StoreIdentity names the store a configuration points at: the embedded
// database file (absolute path, device and inode), or the Redis address,
// database and key prefix. The service and the tools compute it alike.
func StoreIdentity(cfg *config.Config) string {
	if cfg == nil {
		return ""
	}
	if cfg.Store.Driver == config.DriverRedis {
		r := cfg.Store.Redis
		return fmt.Sprintf("redis:%s/%d/%s", r.Addr, r.DB, r.KeyPrefix)
	}
	p, err := filepath.Abs(cfg.Store.Path)
	if err != nil {
		p = cfg.Store.Path
	}
	id := "embedded:" + p
	if fi, err := os.Stat(p); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			id += fmt.Sprintf("#%d:%d", st.Dev, st.Ino)
		}
	}
	return id
}

// Admin ops may run long (a workbook with photos); each has its own
// deadline, and each write must make progress within writeStall.
const (
	opTimeout  = 30 * time.Minute
	writeStall = time.Minute
)

// Caller is who called the admin API (see ops.Caller).
func Caller(ctx context.Context) (name string, ok bool) { return ops.Caller(ctx) }

// WithCaller records the caller for Caller.
func WithCaller(ctx context.Context, name string) context.Context { return ops.WithCaller(ctx, name) }

// errorTrailer carries an op's failure once its output has started.
const errorTrailer = "Firebot-Error"

// Handler serves the admin API: GET /admin/hello (the handshake), GET
// /admin/ping, and POST /admin/op/<name> with the op's JSON parameters
// (and, on a district service, ?street=<id> for a street's op).
// Output is streamed; a failure after the first byte is reported in the
// Firebot-Error trailer. Requests without a caller (see WithCaller, set by
// the server that accepted the connection) are refused.
func Handler(env *Env) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/hello", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(Hello{Protocol: Protocol, Store: env.Identity, PID: os.Getpid(), Streets: env.streetIDs()})
	})
	mux.HandleFunc("GET /admin/ping", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("POST /admin/op/{name}", func(w http.ResponseWriter, r *http.Request) {
		env := env
		if id := r.URL.Query().Get("street"); id != "" {
			if env = env.Streets[id]; env == nil {
				http.Error(w, fmt.Sprintf("服务里没有街道 %q", id), http.StatusNotFound)
				return
			}
		}
		op, ok := env.find(r.PathValue("name"))
		if !ok {
			http.Error(w, "未知的操作", http.StatusNotFound)
			return
		}
		params, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		if err != nil {
			http.Error(w, "读取参数失败", http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), opTimeout)
		defer cancel()
		w.Header().Set("Trailer", errorTrailer)
		sw := &streamWriter{w: w, rc: http.NewResponseController(w)}
		err = op.Run(ctx, &env.Env, params, sw, nil)
		if err == nil {
			if !sw.started {
				w.Header().Set("Content-Type", "application/octet-stream")
				w.WriteHeader(http.StatusOK)
			}
			return
		}
		caller, _ := Caller(r.Context())
		if env.Logger != nil {
			env.Logger.With("component", "remote").Warn("admin op failed", "op", op.Name, "caller", caller, "err", err)
		}
		if !sw.started {
			w.Header().Del("Trailer")
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		w.Header().Set(errorTrailer, strings.ToValidUTF8(strings.ReplaceAll(err.Error(), "\n", " "), "?"))
	})
	return requireCaller(mux)
}

func requireCaller(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := Caller(r.Context()); !ok {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// streamWriter sends an op's output as it is written, giving each write
// its own deadline instead of one for the whole response.
type streamWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
}

func (s *streamWriter) Write(b []byte) (int, error) {
	if !s.started {
		s.w.Header().Set("Content-Type", "application/octet-stream")
		s.w.WriteHeader(http.StatusOK)
		s.started = true
	}
	s.rc.SetWriteDeadline(time.Now().Add(writeStall))
	return s.w.Write(b)
}

// NewServer returns the HTTP server for the admin socket: each
// connection's caller comes from its peer credentials, and a caller who is
// neither root, the service's user nor in the service's group is refused.
func NewServer(env *Env) *http.Server {
	h := Handler(env)
	return &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cred, _ := r.Context().Value(credKey{}).(*Cred)
			if cred == nil || !cred.Allowed() {
				if env.Logger != nil {
					env.Logger.With("component", "remote").Warn("caller refused", "listener", "admin_socket", "caller", cred.String())
				}
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			h.ServeHTTP(w, r.WithContext(WithCaller(r.Context(), cred.String())))
		}),
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if cred, err := PeerCred(c); err == nil {
				ctx = context.WithValue(ctx, credKey{}, cred)
			}
			return ctx
		},
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
}

type credKey struct{}

// LegacyServer serves the admin API on server.admin_listen for one more
// release: only loopback connections, only with the expected Host (no DNS
// rebinding), no Origin (no browser page), and the token as a bearer.
func LegacyServer(env *Env, host, token string) *http.Server {
	h := Handler(env)
	return &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := legacyAllowed(r, host, token); err != nil {
				if env.Logger != nil {
					env.Logger.With("component", "remote").Warn("request refused", "listener", "admin_listen", "remote", r.RemoteAddr, "reason", err.Error())
				}
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			h.ServeHTTP(w, r.WithContext(WithCaller(r.Context(), "admin_listen token from "+r.RemoteAddr)))
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
}

func legacyAllowed(r *http.Request, host, token string) error {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || !net.ParseIP(ip).IsLoopback() {
		return errors.New("not loopback")
	}
	if r.Host != host {
		return errors.New("unexpected Host")
	}
	if r.Header.Get("Origin") != "" || r.Header.Get("Sec-Fetch-Site") != "" {
		return errors.New("browser request")
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
		return errors.New("bad token")
	}
	return nil
}
