package broadcast

import (
	"firebot/handlers"
	"firebot/office"
)

// Command names.
const (
	CmdBroadcast = "广播"
	CmdReadBack  = "回执"
	CmdAck       = "收到"
)

// qBroadcast is the id of the broadcast preview (handlers.Question).
const qBroadcast = "office.broadcast"

// tools are the office's shared tools, with this feature's commands as
// methods.
type tools struct{ *office.Tools }

// Commands are the office's broadcast commands: 广播 and 回执.
func Commands(t *office.Tools) []handlers.Command {
	f := &tools{t}
	return []handlers.Command{
		t.Office(handlers.Command{Name: CmdBroadcast, Usage: "广播 [范围] [@所有人] [回执] 内容", Words: []string{"群发", "broadcast"}, Args: true,
			Help: "向各群发通知：范围可写 全部、板块名、社区、单位类别或用“、”连接的单位名", Run: f.runBroadcast}, office.Refuse),
		t.OfficeWhere(handlers.Command{Name: CmdReadBack, Usage: "回执 [GB-编号] [催]", Words: []string{"回执情况", "收到情况"}, Args: true,
			Help: "查看广播的回执，加“催”再提醒未回执的群", Run: f.runReadBack}, readBackElsewhere),
	}
}

// UnitCommands are the commands of the units' side: 收到, for everyone in
// a bound group (and officers one-to-one).
func UnitCommands(t *office.Tools) []handlers.Command {
	f := &tools{t}
	return []handlers.Command{
		{Name: CmdAck, Usage: "收到 [GB-编号]", Words: []string{"已收到", "已阅"}, Args: true,
			Help: "回执街道的广播通知", Run: f.runAck},
	}
}

// Questions are the broadcast preview.
func Questions(t *office.Tools) []handlers.Question {
	f := &tools{t}
	return []handlers.Question{
		{ID: qBroadcast, Name: "广播预览", YesNo: true, Declined: "好的，广播已取消，没有发送。", Answer: office.Confirmed(f.confirmBroadcast),
			Commands: handlers.CommandsRun},
	}
}

// readBackElsewhere: 回执 only reads and is answered 1:1 in a unit's
// group; 回执 … 催 sends reminders and is refused there.
func readBackElsewhere(args string) office.Elsewhere {
	if _, chase := parseReadBackArgs(args); chase {
		return office.Refuse
	}
	return office.Private
}
