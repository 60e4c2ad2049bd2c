package scheduler

import (
	"strings"
	"testing"
)

// Unit names come from the imported roster: in a reminder's markdown they
// cannot mention, link, emphasise or make a heading.
func TestHostileUnitNameInReminderMarkdown(t *testing.T) {
	for _, name := range []string{
		"<@zhujun> [点此领取消防补贴](http://evil.example/claim)",
		"**紧急**\n# 全体注意",
		`<font color="warning">红字</font> _斜_ ~删~ ` + "`码`",
	} {
		md := message{title: "报送提醒", items: []item{{name: name, text: "尚缺 1 项"}}}.markdown()
		_, rest, _ := strings.Cut(md, "> **")
		shown, _, _ := strings.Cut(rest, "**：尚缺")
		if shown == "" || strings.ContainsAny(shown, "<>[]*`#_~") {
			t.Errorf("%q shown as %q in\n%s", name, shown, md)
		}
	}
}
