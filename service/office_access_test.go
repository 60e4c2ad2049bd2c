package service

import (
	"slices"
	"strings"
	"testing"

	"firebot/handlers"
	"firebot/office"
	"firebot/office/broadcast"
	"firebot/office/correct"
	"firebot/office/export"
	"firebot/office/officetest"
	"firebot/office/stats"
	"firebot/outbox"
)

// officeFeatures is the office as service registers it (commands.go).
var officeFeatures = officetest.Feature{Questions: officeQuestions, Commands: officeCommands}

// officeCommands are the office's part of chatCommands: the office staff's
// commands, and 收到.
func officeCommands(t *office.Tools) []handlers.Command {
	var out []handlers.Command
	for _, g := range chatCommands(t) {
		for _, c := range g {
			if c.For == handlers.OfficeStaff || c.Name == broadcast.CmdAck {
				out = append(out, c)
			}
		}
	}
	return out
}

// officeCommandTexts are every office command with arguments that make it do
// something, and whether in a unit's group it answers one-to-one (true)
// or is refused (false).
var officeCommandTexts = []struct {
	name, text string
	private    bool
}{
	{broadcast.CmdBroadcast, "广播 学校 请于周五前报送演练方案", false},
	{broadcast.CmdReadBack, "回执", true},
	{broadcast.CmdReadBack, "回执 GB-0001 催", false},
	{stats.CmdStats, "统计", true},
	{stats.CmdChase, "催报 report", false},
	{correct.CmdOnBehalf, "代录 学田湾社区", false},
	{correct.CmdNA, "不适用 示例实验小学 疏散演练 校区改造", false},
	{correct.CmdReturn, "退回 HD-0001 照片不清", false},
	{export.CmdExport, "导出", true},
	{export.CmdChart, "图表", true},
}

func audited(h *officetest.Harness, action string, allowed bool) bool {
	for _, e := range h.Audit() {
		if e.Action == action && e.Allowed == allowed {
			return true
		}
	}
	return false
}

func TestOfficeCommandsRefusedToOthers(t *testing.T) {
	for _, c := range officeCommandTexts {
		t.Run(c.text, func(t *testing.T) {
			h := officetest.New(t, "2023-11-20 09:00", office.Options{Exporter: officetest.FakeExporter{}, Charter: officetest.FakeCharter{}}, officeFeatures)
			for _, say := range []func() string{
				func() string { return h.Group(officetest.OfficeChat, "zhangsan", c.text) }, // in the office chat by mistake
				func() string { return h.Group(officetest.UnitChat, "zhangsan", c.text) },
				func() string { return h.Single("zhangsan", c.text) },
			} {
				got := say()
				officetest.Contains(t, got, "只有街道工作人员可以使用")
			}
			if !audited(h, "command:"+c.name, false) {
				t.Errorf("refusal not audited: %+v", h.Audit())
			}
			if ps := h.Pushes(); len(ps) > 0 {
				t.Errorf("a refused command pushed: %+v", ps)
			}
		})
	}
}

func TestOfficeCommandsWorkForOffice(t *testing.T) {
	for _, c := range officeCommandTexts {
		t.Run(c.text, func(t *testing.T) {
			h := officetest.New(t, "2023-11-20 09:00", office.Options{Exporter: officetest.FakeExporter{}, Charter: officetest.FakeCharter{}}, officeFeatures)
			// Something for 退回 and 回执 … 催 to act on.
			h.PutConfirmation("comm_xuetianwan", "theme_publicity", "zhangsan")
			h.Group(officetest.OfficeChat, officetest.OfficeUser, "广播 社区 回执 测试")
			h.Group(officetest.OfficeChat, officetest.OfficeUser, "确认")
			for _, say := range []func() string{
				func() string { return h.Group(officetest.OfficeChat, officetest.OfficeUser, c.text) },
				func() string {
					h.Single(officetest.OfficeUser, "取消")
					return h.Single(officetest.OfficeUser, c.text)
				},
			} {
				got := say()
				officetest.Lacks(t, got, "只有街道工作人员", "请在街道工作群里使用", "没看懂")
				h.Group(officetest.OfficeChat, officetest.OfficeUser, "取消")
			}
			if !audited(h, "command:"+c.name, true) {
				t.Errorf("use not audited: %+v", h.Audit())
			}
		})
	}
}

// An office user typing an office command in a unit's group: nothing of
// it shows in that group; reading commands answer by application message.
func TestOfficeCommandsInUnitGroupNeverLeak(t *testing.T) {
	for _, c := range officeCommandTexts {
		t.Run(c.text, func(t *testing.T) {
			h := officetest.New(t, "2023-11-20 09:00", office.Options{Exporter: officetest.FakeExporter{}, Charter: officetest.FakeCharter{}}, officeFeatures)
			before := len(h.Pushes())
			got := h.Group(officetest.UnitChat, officetest.OfficeUser, c.text)
			for _, p := range h.Pushes()[before:] {
				if p.Target == officetest.UnitChat {
					t.Fatalf("pushed into the unit's group: %+v", p)
				}
			}
			officetest.Lacks(t, got, "全街道", "广播预览", "【统计】", "催报“")
			if c.private {
				officetest.Contains(t, got, "私信发给你")
				var dm []officetest.Push
				for _, p := range h.PushesTo(officetest.OfficeUser) {
					if strings.HasPrefix(p.Key, "office-private:") {
						dm = append(dm, p)
					}
				}
				if len(dm) == 0 {
					t.Fatalf("no application message to %s: %+v", officetest.OfficeUser, h.Pushes())
				}
				if !audited(h, "command:"+c.name, true) {
					t.Errorf("not audited as allowed")
				}
			} else {
				officetest.Contains(t, got, "请在街道工作群里使用")
				if !audited(h, "command:"+c.name, false) {
					t.Errorf("refusal not audited")
				}
			}
		})
	}
}

func TestStatsAnsweredPrivatelyHasData(t *testing.T) {
	h := officetest.New(t, "2023-11-20 09:00", office.Options{}, officeFeatures)
	h.Group(officetest.UnitChat, officetest.OfficeUser, "统计")
	var text string
	for _, p := range h.PushesTo(officetest.OfficeUser) {
		if p.Channel != string(outbox.ChannelApp) {
			t.Fatalf("private answer by %s", p.Channel)
		}
		text += p.Text
	}
	officetest.Contains(t, text, "【统计】", "按板块", "进度最慢的单位", "5. ")
}

// The office's commands are listed in the order 帮助 shows them, the
// office staff's first and 收到 (everyone's) last.
func TestOfficeCommandsListed(t *testing.T) {
	h := officetest.New(t, "2023-11-20 09:00", office.Options{}, officeFeatures)
	tools := office.NewTools(h.Options)
	var names []string
	for _, c := range officeCommands(tools) {
		names = append(names, c.Name)
		if (c.For == handlers.OfficeStaff) != (c.Name != broadcast.CmdAck) {
			t.Errorf("%s: for %v", c.Name, c.For)
		}
	}
	want := []string{"广播", "回执", "统计", "催报", "代录", "不适用", "退回", "导出", "图表", "收到"}
	if !slices.Equal(names, want) {
		t.Errorf("commands %v, want %v", names, want)
	}
	help := h.Single(officetest.OfficeUser, "帮助")
	at := -1
	for _, n := range want {
		i := strings.Index(help, "· "+n)
		if i < 0 {
			t.Errorf("帮助 lacks %s:\n%s", n, help)
		} else if i < at {
			t.Errorf("帮助 lists %s out of order:\n%s", n, help)
		}
		at = i
	}
}
