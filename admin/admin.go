// Package admin runs the command-line tools' operations (export, reminders
// plan, roster import, archive…) against whichever process holds the
// store: the running service through its loopback admin API, or the tool
// itself when no service runs (the embedded store admits one process).
//
// An Op is written once, as a function of an Env. Handler serves every op
// on the service's admin socket (server.admin_socket), where the caller is
// known from the socket's peer credentials; Client runs an op there after a
// handshake proves the answering process serves the same store; Local runs
// it in the tool itself.
package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"

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
	// Identity names the store the service holds (StoreIdentity); the
	// handshake returns it so a client knows whom it talks to.
	Identity string
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
