package report

import (
	"testing"

	"firebot/handlers"
	"firebot/handlers/flowtest"
)

// BenchmarkConfirmationDialog drives a whole 上报 through the pure engine
// (unit known, then task, date, count, place, description, photos, an
// edit on the summary): the work a dialog costs besides the store.
func BenchmarkConfirmationDialog(b *testing.B) {
	e := flowtest.Env(b, "2023-11-06 10:00", "org_school_a")
	f := newConfirmFlow()
	s0 := handlers.State{Units: []string{"org_school_a"}, Unit: "org_school_a", Done: map[string]bool{handlers.StepUnit: true}}
	inputs := []string{"2", "昨天", "80", "操场", "全校师生参加了疏散演练", "完成", "人数 90"}
	b.ReportAllocs()
	for b.Loop() {
		s, tr := f.Begin(e, s0, "")
		for _, in := range inputs {
			s, tr = f.Next(e, s, handlers.Input{Text: in})
		}
		if s.Step != handlers.StepSummary || tr.Submit {
			b.Fatalf("step %q: %s", s.Step, tr.Text)
		}
	}
}
