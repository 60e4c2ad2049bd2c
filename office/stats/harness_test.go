package stats_test

import (
	"testing"

	"firebot/office"
	"firebot/office/officetest"
	"firebot/office/stats"
)

func newHarness(t testing.TB, now string, deps office.Options) *officetest.Harness {
	t.Helper()
	return officetest.New(t, now, deps, officetest.Feature{Questions: stats.Questions, Commands: stats.Commands})
}
