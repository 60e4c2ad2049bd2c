package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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

func TestLegacyNominationWithDeedsPartsContinues(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:05")
	putLegacy(t, h, "single_zhangsan", "zhangsan", "nominate-deeds-parts.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Single("zhangsan", "她常年为独居老人更换老化电线。"), "已收到第3段")
	must(t, h.Single("zhangsan", "完成"), "共3段", "联系电话")
	must(t, h.Single("zhangsan", "13812345678"), "请核对推荐内容")
	must(t, h.Single("zhangsan", "确认"), "推荐成功，编号 TJ-0001")
	_, n := nominationOf(t, h, "TJ-0001")
	want := "李梅同志长期坚持入户开展消防宣传。\n她还组织居民疏散演练二十余次。\n她常年为独居老人更换老化电线。"
	if n.Deeds != want || n.Name != "李梅" || n.Years != 8 || n.Affiliation != "学田湾社区居委会" {
		t.Fatalf("nomination %+v", n)
	}
}

func TestLegacyPausedDraftResumes(t *testing.T) {
	h := newHarness(t, "2023-10-27 09:00")
	putLegacy(t, h, "single_zhangsan", "zhangsan"+pausedSlot, "paused-drafts.json", at(t, "2023-11-02 10:30"))
	must(t, h.Single("zhangsan", "进度"), "你有一份暂停的推荐草稿", "停在“事迹材料”")
	must(t, h.Single("zhangsan", "继续推荐"), "接着填写暂停的推荐")
	must(t, h.Single("zhangsan", "完成"), "共2段", "联系电话")
	must(t, h.Single("zhangsan", "13812345678"), "请核对推荐内容")
	must(t, h.Single("zhangsan", "确认"), "推荐成功，编号 TJ-0001")
	_, n := nominationOf(t, h, "TJ-0001")
	if n.Deeds != "李梅同志长期坚持入户开展消防宣传。\n她还组织居民疏散演练二十余次。" || n.Years != 8 {
		t.Fatalf("nomination %+v", n)
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
	s, err := decodeState(d.Data)
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
	if _, err := decodeState([]byte(newer)); !errors.Is(err, errNewerState) {
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
		"confirm": {Flow: flowConfirm, Step: stepSummary, Units: []string{"comm_xuetianwan"}, Started: started, Photos: []string{"a.jpg"},
			Done: map[string]bool{StepUnit: true, fieldStepID("participants"): true}, History: []string{stepTask},
			Values: map[string]string{StepUnit: "comm_xuetianwan", stepSupplier: "王晓", stepTask: "all_hands_drill", stepDate: "2023-11-03",
				fieldKey("participants"): "80", proposedKey("participants"): "5000", noteKey(fieldStepID("participants")): "（取“80人”）",
				noteKey(stepTask): "也可能是", stepPlace: "广场", stepDesc: "演练", valAlso: "a,b", valPhotosSaved: "2", valHint: "昨天演练",
				valCand: "a,b", valDupOf: "HD-0001", valDupOK: "1", valEnteredBy: "office1", "odd": ""}},
		"nominate": {Flow: flowNominate, Step: stepDeeds, Started: started,
			Values: map[string]string{StepUnit: "u", stepKind: "个人", stepName: "李梅", stepAffiliation: "居委会", stepYears: "8",
				stepReason: "理由", stepScope: "2", stepDeeds: "甲\n乙", deedsPartsKey: `["甲","乙"]`, deedsPendingKey: "加入?",
				stepPhone: "13812345678", valRecommender: "张三"}},
		"nominate odd parts": {Flow: flowNominate, Step: stepDeeds, Started: started,
			Values: map[string]string{deedsPartsKey: `[ "甲" ]`}},
		"question": {Flow: "q.office", Step: stepAnswer, Started: started,
			Values: map[string]string{qPrompt: "确定吗？", qValPrefix + "id": "GB-0001"}},
		"empty": {Flow: "photo", Record: "HD-0001", Started: started},
	}
	for name, s := range states {
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeState(data)
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
	data, _ := json.Marshal(states["confirm"])
	if !strings.Contains(string(data), `"confirm":{"unit":"comm_xuetianwan","supplier":"王晓"`) || !strings.Contains(string(data), `"fields":{"participants":"80"}`) {
		t.Errorf("confirmation values not stored in their struct: %s", data)
	}
	data, _ = json.Marshal(states["nominate"])
	if !strings.Contains(string(data), `"deeds_parts":["甲","乙"]`) || strings.Contains(string(data), "deeds.parts") {
		t.Errorf("nomination values not stored in their struct: %s", data)
	}
}
