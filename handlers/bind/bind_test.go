package bind_test

import (
	"slices"
	"testing"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/handlers"
	"firebot/handlers/bind"
	"firebot/handlers/handlerstest"
	"firebot/store"
)

const (
	commChat = "chat_comm_xuetianwan" // bound to 学田湾社区 (officers zhangsan, lisi)
	office   = "zhujun"               // office staff
	worker   = "wangxiao"             // a grid worker: no roles
)

var (
	must    = handlerstest.Must
	mustNot = handlerstest.MustNot
)

// newHarness builds a router with the core's commands and this feature's,
// in the service's order.
func newHarness(t *testing.T, now string) *handlerstest.Harness {
	return handlerstest.New(t, now, func(cfg *config.Config, clk clock.Clock) bot.Handler {
		r := handlers.New(handlers.Options{Config: cfg, Campaign: clk})
		for _, f := range bind.Flows() {
			r.RegisterFlow(f)
		}
		for _, c := range slices.Concat(handlers.InfoCommands(), bind.Commands(), handlers.DraftCommands()) {
			r.Register(c)
		}
		return r
	})
}

func chatUnits(t *testing.T, h *handlerstest.Harness, chat string) []string {
	t.Helper()
	var units []string
	if err := h.Store.View(t.Context(), func(tx store.Tx) error {
		var err error
		units, err = store.UnitsOfChat(tx, chat)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return units
}

func TestBindAndUnbind(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	g := "chat_new_group"
	must(t, h.Group(g, "zhangsan", "绑定"), "请在“绑定”后面写单位名称")
	must(t, h.Group(g, "zhangsan", "绑定 火星社区"), "没有找到名称接近“火星社区”的单位")
	// Not sure: asks to confirm.
	must(t, h.Group(g, "zhangsan", "绑定 学田湾"), "你要把本群绑定到“学田湾社区”吗")
	must(t, h.Group(g, "zhangsan", "确认"), "已把本群绑定到“学田湾社区”")
	must(t, h.Group(g, "zhangsan", "绑定 学田湾社区"), "不需要重复绑定")
	// An officer of another unit is refused, with an audit entry.
	must(t, h.Group(g, "wangwu", "绑定 学田湾社区"), "你不是“学田湾社区”的安全员")
	a := h.Audit()
	if last := a[len(a)-1]; last.Allowed || last.Action != "bind" || last.Target != "comm_xuetianwan" {
		t.Fatalf("audit %+v", last)
	}
	// Several candidates: office staff choose.
	must(t, h.Group(g, office, "绑定 示例医"), "你要绑定哪个单位", "示例口腔医院")
	must(t, h.Group(g, office, "取消"), "已取消绑定")
	// Unbinding.
	must(t, h.Group(g, "wangwu", "解绑"), "你不是“学田湾社区”的安全员，不能解绑")
	must(t, h.Group(g, "lisi", "解绑"), "已解除本群与“学田湾社区”的绑定")
	must(t, h.Group(g, "lisi", "解绑"), "本群没有绑定任何单位")
	if units := chatUnits(t, h, g); len(units) != 0 {
		t.Fatalf("units %v", units)
	}
}

// A group may serve two units; binding the second says so.
func TestBindSecondUnit(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	sector := "chat_sector_north"
	must(t, h.Group(sector, office, "绑定 学田湾社区"), "已把本群绑定到“学田湾社区”")
	must(t, h.Group(sector, office, "绑定 牛角沱社区"), "本群现在对应：学田湾社区、牛角沱社区")
	if units := chatUnits(t, h, sector); len(units) != 2 {
		t.Fatalf("units %v", units)
	}
}

// An office chat cannot be bound to a unit, by an officer or by the office.
func TestBindOfficeChatRefused(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	if len(h.Cfg.Access.OfficeChats) == 0 {
		t.Fatal("the test configuration has no office chat")
	}
	g := h.Cfg.Access.OfficeChats[0].ID
	for _, user := range []string{"lisi", office} {
		must(t, h.Group(g, user, "绑定 学田湾社区"), "街道工作群，不能绑定")
		a := h.Audit()
		if last := a[len(a)-1]; last.Allowed || last.Action != "bind" || last.Detail != "街道工作群不能绑定单位" {
			t.Errorf("%s: audit %+v, want a refused bind with its reason", user, last)
		}
	}
	if units := chatUnits(t, h, g); len(units) != 0 {
		t.Fatalf("office chat bound to %v", units)
	}
	// Another group still binds.
	must(t, h.Group("chat_new_group", "lisi", "绑定 学田湾社区"), "已把本群绑定到“学田湾社区”")
	a := h.Audit()
	if last := a[len(a)-1]; !last.Allowed || last.Action != "bind" || last.Actor != "lisi" || last.Detail != "" {
		t.Errorf("audit %+v, want lisi's allowed bind", last)
	}
}

// The router's role check applies to 绑定 (groups only, officers only),
// and 帮助 hides it from people who cannot use it.
func TestScopeAndOfficerRefusals(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	must(t, h.Single("zhangsan", "绑定 学田湾社区"), "“绑定”要在单位的工作群里使用")
	must(t, h.Group(commChat, worker, "绑定 学田湾社区"), "只有单位安全员和街道工作人员可以使用", "你目前不是任何单位的安全员")
	a := h.Audit()
	if len(a) != 2 || a[1].Allowed || a[1].Action != "command:绑定" {
		t.Fatalf("audit %+v", a)
	}
	mustNot(t, h.Group(commChat, worker, "帮助"), "绑定")
	must(t, h.Group(commChat, "zhangsan", "帮助"), "绑定 单位名称")
}
