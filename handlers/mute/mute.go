package mute

import (
	"slices"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/scheduler"
	"firebot/zhfmt"
)

// Command names.
const (
	CommandMute   = "免打扰"
	CommandUnmute = "恢复提醒"
)

// Audit actions written by the commands, allowed or refused.
const (
	AuditMute   = "mute"
	AuditUnmute = "unmute"
)

// Commands are 免打扰, which pauses a group's reminders (those on a
// deadline's last day still arrive), and 恢复提醒, which restarts them.
func Commands() []handlers.Command {
	return []handlers.Command{
		{
			Name: CommandMute, Words: []string{"暂停提醒", "静音"},
			For: handlers.Officers, Scope: handlers.ScopeGroup,
			Help: "暂停本群的定时提醒（截止当天的提醒照常发送）",
			Run:  runMute,
		},
		{
			Name: CommandUnmute, Words: []string{"开启提醒", "解除免打扰"},
			For: handlers.Officers, Scope: handlers.ScopeGroup,
			Help: "恢复本群的定时提醒",
			Run:  runUnmute,
		},
	}
}

func runMute(c *handlers.Context) (bot.Reply, error) {
	text, allowed, err := mute(c)
	if err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit(AuditMute, c.Msg.ChatID, allowed, ""); err != nil {
		return bot.NoReply, err
	}
	return c.Reply(text), nil
}

func runUnmute(c *handlers.Context) (bot.Reply, error) {
	text, allowed, err := unmute(c)
	if err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit(AuditUnmute, c.Msg.ChatID, allowed, ""); err != nil {
		return bot.NoReply, err
	}
	return c.Reply(text), nil
}

// mayMute reports whether the sender may mute or unmute the chat: office
// staff, or an officer of a unit the chat is bound to.
func mayMute(c *handlers.Context) (bool, error) {
	if c.Office() {
		return true, nil
	}
	units, err := c.ChatUnits()
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(units, func(u campaign.Unit) bool { return u.HasOfficer(c.Msg.SenderID) }), nil
}

// mute handles 免打扰: the reply and whether the sender was allowed
// (audited either way).
func mute(c *handlers.Context) (reply string, allowed bool, err error) {
	ok, err := mayMute(c)
	if err != nil || !ok {
		return notAllowed, false, err
	}
	camp := c.Campaign()
	if s, muted, err := scheduler.Muted(c.Tx, camp, c.Msg.ChatID); err != nil {
		return "", false, err
	} else if muted {
		return "本群已经是免打扰状态（" + s.By + " 于 " + zhfmt.MomentWeekday(s.At) +
			" 设置）。截止当天的提醒仍会发送；发送“恢复提醒”可恢复。", true, nil
	}
	if err := scheduler.Mute(c.Tx, camp, c.Msg.ChatID, c.Msg.SenderID, c.Now); err != nil {
		return "", false, err
	}
	return "已为本群开启免打扰：定时提醒暂停发送，但截止当天的提醒仍会发送。发送“恢复提醒”可恢复，发送“进度”可查看状态。", true, nil
}

// unmute handles 恢复提醒.
func unmute(c *handlers.Context) (reply string, allowed bool, err error) {
	ok, err := mayMute(c)
	if err != nil || !ok {
		return notAllowed, false, err
	}
	if _, muted, err := scheduler.Muted(c.Tx, c.Campaign(), c.Msg.ChatID); err != nil {
		return "", false, err
	} else if !muted {
		return "本群的提醒本来就是开启的，无需恢复。", true, nil
	}
	if err := scheduler.Unmute(c.Tx, c.Msg.ChatID); err != nil {
		return "", false, err
	}
	return "已恢复本群的定时提醒。", true, nil
}

const notAllowed = "只有本群所绑定单位的安全员或街道工作人员可以设置免打扰。"
