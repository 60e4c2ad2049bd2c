package report_test

import (
	"fmt"
	"testing"
)

// BenchmarkConfirmationThroughRouter drives the same 上报 as
// BenchmarkConfirmationDialog through the router and the embedded store:
// each message loads, runs and stores the dialog in a unit of work.
func BenchmarkConfirmationThroughRouter(b *testing.B) {
	h := newHarness(b, "2023-11-06 10:00")
	inputs := []string{"上报", "2", "昨天", "80", "操场", "全校师生参加了疏散演练", "跳过", "人数 90", "取消"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		user := fmt.Sprintf("u%d", i)
		i++
		for _, in := range inputs {
			h.Group(commChat, user, in)
		}
	}
}
