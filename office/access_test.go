package office_test

import (
	"strings"
	"testing"

	"firebot/office"
)

// officeCommands are every office command with arguments that make it do
// something, and whether in a unit's group it answers one-to-one (true)
// or is refused (false).
var officeCommands = []struct {
	name, text string
	private    bool
}{
	{office.CmdBroadcast, "广播 学校 请于周五前报送演练方案", false},
	{office.CmdReadBack, "回执", true},
	{office.CmdReadBack, "回执 GB-0001 催", false},
	{office.CmdStats, "统计", true},
	{office.CmdChase, "催报 report", false},
	{office.CmdOnBehalf, "代录 学田湾社区", false},
	{office.CmdNA, "不适用 示例实验小学 疏散演练 校区改造", false},
	{office.CmdReturn, "退回 HD-0001 照片不清", false},
	{office.CmdExport, "导出", true},
	{office.CmdChart, "图表", true},
}

func audited(h *harness, action string, allowed bool) bool {
	for _, e := range h.audit() {
		if e.Action == action && e.Allowed == allowed {
			return true
		}
	}
	return false
}

func TestOfficeCommandsRefusedToOthers(t *testing.T) {
	for _, c := range officeCommands {
		t.Run(c.text, func(t *testing.T) {
			h := newHarness(t, "2023-11-20 09:00", office.Deps{Exporter: fakeExporter{}, Charter: fakeCharter{}})
			for _, say := range []func() string{
				func() string { return h.group(officeChat, "zhangsan", c.text) }, // in the office chat by mistake
				func() string { return h.group(unitChat, "zhangsan", c.text) },
				func() string { return h.single("zhangsan", c.text) },
			} {
				got := say()
				contains(t, got, "只有街道工作人员可以使用")
			}
			if !audited(h, "command:"+c.name, false) {
				t.Errorf("refusal not audited: %+v", h.audit())
			}
			if ps := h.pushes(); len(ps) > 0 {
				t.Errorf("a refused command pushed: %+v", ps)
			}
		})
	}
}

func TestOfficeCommandsWorkForOffice(t *testing.T) {
	for _, c := range officeCommands {
		t.Run(c.text, func(t *testing.T) {
			h := newHarness(t, "2023-11-20 09:00", office.Deps{Exporter: fakeExporter{}, Charter: fakeCharter{}})
			// Something for 退回 and 回执 … 催 to act on.
			h.putConfirmation("comm_xuetianwan", "theme_publicity", "zhangsan")
			h.group(officeChat, officeUser, "广播 社区 回执 测试")
			h.group(officeChat, officeUser, "确认")
			for _, say := range []func() string{
				func() string { return h.group(officeChat, officeUser, c.text) },
				func() string { h.single(officeUser, "取消"); return h.single(officeUser, c.text) },
			} {
				got := say()
				lacks(t, got, "只有街道工作人员", "请在街道工作群里使用", "没看懂")
				h.group(officeChat, officeUser, "取消")
			}
			if !audited(h, "command:"+c.name, true) {
				t.Errorf("use not audited: %+v", h.audit())
			}
		})
	}
}

// An office user typing an office command in a unit's group: nothing of
// it shows in that group; reading commands answer by application message.
func TestOfficeCommandsInUnitGroupNeverLeak(t *testing.T) {
	for _, c := range officeCommands {
		t.Run(c.text, func(t *testing.T) {
			h := newHarness(t, "2023-11-20 09:00", office.Deps{Exporter: fakeExporter{}, Charter: fakeCharter{}})
			before := len(h.pushes())
			got := h.group(unitChat, officeUser, c.text)
			for _, p := range h.pushes()[before:] {
				if p.target == unitChat {
					t.Fatalf("pushed into the unit's group: %+v", p)
				}
			}
			lacks(t, got, "全街道", "广播预览", "【统计】", "催报“")
			if c.private {
				contains(t, got, "私信发给你")
				var dm []push
				for _, p := range h.pushesTo(officeUser) {
					if strings.HasPrefix(p.key, "office-private:") {
						dm = append(dm, p)
					}
				}
				if len(dm) == 0 {
					t.Fatalf("no application message to %s: %+v", officeUser, h.pushes())
				}
				if !audited(h, "command:"+c.name, true) {
					t.Errorf("not audited as allowed")
				}
			} else {
				contains(t, got, "请在街道工作群里使用")
				if !audited(h, "command:"+c.name, false) {
					t.Errorf("refusal not audited")
				}
			}
		})
	}
}

func TestStatsAnsweredPrivatelyHasData(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Deps{})
	h.group(unitChat, officeUser, "统计")
	var text string
	for _, p := range h.pushesTo(officeUser) {
		if p.channel != outboxApp {
			t.Fatalf("private answer by %s", p.channel)
		}
		text += p.text
	}
	contains(t, text, "【统计】", "按板块", "进度最慢的单位", "5. ")
}

const outboxApp = "app"
