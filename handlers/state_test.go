package handlers

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/bot"
)

// A state written by a newer release is not misread (the dialog is then
// dropped with the usual note: handlers/report's TestNewerDialogState).
func TestNewerDialogStateIsRefused(t *testing.T) {
	r := New(Options{Config: loadConfig(t)})
	newer := `{"version":99,"flow":"confirm","step":"summary","unit":"u"}`
	if _, err := r.decodeState([]byte(newer)); !errors.Is(err, errNewerState) {
		t.Fatalf("decode newer: %v", err)
	}
}

// Storing a state and reading it back gives the same state, whatever its
// flow; the flow's values are stored as its struct.
func TestStoredStateRoundTrip(t *testing.T) {
	started := at(t, "2023-11-06 10:00")
	states := map[string]State{
		"typed": {Flow: "listed", Step: StepSummary, Unit: "comm_xuetianwan", Units: []string{"comm_xuetianwan"}, Started: started, Photos: []string{"a.jpg"},
			Notes: map[string]string{"f:participants": "（取“80人”）", "task": "也可能是"},
			Done:  map[string]bool{StepUnit: true, "f:participants": true}, History: []string{"task"},
			Data: &listedData{Name: "王晓", Fields: map[string]string{"participants": "80"}, Parts: []string{"甲", "乙"}, Pending: "加入?"}},
		"empty struct": {Flow: "listed", Step: "parts", Started: started, Data: &listedData{}},
		"question": {Flow: "q.office", Step: stepAnswer, Started: started,
			Data: &questionData{Prompt: "确定吗？", Values: map[string]string{"id": "GB-0001"}}},
		"no struct": {Flow: "photo", Record: "HD-0001", Unit: "u", Started: started},
		// An empty note is no note (SetNote("") clears it), but one held
		// is stored and read back as it is.
		"empty note": {Flow: "listed", Step: "parts", Started: started, Notes: map[string]string{"task": ""}, Data: &listedData{Name: "李梅"}},
	}
	r := New(Options{Config: loadConfig(t)})
	r.RegisterFlow(listedFlow())
	r.RegisterQuestion(Question{ID: "q.office", Name: "广播", Answer: func(*Context, map[string]string, string) (bot.Reply, error) { return bot.NoReply, nil }})
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
		if want.Done == nil {
			want.Done = map[string]bool{}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s\nstored %s", name, diff, data)
		}
	}
	data, _ := r.encodeState(states["typed"])
	if !strings.HasPrefix(string(data), `{"version":1,`) {
		t.Errorf("not written as version 1, which the release before reads: %s", data)
	}
	for name, s := range states {
		data, _ := r.encodeState(s)
		var bag struct {
			Values map[string]string `json:"values"`
		}
		if err := json.Unmarshal(data, &bag); err != nil {
			t.Fatal(err)
		}
		if want := s.Named(); !maps.Equal(want, bag.Values) && len(want)+len(bag.Values) > 0 {
			t.Errorf("%s: the bag the release before reads is %v, want every value by name %v", name, bag.Values, want)
		}
	}
	if want := `"unit":"comm_xuetianwan","notes":{"f:participants":"（取“80人”）","task":"也可能是"}`; !strings.Contains(string(data), want) {
		t.Errorf("unit and notes not stored beside the engine's fields: %s", data)
	}
	if want := `"listed":{"name":"王晓","fields":{"participants":"80"},"parts":["甲","乙"],"pending":"加入?"}}`; !strings.HasSuffix(string(data), want) {
		t.Errorf("values not stored as the flow's struct: %s", data)
	}
}

