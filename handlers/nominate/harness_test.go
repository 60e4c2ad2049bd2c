package nominate_test

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
	"firebot/handlers/report"
	"firebot/ledger"
	"firebot/store"
)

const (
	commChat = "chat_comm_xuetianwan" // bound to 学田湾社区 (officers zhangsan, lisi)
	worker   = "wangxiao"             // a grid worker: no roles
)

var (
	must    = handlerstest.Must
	mustNot = handlerstest.MustNot
	at      = configtest.At
)

// newHarness builds a router with the core's commands, 上报 (a report
// told in free text meets a paused nomination) and this feature's, in the
// service's order.
func newHarness(t *testing.T, now string) *handlerstest.Harness {
	return handlerstest.New(t, now, func(cfg *config.Config, clk clock.Clock) bot.Handler {
		r := handlers.New(handlers.Options{Config: cfg, Campaign: clk})
		for _, f := range slices.Concat(report.Flows(), nominate.Flows()) {
			r.RegisterFlow(f)
		}
		r.RegisterHooks(report.Hooks())
		r.RegisterHooks(nominate.Hooks())
		for _, c := range slices.Concat(handlers.InfoCommands(), report.Commands(), nominate.Commands(), nominate.Resume(), report.Resume(), handlers.DraftCommands()) {
			r.Register(c)
		}
		return r
	})
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
