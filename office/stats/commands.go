package stats

import (
	"firebot/handlers"
	"firebot/office"
)

// Command names.
const (
	CmdStats = "统计"
	CmdChase = "催报"
)

// qChase is the id of the preview of a repeated 催报 (handlers.Question).
const qChase = "office.chase"

// tools are the office's shared tools, with this feature's commands as
// methods.
type tools struct{ *office.Tools }

// Commands are 统计 and 催报.
func Commands(t *office.Tools) []handlers.Command {
	f := &tools{t}
	return []handlers.Command{
		t.Office(handlers.Command{Name: CmdStats, Usage: "统计 [单位名]", Words: []string{"总体进度", "汇总", "stats"}, Args: true,
			Help: "全街道的完成情况，或某个单位的详情", Run: f.runStats}, office.Private),
		t.Office(handlers.Command{Name: CmdChase, Usage: "催报 [范围] [截止项]", Words: []string{"催交", "chase"}, Args: true,
			Help: "立即提醒还没完成的单位（范围写法同广播；默认最近的截止项）", Run: f.runChase}, office.Refuse),
	}
}

// Questions are the preview of a repeated 催报.
func Questions(t *office.Tools) []handlers.Question {
	f := &tools{t}
	return []handlers.Question{
		{ID: qChase, Name: "催报预览", YesNo: true, Declined: "好的，这次不催报。", Answer: office.Confirmed(f.confirmChase),
			Commands: handlers.CommandsRun},
	}
}
