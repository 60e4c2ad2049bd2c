package records_test

import (
	"testing"
	"time"

	"firebot/handlers/handlerstest"
	"firebot/store"
)

// The fixtures under testdata/state-v1 are dialogs of 修改 and 撤回 as the
// release before this one stored them (version 1), captured from real
// dialogs: an upgrade in the middle of one loses nothing.

// reported submits HD-0001, the record the fixtures act on.
func reported(t *testing.T, now string) *handlerstest.Harness {
	h := newHarness(t, now)
	for _, in := range []string{"上报", "2", "11月3日", "80", "跳过", "跳过", "确认"} {
		h.Group(commChat, worker, in)
	}
	if r := h.Record("HD-0001"); r.Status != store.StatusActive {
		t.Fatalf("HD-0001 %+v", r)
	}
	return h
}

func TestVersion1EditContinues(t *testing.T) {
	h := reported(t, "2023-11-06 10:00")
	h.PutDialogFile(commChat, worker, "testdata/state-v1/confirm-edit.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Group(commChat, worker, "确认"), "已保存对 HD-0001 的修改", "11月4日")
	if _, c := confirmation(t, h, "HD-0001"); c.Date != "2023-11-04" || c.Fields["participants"] != "80" {
		t.Fatalf("confirmation %+v", c)
	}
}

func TestVersion1WithdrawContinues(t *testing.T) {
	h := reported(t, "2023-11-06 10:00")
	h.PutDialogFile(commChat, worker, "testdata/state-v1/withdraw.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Group(commChat, worker, "帮助"), "确定撤回 HD-0001 全员应急疏散演练 参演人数80")
	must(t, h.Group(commChat, worker, "确认"), "已撤回 HD-0001")
	if r := h.Record("HD-0001"); r.Status != store.StatusWithdrawn {
		t.Fatalf("status %s", r.Status)
	}
}
