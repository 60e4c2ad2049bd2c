// Package flowtest table-tests a feature's dialog without I/O: each step's
// Answer on a prepared state (RunSteps), and the flow driven through the
// pure engine (Drive), on the example configuration. The conversations
// themselves are driven by handlers/handlerstest.
package flowtest

import (
	"strings"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/config/configtest"
	"firebot/handlers"
)

// Env is the world of a step at campaign time now ("2006-01-02 15:04"),
// acting for the units given, where images arrive.
func Env(t testing.TB, now string, unitIDs ...string) *handlers.Env {
	t.Helper()
	cfg := configtest.Example(t)
	var units []campaign.Unit
	for _, id := range unitIDs {
		u, ok := cfg.Units.Unit(id)
		if !ok {
			t.Fatalf("no unit %s", id)
		}
		units = append(units, u)
	}
	n := configtest.At(t, now)
	return &handlers.Env{Campaign: &cfg.Campaign, Units: units, Now: n, Today: time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, n.Location()),
		Images: true, LatePolicy: cfg.Nominations.LatePolicy}
}

// StepCase is one input to a step.
type StepCase struct {
	Name   string
	Values map[string]string // state before, by name (handlers.State.SetNamed)
	In     string
	Photos []string
	Edit   bool
	Done   bool
	Msg    string            // substring of the message ("" = no message expected)
	Want   map[string]string // values after, by name (State.Named; "" = absent)
}

// RunSteps runs each case on f's step id, in a state of f acting for e's
// units, and checks the outcome, the message and the values.
func RunSteps(t *testing.T, e *handlers.Env, f *handlers.Flow, id string, cases []StepCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			s := handlers.State{Flow: f.ID, Done: map[string]bool{}}
			if f.Data != nil {
				s.Data = f.Data()
			}
			for _, u := range e.Units {
				s.Units = append(s.Units, u.ID)
			}
			for k, v := range tc.Values {
				if !s.SetNamed(k, v) {
					t.Fatalf("state of %s has no value %s", f.ID, k)
				}
			}
			st := f.Step(e, &s, id)
			if st == nil {
				t.Fatalf("%s has no step %s in this state", f.ID, id)
			}
			a := st.Answer(e, &s, handlers.Input{Text: tc.In, Photos: tc.Photos, Edit: tc.Edit})
			if a.Done != tc.Done {
				t.Fatalf("done = %v, want %v (msg %q)", a.Done, tc.Done, a.Msg)
			}
			if tc.Msg == "" && a.Msg != "" && !a.Done {
				t.Fatalf("unexpected message %q", a.Msg)
			}
			if tc.Msg != "" && !strings.Contains(a.Msg, tc.Msg) {
				t.Fatalf("message %q lacks %q", handlers.Clip(a.Msg, 200), tc.Msg)
			}
			named := s.Named()
			for k, v := range tc.Want {
				if got := named[k]; got != v {
					t.Fatalf("value %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// Drive starts f on s and feeds it the inputs, returning the last state
// and turn; an input after the dialog ended fails the test.
func Drive(t *testing.T, f *handlers.Flow, e *handlers.Env, s handlers.State, inputs ...string) (handlers.State, handlers.Turn) {
	t.Helper()
	s, tr := f.Begin(e, s, "")
	for _, in := range inputs {
		if tr.Submit || tr.Cancel {
			t.Fatalf("input %q after the dialog ended", in)
		}
		s, tr = f.Next(e, s, handlers.Input{Text: in})
	}
	return s, tr
}
