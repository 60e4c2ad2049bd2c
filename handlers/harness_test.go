package handlers

import (
	"slices"
	"testing"
	"time"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/handlers/handlerstest"
)

// Tests load the production example configuration, so fixtures match what
// firebot runs with; the harness is handlerstest's, with the core's
// commands registered (registerCore).

func loadConfig(t testing.TB) *config.Config { return configtest.Example(t) }

func at(t testing.TB, s string) time.Time { return configtest.At(t, s) }

// harness is handlerstest's, keeping the router it built.
type harness struct {
	*handlerstest.Harness
	r *Router
}

func newHarness(t testing.TB, now string) *harness {
	t.Helper()
	h := &harness{}
	h.Harness = handlerstest.New(t, now, func(cfg *config.Config, clk clock.Clock) bot.Handler {
		h.r = New(Options{Config: cfg, Campaign: clk})
		registerCore(h.r)
		return h.r
	})
	return h
}

// registerCore registers the commands that live in this package, in the
// order the service lists them.
func registerCore(r *Router) {
	for _, c := range slices.Concat(InfoCommands(), DraftCommands()) {
		r.Register(c)
	}
}

var (
	must    = handlerstest.Must
	mustNot = handlerstest.MustNot
)
