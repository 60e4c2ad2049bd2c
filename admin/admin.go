// Package admin runs the command-line tools' operations (export, reminders
// plan, roster import, archive…) against whichever process holds the
// store: the running service through its loopback admin API, or the tool
// itself when no service runs (the embedded store admits one process).
//
// An Op is written once, as a function of an Env; Serve mounts every op on
// the admin listener, and Run decides where to execute it.
package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"firebot/clock"
	"firebot/config"
	"firebot/store"
)

// Env is what an operation runs with.
type Env struct {
	Config   *config.Config
	Store    store.Store
	Campaign clock.Clock
	Real     clock.Clock
	Logger   *slog.Logger
	// UserName asks WeCom for a user's display name (user/get); hidden
	// reports a user outside the application's visible range. Nil when
	// WeCom cannot be reached (the tool on a stopped service).
	UserName func(ctx context.Context, userID string) (name string, hidden bool, err error)
}

// Op is one operation. Params are JSON (the tool's flags); the result is
// written to out (a table, a workbook…). Progress, when non-nil, receives
// done/total counts for a progress bar.
type Op struct {
	Name string
	Run  func(ctx context.Context, env *Env, params json.RawMessage, out io.Writer, progress func(done, total int)) error
}

var registry = map[string]Op{}

// Register adds an operation; it panics on an empty name, a nil Run or a
// duplicate, so mistakes show at start-up.
func Register(op Op) {
	switch {
	case op.Name == "" || strings.ContainsAny(op.Name, "/ "):
		panic(fmt.Sprintf("admin: bad op name %q", op.Name))
	case op.Run == nil:
		panic("admin: op " + op.Name + " has no Run")
	}
	if _, dup := registry[op.Name]; dup {
		panic("admin: duplicate op " + op.Name)
	}
	registry[op.Name] = op
}

// Names lists the registered operations.
func Names() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Mount serves every operation under /admin/op/<name> and a ping at
// /admin/ping. Only ever mount it on the loopback admin listener.
func Mount(mux *http.ServeMux, env *Env) {
	mux.HandleFunc("GET /admin/ping", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("POST /admin/op/{name}", func(w http.ResponseWriter, r *http.Request) {
		op, ok := registry[r.PathValue("name")]
		if !ok {
			http.Error(w, "未知的操作", http.StatusNotFound)
			return
		}
		params, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		if err != nil {
			http.Error(w, "读取参数失败", http.StatusBadRequest)
			return
		}
		var buf bytes.Buffer
		if err := op.Run(r.Context(), env, params, &buf, nil); err != nil {
			env.Logger.Warn("admin op failed", "op", op.Name, "err", err)
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(buf.Bytes())
	})
}

// ErrNoService: nothing answers on the admin address.
var ErrNoService = errors.New("admin: no running service")

// Remote runs op on the service listening on adminAddr. It returns
// ErrNoService when nothing answers there.
func Remote(ctx context.Context, adminAddr, op string, params any, out io.Writer) error {
	base := "http://" + adminAddr
	client := &http.Client{Timeout: 10 * time.Minute}
	pingCtx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(pingCtx, http.MethodGet, base+"/admin/ping", nil)
	resp, err := client.Do(req)
	if err != nil {
		return ErrNoService
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return ErrNoService
	}
	body, err := json.Marshal(params)
	if err != nil {
		return err
	}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/admin/op/"+op, bytes.NewReader(body))
	resp, err = client.Do(req)
	if err != nil {
		return fmt.Errorf("admin: %s: %w", op, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("%s", strings.TrimSpace(string(msg)))
	}
	_, err = io.Copy(out, resp.Body)
	return err
}

// Local runs op in this process on env.
func Local(ctx context.Context, env *Env, op string, params any, out io.Writer, progress func(done, total int)) error {
	o, ok := registry[op]
	if !ok {
		return fmt.Errorf("admin: unknown op %q", op)
	}
	b, err := json.Marshal(params)
	if err != nil {
		return err
	}
	return o.Run(ctx, env, b, out, progress)
}
