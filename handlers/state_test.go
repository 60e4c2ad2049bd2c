package handlers

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/bot"
)

// A state written by a newer release is not misread (the dialog is then
// dropped with the usual note: handlers/report's TestNewerDialogState).
func TestNewerDialogStateIsRefused(t *testing.T) {
	r := New(Options{Config: loadConfig(t)})
	newer := `{"version":99,"flow":"confirm","step":"summary","values":{"unit":"u"}}`
	if _, err := r.decodeState([]byte(newer)); !errors.Is(err, errNewerState) {
		t.Fatalf("decode newer: %v", err)
	}
}

// Storing a state and reading it back gives the same state, whatever its
// flow and keys; each flow's values are stored in its struct.
func TestStoredStateRoundTrip(t *testing.T) {
	started := at(t, "2023-11-06 10:00")
	states := map[string]State{
		"prefixed": {Flow: "listed", Step: StepSummary, Units: []string{"comm_xuetianwan"}, Started: started, Photos: []string{"a.jpg"},
			Done: map[string]bool{StepUnit: true, "f:participants": true}, History: []string{"task"},
			Values: map[string]string{StepUnit: "comm_xuetianwan", "name": "王晓", "f.participants": "80", NoteKey("f:participants"): "（取“80人”）",
				NoteKey("task"): "也可能是", "dup.of": "HD-0001", "odd": ""}},
		"listed": {Flow: "listed", Step: "parts", Started: started,
			Values: map[string]string{StepUnit: "u", "name": "李梅", "parts": `["甲","乙"]`, "pending": "加入?"}},
		"listed odd parts": {Flow: "listed", Step: "parts", Started: started,
			Values: map[string]string{"parts": `[ "甲" ]`}},
		"question": {Flow: "q.office", Step: stepAnswer, Started: started,
			Values: map[string]string{qPrompt: "确定吗？", qValPrefix + "id": "GB-0001"}},
		"empty": {Flow: "photo", Record: "HD-0001", Started: started},
	}
	r := New(Options{Config: loadConfig(t)})
	r.RegisterFlow(listedFlow())
	for name, s := range states {
		data, err := r.encodeState(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.decodeState(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := s
		want.Version = stateVersion
		if want.Values == nil {
			want.Values = map[string]string{}
		}
		if want.Done == nil {
			want.Done = map[string]bool{}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s\nstored %s", name, diff, data)
		}
	}
	data, _ := r.encodeState(states["prefixed"])
	if !strings.Contains(string(data), `"listed":{"unit":"comm_xuetianwan","name":"王晓","fields":{"participants":"80"},"notes":{"f:participants":"（取“80人”）","task":"也可能是"}}`) {
		t.Errorf("values not stored in their struct: %s", data)
	}
	data, _ = r.encodeState(states["listed"])
	if !strings.Contains(string(data), `"listed":{"unit":"u","name":"李梅","parts":["甲","乙"]}`) || !strings.Contains(string(data), `"values":{"pending":"加入?"}`) {
		t.Errorf("values not stored in their struct: %s", data)
	}
}

// listedFlow is a flow of a feature's kind (推荐: handlers/nominate) whose
// struct has a list.
func listedFlow() *Flow {
	return &Flow{
		ID: "listed", Order: func(*Env, *State) []string { return nil }, Step: func(*Env, *State, string) *Step { return nil },
		Submit: func(*Context, *Env, State) (bot.Reply, error) { return bot.NoReply, nil },
		Stored: func() StoredValues { return &listedValues{} },
	}
}

type listedValues struct {
	Unit   string            `json:"unit,omitempty"`
	Name   string            `json:"name,omitempty"`
	Fields map[string]string `json:"fields,omitempty"`
	Notes  map[string]string `json:"notes,omitempty"`
	Parts  []string          `json:"parts,omitempty"`
}

func (v *listedValues) Slots() Slots {
	return Slots{
		Values:   map[string]*string{StepUnit: &v.Unit, "name": &v.Name},
		Prefixes: map[string]*map[string]string{"f.": &v.Fields, NoteKey(""): &v.Notes},
		Lists:    map[string]*[]string{"parts": &v.Parts},
	}
}
