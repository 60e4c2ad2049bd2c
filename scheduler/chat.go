package scheduler

import (
	"firebot/bot"
	"firebot/handlers"
)

// ChatCommands are the group commands 免打扰, which pauses a group's
// reminders (those on a deadline's last day still arrive), and 恢复提醒,
// which restarts them, for the handlers router. Both are for the officers
// of a unit the group is bound to and for office staff; both are audited.
// The service registers them with the other chat commands; MuteStatus is
// the line 进度 shows (handlers.Deps.GroupStatus).
func ChatCommands() []handlers.Command {
	return []handlers.Command{
		{
			Name: CommandMute, Words: []string{"暂停提醒", "静音"},
			Officer: true, Scope: handlers.ScopeGroup,
			Help: "暂停本群的定时提醒（截止当天的提醒照常发送）",
			Run:  runMute,
		},
		{
			Name: CommandUnmute, Words: []string{"开启提醒", "解除免打扰"},
			Officer: true, Scope: handlers.ScopeGroup,
			Help: "恢复本群的定时提醒",
			Run:  runUnmute,
		},
	}
}

func runMute(c *handlers.Context) (bot.Reply, error) {
	r, err := MuteCommand(c.Tx, c.Config, c.Msg.ChatID, c.Msg.SenderID, c.Now)
	if err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit(AuditMute, c.Msg.ChatID, r.Allowed, ""); err != nil {
		return bot.NoReply, err
	}
	return c.Reply(r.Text), nil
}

func runUnmute(c *handlers.Context) (bot.Reply, error) {
	r, err := UnmuteCommand(c.Tx, c.Config, c.Msg.ChatID, c.Msg.SenderID)
	if err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit(AuditUnmute, c.Msg.ChatID, r.Allowed, ""); err != nil {
		return bot.NoReply, err
	}
	return c.Reply(r.Text), nil
}
