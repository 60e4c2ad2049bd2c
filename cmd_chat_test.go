package main

import (
	"context"
	"os"
	"strings"
	"testing"
)

// A scripted session through the simulator: it runs the real service with
// the fake WeCom, and a clock jump fires the reminders due on the way.
func TestChatScript(t *testing.T) {
	script := strings.Join([]string{
		"帮助",
		"上报",
		"2",
		"昨天",
		"80",
		"跳过",
		"跳过",
		"确认",
		":time 2023-11-24 09:30",
		":as zhujun",
		":in chat_office",
		"统计",
		":pushes",
	}, "\n")
	f, err := os.CreateTemp(t.TempDir(), "script")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(script)
	f.Seek(0, 0)
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old }()
	code, out, errOut := runArgs(t, context.Background(), "chat", "-config", tempConfig(t), "-now", "2023-11-06 10:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"firebot 聊天模拟器",
		"zhangsan@学田湾社区群> 上报",
		"上报成功，编号 HD-0001",
		"活动时钟：2023-11-24 09:30",
		"[群 chat_comm_xuetianwan]", // the 11-24 09:00 report chase reached the group
		"[群 chat_office]",          // and the office digest the office chat
		"zhujun@chat_office> 统计",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
}
