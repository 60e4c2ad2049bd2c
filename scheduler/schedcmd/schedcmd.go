// Package schedcmd puts the scheduler's group commands on the handlers
// router: 免打扰 pauses a group's reminders (those on a deadline's last day
// still arrive) and 恢复提醒 restarts them. Both are for the officers of a
// unit the group is bound to and for office staff; both are audited.
//
//	router := handlers.New(deps)
//	for _, c := range schedcmd.Commands() {
//		router.Register(c)
//	}
//
// It lives apart from package scheduler so that handlers may import
// scheduler (进度 shows scheduler.MuteStatus) without an import cycle.
package schedcmd

import (
	"firebot/bot"
	"firebot/handlers"
	"firebot/scheduler"
)

// Commands returns the command definitions to register.
func Commands() []handlers.Command {
	return []handlers.Command{
		{
			Name: scheduler.CommandMute, Words: []string{"暂停提醒", "静音"},
			Officer: true, Scope: handlers.ScopeGroup,
			Help: "暂停本群的定时提醒（截止当天的提醒照常发送）",
			Run:  runMute,
		},
		{
			Name: scheduler.CommandUnmute, Words: []string{"开启提醒", "解除免打扰"},
			Officer: true, Scope: handlers.ScopeGroup,
			Help: "恢复本群的定时提醒",
			Run:  runUnmute,
		},
	}
}

func runMute(c *handlers.Context) (bot.Reply, error) {
	r, err := scheduler.MuteCommand(c.Tx, c.Config, c.Msg.ChatID, c.Msg.SenderID, c.Now)
	if err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit(scheduler.AuditMute, c.Msg.ChatID, r.Allowed, ""); err != nil {
		return bot.NoReply, err
	}
	return c.Reply(r.Text), nil
}

func runUnmute(c *handlers.Context) (bot.Reply, error) {
	r, err := scheduler.UnmuteCommand(c.Tx, c.Config, c.Msg.ChatID, c.Msg.SenderID)
	if err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit(scheduler.AuditUnmute, c.Msg.ChatID, r.Allowed, ""); err != nil {
		return bot.NoReply, err
	}
	return c.Reply(r.Text), nil
}
