package service

import (
	"firebot/handlers"
	"firebot/handlers/bind"
	"firebot/handlers/mute"
	"firebot/office"
)

// registerChat puts every chat command on the router, in the order 帮助
// lists them, with the dialogs of the feature packages. This is the one
// list: handlers.New registers nothing by itself, and no package
// registers from init.
func registerChat(r *handlers.Router, od office.Deps) {
	for _, f := range bind.Flows() { // the 绑定 dialog
		r.RegisterFlow(f)
	}
	for _, group := range chatCommands() {
		for _, c := range group {
			r.Register(c)
		}
	}
	// The office's commands (office staff only) and its questions.
	office.Register(r, od)
}

// chatCommands are the conversation commands, grouped by the package that
// implements them; the comment on each line names the group's commands
// (TestChatCommandsListed keeps the comments true).
func chatCommands() [][]handlers.Command {
	return [][]handlers.Command{
		handlers.InfoCommands(),   // 帮助 活动 截止 进度
		handlers.RecordCommands(), // 上报 推荐 本单位不推荐 撤销不推荐 我的记录 修改 撤回 照片
		bind.Commands(),           // 绑定 解绑
		handlers.DraftCommands(),  // 继续推荐 继续上报 取消
		mute.Commands(),           // 免打扰 恢复提醒
	}
}
