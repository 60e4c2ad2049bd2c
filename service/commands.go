package service

import (
	"slices"

	"firebot/handlers"
	"firebot/handlers/bind"
	"firebot/handlers/mute"
	"firebot/handlers/nominate"
	"firebot/handlers/records"
	"firebot/handlers/report"
	"firebot/office"
	"firebot/office/broadcast"
	"firebot/office/correct"
	"firebot/office/export"
	"firebot/office/stats"
)

// registerChat puts every chat command on the router, in the order 帮助
// lists them, with the dialogs of the feature packages and the hooks by
// which the conversation core reaches them. This is the one list:
// handlers.New registers no command by itself, and no package registers
// from init.
func registerChat(r *handlers.Router, od office.Options) {
	t := office.NewTools(od)
	for _, f := range slices.Concat(
		report.Flows(),   // 上报
		nominate.Flows(), // 推荐
		records.Flows(),  // 撤回, 照片
		bind.Flows(),     // 绑定
	) {
		r.RegisterFlow(f)
	}
	// How the conversation core reaches the features it does not import.
	r.RegisterHooks(report.Hooks())   // a report told in free text starts 上报; 代录 opens it for a unit
	r.RegisterHooks(nominate.Hooks()) // "我想推荐…" starts 推荐
	r.RegisterHooks(records.Hooks())  // images outside a dialog: the sender's latest report

	for _, q := range officeQuestions(t) { // the office's previews and reasons
		r.RegisterQuestion(q)
	}
	for _, group := range chatCommands(t) {
		for _, c := range group {
			r.Register(c)
		}
	}
}

// chatCommands are the chat commands, grouped by the package that
// implements them, in the order 帮助 lists them: everyone's, then the
// office staff's, then 收到, which everyone in a bound group may use. The
// comment on each line names the group's commands (TestChatCommandsListed
// keeps the comments true).
func chatCommands(t *office.Tools) [][]handlers.Command {
	return [][]handlers.Command{
		handlers.InfoCommands(),   // 帮助 活动 截止 进度
		report.Commands(),         // 上报
		nominate.Commands(),       // 推荐 本单位不推荐 撤销不推荐
		records.Commands(),        // 我的记录 修改 撤回 照片
		bind.Commands(),           // 绑定 解绑
		nominate.Resume(),         // 继续推荐
		report.Resume(),           // 继续上报
		handlers.DraftCommands(),  // 取消
		mute.Commands(),           // 免打扰 恢复提醒
		broadcast.Commands(t),     // 广播 回执
		stats.Commands(t),         // 统计 催报
		correct.Commands(t),       // 代录 不适用 退回
		export.Commands(t),        // 导出 图表
		broadcast.UnitCommands(t), // 收到
	}
}

// officeQuestions are the office commands' dialogs: previews waiting for
// 确认 and prompts for a reason.
func officeQuestions(t *office.Tools) []handlers.Question {
	return slices.Concat(
		broadcast.Questions(t), // 广播预览
		stats.Questions(t),     // 催报预览
		correct.Questions(t),   // 退回预览, the reasons of 不适用 and 退回
	)
}
