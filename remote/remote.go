// Package remote runs the command-line tools' operations (export, reminders
// plan, roster import, archive…) against whichever process holds the
// store: the running service through its loopback admin API (remotely), or
// the tool itself when no service runs (the embedded store admits one
// process).
//
// An op (package ops) is written once, as a function of its environment;
// nothing registers itself: Env.Ops is the list to offer
// (service.AdminOps). Handler serves them on the service's admin socket
// (server.admin_socket), where the caller is known from the socket's peer
// credentials; Client runs an op there after a handshake proves the
// answering process serves the same store; Local runs it in the tool
// itself.
package remote

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"firebot/ops"
)

// Env is what the admin API and Local run operations with: the
// operations' environment, the store's identity and the operations offered.
type Env struct {
	ops.Env
	// Identity names the store the service holds (StoreIdentity); the
	// handshake returns it so a client knows whom it talks to.
	Identity string
	// Ops are the operations offered (service.AdminOps); nothing is
	// registered anywhere else.
	Ops []ops.Op
	// Streets are a district service's streets, by id, each with its own
	// environment and operations: a request names one with its street
	// parameter. Env itself is then the district's level (the whole
	// store's backup, the district export).
	Streets map[string]*Env
}

// streetIDs lists env's streets, sorted.
func (env *Env) streetIDs() []string {
	ids := make([]string, 0, len(env.Streets))
	for id := range env.Streets {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Op is one operation (see package ops).
type Op = ops.Op

// find returns env's operation named name; a bad entry in env.Ops (an
// empty or spaced name, a nil Run) is never found.
func (env *Env) find(name string) (ops.Op, bool) {
	for _, o := range env.Ops {
		if o.Name == name && o.Run != nil && name != "" && !strings.ContainsAny(name, "/ ") {
			return o, true
		}
	}
	return ops.Op{}, false
}

// Local runs op in this process on env.
func Local(ctx context.Context, env *Env, op string, params any, out io.Writer, progress func(done, total int)) error {
	o, ok := env.find(op)
	if !ok {
		return fmt.Errorf("remote: unknown op %q", op)
	}
	b, err := json.Marshal(params)
	if err != nil {
		return err
	}
	return o.Run(ctx, &env.Env, b, out, progress)
}
