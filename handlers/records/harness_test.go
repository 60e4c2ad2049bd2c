package records_test

import (
	"slices"
	"testing"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/handlers"
	"firebot/handlers/handlerstest"
	"firebot/handlers/nominate"
	"firebot/handlers/records"
	"firebot/handlers/report"
	"firebot/ledger"
	"firebot/store"
)

const (
	commChat = "chat_comm_xuetianwan" // bound to 学田湾社区 (officers zhangsan, lisi)
	office   = "zhujun"               // office staff
	worker   = "wangxiao"             // a grid worker: no roles
)

var must = handlerstest.Must

// newHarness builds a router with the core's commands, the features that
// make records (上报, 推荐) and this one, in the service's order.
func newHarness(t *testing.T, now string) *handlerstest.Harness {
	return handlerstest.New(t, now, func(cfg *config.Config, clk clock.Clock) bot.Handler {
		r := handlers.New(handlers.Options{Config: cfg, Campaign: clk})
		for _, f := range slices.Concat(report.Flows(), nominate.Flows(), records.Flows()) {
			r.RegisterFlow(f)
		}
		for _, h := range []handlers.Hooks{report.Hooks(), nominate.Hooks(), records.Hooks()} {
			r.RegisterHooks(h)
		}
		for _, c := range slices.Concat(handlers.InfoCommands(), report.Commands(), nominate.Commands(), records.Commands(),
			nominate.Resume(), report.Resume(), handlers.DraftCommands()) {
			r.Register(c)
		}
		return r
	})
}

var at = configtest.At

func confirmation(t *testing.T, h *handlerstest.Harness, id string) (*store.Record, ledger.Confirmation) {
	t.Helper()
	r := h.Record(id)
	c, err := ledger.DecodeConfirmation(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, c
}

func nominationOf(t *testing.T, h *handlerstest.Harness, id string) (*store.Record, ledger.Nomination) {
	t.Helper()
	r := h.Record(id)
	n, err := ledger.DecodeNomination(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, n
}
