package correct_test

import (
	"testing"

	"firebot/office"
	"firebot/office/correct"
	"firebot/office/officetest"
	"firebot/office/stats"
)

// newHarness has 统计 and 催报 beside this package's commands: the tests
// read a unit's records with 统计 and see a 不适用 task left out of 催报.
func newHarness(t testing.TB, now string, deps office.Options) *officetest.Harness {
	t.Helper()
	return officetest.New(t, now, deps,
		officetest.Feature{Questions: correct.Questions, Commands: correct.Commands},
		officetest.Feature{Questions: stats.Questions, Commands: stats.Commands})
}
