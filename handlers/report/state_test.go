package report_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"firebot/store"
)

// The fixtures under testdata/state-v0 are dialogs as the release before
// typed state stored them (captured from real dialogs). A dialog in
// progress across an upgrade continues.

func TestLegacyConfirmationAtSummaryContinues(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:05")
	h.PutDialogFile(commChat, worker, "testdata/state-v0/confirm-summary.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Group(commChat, worker, "地点 社区活动中心"), "地点：社区活动中心", "参演人数：80", "请核对上报内容")
	must(t, h.Group(commChat, worker, "确认"), "上报成功，编号 HD-0001", "全员应急疏散演练")
	_, c := confirmation(t, h, "HD-0001")
	if c.Date != "2023-11-03" || c.Fields["participants"] != "80" || c.Place != "社区活动中心" || c.Description != "居民和商户一起参加了疏散演练" {
		t.Fatalf("confirmation %+v", c)
	}
}

// A dialog continued after an upgrade is stored again in this release's
// shape: the unit beside the engine's fields and the flow's values in
// their struct (under version 1, which the release before reads too:
// compat_test.go).
func TestLegacyDialogIsStoredAgainWithVersion(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:05")
	h.PutDialogFile(commChat, worker, "testdata/state-v0/confirm-summary.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Group(commChat, worker, "描述 居民和商户一起参加了演练"), "请核对上报内容")
	data := h.DialogData(commChat, worker)
	if data := string(data); !strings.Contains(data, `"version":1`) || !strings.Contains(data, `"unit":"comm_xuetianwan"`) || !strings.Contains(data, `"confirm":{"task":"all_hands_drill"`) ||
		!strings.Contains(data, `"desc":"居民和商户一起参加了演练"`) || !strings.Contains(data, `"fields":{"participants":"80"}`) {
		t.Fatalf("stored again as %s", data)
	}
}

// A state written by a newer release is not misread: the dialog is
// dropped with the usual note, and the user can start again.
func TestNewerDialogState(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:05")
	data, err := os.ReadFile("testdata/state-v0/confirm-summary.json")
	if err != nil {
		t.Fatal(err)
	}
	newer := strings.Replace(string(data), `{"flow"`, `{"version":99,"flow"`, 1)
	if err := h.Store.Update(context.Background(), func(tx store.Tx) error {
		return store.PutDialog(tx, &store.Dialog{ChatID: commChat, UserID: worker, ExpiresAt: h.Clock.Now().Add(time.Hour), Data: []byte(newer)})
	}); err != nil {
		t.Fatal(err)
	}
	must(t, h.Group(commChat, worker, "确认"), "之前的对话无法继续，已经作废")
	must(t, h.Group(commChat, worker, "上报"), "开展的是哪一项活动")
}

// The fixtures under testdata/state-v1 are dialogs as the release before
// this one stored them (version 1: the unit in the flow's struct, some
// values in a bag of strings), captured from real dialogs.

func TestVersion1FreeTextReportAtSummaryContinues(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:05")
	h.PutDialogFile(schoolChat, "teacher1", "testdata/state-v1/confirm-freetext-summary.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Group(schoolChat, "teacher1", "地点 操场"), "地点：操场", "参演人数：80", "请核对上报内容")
	must(t, h.Group(schoolChat, "teacher1", "确认"), "上报成功，编号 HD-0001")
	r, c := confirmation(t, h, "HD-0001")
	if r.UnitID != "org_school_a" || r.TaskID != "evacuation_drill" || c.Date != "2023-11-06" || c.Fields["participants"] != "80" || c.Place != "操场" {
		t.Fatalf("confirmation %+v %+v", r, c)
	}
}

func TestVersion1LargeNumberAwaitingConfirmation(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:05")
	h.PutDialogFile(commChat, worker, "testdata/state-v1/confirm-proposed.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Group(commChat, worker, "是"), "请核对上报内容", "参演人数：5000")
	must(t, h.Group(commChat, worker, "确认"), "上报成功，编号 HD-0001")
	if _, c := confirmation(t, h, "HD-0001"); c.Fields["participants"] != "5000" || c.Date != "2023-11-05" {
		t.Fatalf("confirmation %+v", c)
	}
}