// Dialogs stored by the two releases before this one are read (version 1
// kept the unit and notes in the flow's struct and the rest in a bag of
// strings, version 0 everything in the bag), and so is the shape the next
// release will write (version 2: no bag).
func TestReadsEarlierShapes(t *testing.T) {
	started := at(t, "2023-11-06 10:00")
	want := State{Version: stateVersion, Flow: "listed", Step: "parts", Unit: "u", Started: started,
		Notes: map[string]string{"task": "也可能是"}, Done: map[string]bool{StepUnit: true},
		Data: &listedData{Name: "李梅", Fields: map[string]string{"participants": "80"}, Parts: []string{"甲", "乙"}, Pending: "加入?"}}
	stored := map[string]string{
		"version 2, as the next release writes it": `{"version":2,"flow":"listed","step":"parts","unit":"u","notes":{"task":"也可能是"},"done":{"unit":true},` +
			`"started":"2023-11-06T10:00:00+08:00","listed":{"name":"李梅","fields":{"participants":"80"},"parts":["甲","乙"],"pending":"加入?"}}`,
		"version 1": `{"version":1,"flow":"listed","step":"parts","values":{"pending":"加入?"},"done":{"unit":true},"started":"2023-11-06T10:00:00+08:00",` +
			`"listed":{"unit":"u","name":"李梅","fields":{"participants":"80"},"notes":{"task":"也可能是"},"parts":["甲","乙"]}}`,
		"version 0": `{"flow":"listed","step":"parts","values":{"unit":"u","name":"李梅","f.participants":"80","note.task":"也可能是","parts":"[\"甲\",\"乙\"]","pending":"加入?","gone":"x"},` +
			`"done":{"unit":true},"started":"2023-11-06T10:00:00+08:00"}`,
	}
	r := New(Options{Config: loadConfig(t)})
	r.RegisterFlow(listedFlow())
	r.RegisterQuestion(Question{ID: "q.office", Name: "广播", Answer: func(*Context, map[string]string, string) (bot.Reply, error) { return bot.NoReply, nil }})
	for name, data := range stored {
		got, err := r.decodeState([]byte(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	q, err := r.decodeState([]byte(`{"version":1,"flow":"q.office","step":"answer","values":{"q.prompt":"确定吗？","v.id":"GB-0001"},"started":"2023-11-06T10:00:00+08:00"}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&questionData{Prompt: "确定吗？", Values: map[string]string{"id": "GB-0001"}}, q.Data); diff != "" {
		t.Errorf("question of version 1 (-want +got):\n%s", diff)
	}
}

// The named view of a state (the bag earlier releases stored, and what
// table tests write) reaches every value, and names only the state's.
func TestNamedValues(t *testing.T) {
	s := State{Data: &listedData{}}
	set := map[string]string{StepUnit: "u", NoteKey("task"): "n", "name": "王晓", "f.participants": "80", "parts": `["甲"]`, "pending": "p"}
	for k, v := range set {
		if !s.SetNamed(k, v) {
			t.Fatalf("no place for %s", k)
		}
	}
	if diff := cmp.Diff(set, s.Named()); diff != "" {
		t.Fatalf("named (-want +got):\n%s", diff)
	}
	for _, k := range []string{"gone", "f.", "parts"} {
		v := "x"
		if ok := s.SetNamed(k, v); ok {
			t.Errorf("SetNamed(%q, %q) found a place", k, v)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(set)) {
		s.SetNamed(k, "")
	}
	if got := s.Named(); len(got) != 0 {
		t.Fatalf("cleared, still named: %v", got)
	}
	if _, ok := s.Data.(*listedData); !ok {
		t.Fatal("data replaced")
	}
	c := State{Data: &listedData{Fields: map[string]string{"a": "1"}, Parts: []string{"甲"}}}.Clone()
	orig := c.Clone()
	DataOf[listedData](&c).Fields["a"] = "2"
	DataOf[listedData](&c).Parts[0] = "乙"
	if DataOf[listedData](&orig).Fields["a"] != "1" || DataOf[listedData](&orig).Parts[0] != "甲" {
		t.Fatal("Clone shares the values")
	}
}

// listedFlow is a flow of a feature's kind (推荐: handlers/nominate) whose
// struct has a map and a list.
func listedFlow() *Flow {
	return &Flow{
		ID: "listed", Order: func(*Env, *State) []string { return nil }, Step: func(*Env, *State, string) *Step { return nil },
		Submit: func(*Context, *Env, State) (bot.Reply, error) { return bot.NoReply, nil },
		Data:   func() Data { return &listedData{} },
	}
}

type listedData struct {
	Name    string            `json:"name,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
	Parts   []string          `json:"parts,omitempty"`
	Pending string            `json:"pending,omitempty"`
}

func (v *listedData) Clone() Data {
	c := *v
	c.Fields = maps.Clone(v.Fields)
	c.Parts = slices.Clone(v.Parts)
	return &c
}

func (v *listedData) Slots() Slots {
	return Slots{
		Values:   map[string]*string{"name": &v.Name, "pending": &v.Pending},
		Prefixes: map[string]*map[string]string{"f.": &v.Fields},
		Lists:    map[string]*[]string{"parts": &v.Parts},
	}
}
