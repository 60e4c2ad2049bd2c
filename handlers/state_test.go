package handlers

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/bot"
	"firebot/store"
)

// The fixtures under testdata/state-v0 are dialogs as the release before
// typed state stored them (captured from real dialogs of this package's
// harness). A dialog in progress across an upgrade continues.

// putLegacy stores the fixture file as the dialog slot user of chat.
func putLegacy(t *testing.T, h *harness, chat, user, file string, expires time.Time) {
	t.Helper()
	data, err := os.ReadFile("testdata/state-v0/" + file)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Store.Update(context.Background(), func(tx store.Tx) error {
		return store.PutDialog(tx, &store.Dialog{ChatID: chat, UserID: user, ExpiresAt: expires, Data: data})
	}); err != nil {
		t.Fatal(err)
	}
}

func TestLegacyConfirmationAtSummaryContinues(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:05")
	putLegacy(t, h, commChat, worker, "confirm-summary.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Group(commChat, worker, "地点 社区活动中心"), "地点：社区活动中心", "参演人数：80", "请核对上报内容")
	must(t, h.Group(commChat, worker, "确认"), "上报成功，编号 HD-0001", "全员应急疏散演练")
	_, c := confirmation(t, h, "HD-0001")
	if c.Date != "2023-11-03" || c.Fields["participants"] != "80" || c.Place != "社区活动中心" || c.Description != "居民和商户一起参加了疏散演练" {
		t.Fatalf("confirmation %+v", c)
	}
}

// A dialog continued after an upgrade is stored again in this release's
// shape, with its version and the flow's values in their struct.
func TestLegacyDialogIsStoredAgainWithVersion(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:05")
	putLegacy(t, h, commChat, worker, "confirm-summary.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Group(commChat, worker, "描述 居民和商户一起参加了演练"), "请核对上报内容")
	var d *store.Dialog
	if err := h.Store.View(context.Background(), func(tx store.Tx) error {
		var err error
		d, err = store.GetDialog(tx, commChat, worker)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s, err := h.r.decodeState(d.Data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(d.Data), `"version":1`) || !strings.Contains(string(d.Data), `"confirm":{"unit":"comm_xuetianwan"`) || s.Version != stateVersion || s.Get(stepDesc) != "居民和商户一起参加了演练" || s.Get(fieldKey("participants")) != "80" {
		t.Fatalf("stored again as %s", d.Data)
	}
}

// A state written by a newer release is not misread: the dialog is
// dropped with the usual note, and the user can start again.
func TestNewerDialogStateIsRefused(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:05")
	data, err := os.ReadFile("testdata/state-v0/confirm-summary.json")
	if err != nil {
		t.Fatal(err)
	}
	newer := strings.Replace(string(data), `{"flow"`, `{"version":99,"flow"`, 1)
	if _, err := h.r.decodeState([]byte(newer)); !errors.Is(err, errNewerState) {
		t.Fatalf("decode newer: %v", err)
	}
	if err := h.Store.Update(context.Background(), func(tx store.Tx) error {
		return store.PutDialog(tx, &store.Dialog{ChatID: commChat, UserID: worker, ExpiresAt: h.Clock.Now().Add(time.Hour), Data: []byte(newer)})
	}); err != nil {
		t.Fatal(err)
	}
	must(t, h.Group(commChat, worker, "确认"), "之前的对话无法继续，已经作废")
	must(t, h.Group(commChat, worker, "上报"), "开展的是哪一项活动")
}

// Storing a state and reading it back gives the same state, whatever its
// flow and keys; each flow's values are stored in its struct.
func TestStoredStateRoundTrip(t *testing.T) {
	started := at(t, "2023-11-06 10:00")
	states := map[string]State{
		"confirm": {Flow: flowConfirm, Step: StepSummary, Units: []string{"comm_xuetianwan"}, Started: started, Photos: []string{"a.jpg"},
			Done: map[string]bool{StepUnit: true, fieldStepID("participants"): true}, History: []string{stepTask},
			Values: map[string]string{StepUnit: "comm_xuetianwan", stepSupplier: "王晓", stepTask: "all_hands_drill", stepDate: "2023-11-03",
				fieldKey("participants"): "80", proposedKey("participants"): "5000", noteKey(fieldStepID("participants")): "（取“80人”）",
				noteKey(stepTask): "也可能是", stepPlace: "广场", stepDesc: "演练", valAlso: "a,b", valPhotosSaved: "2", valHint: "昨天演练",
				valCand: "a,b", valDupOf: "HD-0001", valDupOK: "1", valEnteredBy: "office1", "odd": ""}},
		"listed": {Flow: "listed", Step: "parts", Started: started,
			Values: map[string]string{StepUnit: "u", "name": "李梅", "parts": `["甲","乙"]`, "pending": "加入?"}},
		"listed odd parts": {Flow: "listed", Step: "parts", Started: started,
			Values: map[string]string{"parts": `[ "甲" ]`}},
		"question": {Flow: "q.office", Step: stepAnswer, Started: started,
			Values: map[string]string{qPrompt: "确定吗？", qValPrefix + "id": "GB-0001"}},
		"empty": {Flow: "photo", Record: "HD-0001", Started: started},
	}
	r := New(Deps{Config: loadConfig(t)})
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
	data, _ := r.encodeState(states["confirm"])
	if !strings.Contains(string(data), `"confirm":{"unit":"comm_xuetianwan","supplier":"王晓"`) || !strings.Contains(string(data), `"fields":{"participants":"80"}`) {
		t.Errorf("confirmation values not stored in their struct: %s", data)
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
	Unit  string   `json:"unit,omitempty"`
	Name  string   `json:"name,omitempty"`
	Parts []string `json:"parts,omitempty"`
}

func (v *listedValues) Slots() Slots {
	return Slots{Values: map[string]*string{StepUnit: &v.Unit, "name": &v.Name}, Lists: map[string]*[]string{"parts": &v.Parts}}
}
