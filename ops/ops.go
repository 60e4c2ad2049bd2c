// Package ops describes the command-line tools' operations (export,
// reminders plan, roster import, archive, backup) as plain values: an Op is
// a name and a function of an Env. The domain packages export their ops
// (workbook.Ops, archive.Op…) without knowing how they are run; the service
// lists them all in one place (service.AdminOps), and package remote
// runs that list in the tool itself or serves it on the admin socket.
package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"

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

// Typed is the op named name whose parameters are the JSON form of P: run
// gets them decoded. Parameters that do not decode are refused before run.
func Typed[P any](name string, run func(ctx context.Context, env *Env, p P, out io.Writer) error) Op {
	return Op{Name: name, Run: func(ctx context.Context, env *Env, raw json.RawMessage, out io.Writer, _ func(int, int)) error {
		var p P
		if err := json.Unmarshal(raw, &p); err != nil {
			return fmt.Errorf("%s: 参数无法解析：%w", name, err)
		}
		return run(ctx, env, p, out)
	}}
}

type callerKey struct{}

// Caller is who called the op, as the server that accepted the request
// established it (peer credentials on the admin socket, the token on the
// legacy port); ok is false when the op runs in the tool itself. Ops that
// audit use it instead of any name the request claims.
func Caller(ctx context.Context) (name string, ok bool) {
	name, ok = ctx.Value(callerKey{}).(string)
	return name, ok
}

// WithCaller records the caller for Caller.
func WithCaller(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, callerKey{}, name)
}

// CallerOr is Caller, or claimed when the op runs in the tool itself, or
// "admin" when nothing is claimed either.
func CallerOr(ctx context.Context, claimed string) string {
	if caller, ok := Caller(ctx); ok {
		return caller // who really called, never whom the request names
	}
	if claimed == "" {
		return "admin"
	}
	return claimed
}
