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
	"firebot/store"
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
		h.r = New(Deps{Config: cfg, Campaign: clk})
		registerCore(h.r)
		return h.r
	})
	return h
}

// registerCore registers the commands that live in this package, in the
// order the service lists them.
func registerCore(r *Router) {
	for _, c := range slices.Concat(InfoCommands(), RecordCommands(), DraftCommands()) {
		r.Register(c)
	}
}

var (
	must    = handlerstest.Must
	mustNot = handlerstest.MustNot
)

// bind binds chat to units as 绑定 (handlers/bind) would, by office staff.
func (h *harness) bind(chat string, units ...string) {
	h.T.Helper()
	if err := h.Store.Update(h.T.Context(), func(tx store.Tx) error {
		for _, u := range units {
			if err := store.Bind(tx, store.Binding{ChatID: chat, UnitID: u, By: office, At: h.Clock.Now()}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		h.T.Fatal(err)
	}
}

// noRecords fails if user has submitted any record (what 我的记录 of
// handlers/records would list).
func (h *harness) noRecords(user string) {
	h.T.Helper()
	if err := h.Store.View(h.T.Context(), func(tx store.Tx) error {
		recs, err := store.RecordsOfReporter(tx, h.Cfg.Campaign.ID, user)
		if err == nil && len(recs) > 0 {
			h.T.Errorf("%s has %d records, want none", user, len(recs))
		}
		return err
	}); err != nil {
		h.T.Fatal(err)
	}
}
