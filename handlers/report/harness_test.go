package report_test

import (
	"slices"
	"testing"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/handlers"
	"firebot/handlers/handlerstest"
	"firebot/handlers/report"
	"firebot/ledger"
	"firebot/store"
)

const (
	commChat   = "chat_comm_xuetianwan" // bound to 学田湾社区 (officers zhangsan, lisi)
	schoolChat = "chat_org_school_a"    // bound to 示例实验小学 (officer heping)
	office     = "zhujun"               // office staff
	worker     = "wangxiao"             // a grid worker: no roles
)

var (
	must    = handlerstest.Must
	mustNot = handlerstest.MustNot
	at      = configtest.At
)

// newHarness builds a router with the core's commands and this feature's,
// in the service's order.
func newHarness(t testing.TB, now string) *handlerstest.Harness {
	return handlerstest.New(t, now, func(cfg *config.Config, clk clock.Clock) bot.Handler {
		r := handlers.New(handlers.Options{Config: cfg, Campaign: clk})
		for _, f := range report.Flows() {
			r.RegisterFlow(f)
		}
		r.RegisterHooks(report.Hooks())
		for _, c := range slices.Concat(handlers.InfoCommands(), report.Commands(), report.Resume(), handlers.DraftCommands()) {
			r.Register(c)
		}
		return r
	})
}

func confirmation(t *testing.T, h *handlerstest.Harness, id string) (*store.Record, ledger.Confirmation) {
	t.Helper()
	r := h.Record(id)
	c, err := ledger.DecodeConfirmation(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, c
}

// noRecords fails if user has submitted any record.
func noRecords(t *testing.T, h *handlerstest.Harness, user string) {
	t.Helper()
	if err := h.Store.View(t.Context(), func(tx store.Tx) error {
		recs, err := store.RecordsOfReporter(tx, h.Cfg.Campaign.ID, user)
		if err == nil && len(recs) > 0 {
			t.Errorf("%s has %d records, want none", user, len(recs))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// bindChat binds chat to units as 绑定 (handlers/bind) would, by office
// staff.
func bindChat(t *testing.T, h *handlerstest.Harness, chat string, units ...string) {
	t.Helper()
	if err := h.Store.Update(t.Context(), func(tx store.Tx) error {
		for _, u := range units {
			if err := store.Bind(tx, store.Binding{ChatID: chat, UnitID: u, By: office, At: h.Clock.Now()}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
