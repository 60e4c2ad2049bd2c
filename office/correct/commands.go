package correct

import (
	"firebot/handlers"
	"firebot/office"
)

// Command names.
const (
	CmdOnBehalf = "代录"
	CmdNA       = "不适用"
	CmdReturn   = "退回"
)

// qReturnConfirm is the id of the 退回 preview (the id keeps the flow's
// name); the reason prompts' ids are office.QNAReason and
// office.QReturnReason.
const qReturnConfirm = "office.return"

// tools are the office's shared tools, with this feature's commands as
// methods.
type tools struct{ *office.Tools }

// Commands are 代录, 不适用 and 退回.
func Commands(t *office.Tools) []handlers.Command {
	f := &tools{t}
	return []handlers.Command{
		t.Office(handlers.Command{Name: CmdOnBehalf, Usage: "代录 单位名", Words: []string{"代报", "补录"}, Args: true,
			Help: "替单位录入邮件或纸质报送的活动", Run: f.runOnBehalf}, office.Refuse),
		t.Office(handlers.Command{Name: CmdNA, Usage: "不适用 单位名 任务名或编号 [原因]", Words: []string{"免报"}, Args: true,
			Help: "标记某项工作不适用于某单位", Run: f.runNA}, office.Refuse),
		t.Office(handlers.Command{Name: CmdReturn, Usage: "退回 编号 原因", Words: []string{"驳回", "打回"}, Args: true,
			Help: "把记录退回单位修改", Run: f.runReturn}, office.Refuse),
	}
}

// Questions are the 退回 preview and the reason prompts of 不适用 and 退回.
func Questions(t *office.Tools) []handlers.Question {
	f := &tools{t}
	return []handlers.Question{
		{ID: qReturnConfirm, Name: "退回预览", YesNo: true, Declined: "好的，不退回，记录保持原状。", Answer: office.Confirmed(f.confirmReturn),
			Commands: handlers.CommandsRun},
		{ID: office.QNAReason, Name: "不适用标记", Answer: f.answerNAReason, Commands: handlers.CommandsAskLeave,
			Help: "请用一句话说明这项工作为什么不适用于该单位，例如“该单位无员工宿舍，不涉及”。"},
		{ID: office.QReturnReason, Name: "退回", Answer: f.answerReturnReason, Commands: handlers.CommandsAskLeave,
			Help: "请说明退回的原因，例如“照片看不清，请补充清晰照片”。原因会告诉报送人和单位的群。"},
	}
}
