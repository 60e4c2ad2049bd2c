package service

import (
	"context"
	"errors"
	"slices"

	"firebot/handlers"
	"firebot/office"
	"firebot/office/broadcast"
	"firebot/office/correct"
	"firebot/office/export"
	"firebot/office/stats"
)

// officeCommands are the office's chat commands, one line per feature
// package, in the order 帮助 lists them: the office staff's first, then
// 收到, which everyone in a bound group may use.
func officeCommands(t *office.Tools) []handlers.Command {
	return slices.Concat(
		broadcast.Commands(t),     // 广播, 回执
		stats.Commands(t),         // 统计, 催报
		correct.Commands(t),       // 代录, 不适用, 退回
		export.Commands(t),        // 导出, 图表
		broadcast.UnitCommands(t), // 收到
	)
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

// officeTick is the office's background work: the shared part
// (office.Tick: given-up pushes, 导出 and 图表 jobs) and each feature's
// own (broadcast.Tick: delivery reports).
func officeTick(ctx context.Context, d office.Deps) error {
	return errors.Join(broadcast.Tick(ctx, d), office.Tick(ctx, d))
}

// registerOffice puts the office's commands and dialogs on r.
func registerOffice(r *handlers.Router, d office.Deps) {
	t := office.NewTools(d)
	for _, q := range officeQuestions(t) {
		r.RegisterQuestion(q)
	}
	for _, c := range officeCommands(t) {
		r.Register(c)
	}
}
