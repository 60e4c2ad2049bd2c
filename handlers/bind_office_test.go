package handlers

import (
	"testing"

	"firebot/store"
)

// An office chat cannot be bound to a unit, by an officer or by the office.
func TestBindOfficeChatRefused(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	if len(h.cfg.Access.OfficeChats) == 0 {
		t.Fatal("the test configuration has no office chat")
	}
	g := h.cfg.Access.OfficeChats[0].ID
	for _, user := range []string{"lisi", office} {
		must(t, h.group(g, user, "绑定 学田湾社区"), "街道工作群，不能绑定")
		a := h.audit()
		if last := a[len(a)-1]; last.Allowed || last.Action != "bind" || last.Detail != "街道工作群不能绑定单位" {
			t.Errorf("%s: audit %+v, want a refused bind with its reason", user, last)
		}
	}
	var units []string
	if err := h.st.View(t.Context(), func(tx store.Tx) error {
		var err error
		units, err = store.UnitsOfChat(tx, g)
		return err
	}); err != nil || len(units) != 0 {
		t.Fatalf("office chat bound to %v (%v)", units, err)
	}
	// Another group still binds.
	must(t, h.group("chat_new_group", "lisi", "绑定 学田湾社区"), "已把本群绑定到“学田湾社区”")
	a := h.audit()
	if last := a[len(a)-1]; !last.Allowed || last.Action != "bind" || last.Actor != "lisi" || last.Detail != "" {
		t.Errorf("audit %+v, want lisi's allowed bind", last)
	}
}
