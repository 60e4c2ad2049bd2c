package broadcast_test

import (
	"slices"
	"testing"

	"firebot/handlers"
	"firebot/office"
	"firebot/office/broadcast"
	"firebot/office/officetest"
)

// feature is this package on a test router: 广播, 回执 and 收到, the
// preview, and the delivery reports.
var feature = officetest.Feature{
	Questions: broadcast.Questions,
	Commands: func(t *office.Tools) []handlers.Command {
		return slices.Concat(broadcast.Commands(t), broadcast.UnitCommands(t))
	},
	Tick: broadcast.Tick,
}

func newHarness(t testing.TB, now string, deps office.Options) *officetest.Harness {
	t.Helper()
	return officetest.New(t, now, deps, feature)
}
