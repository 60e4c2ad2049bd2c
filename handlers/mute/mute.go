package mute

import (
	"errors"
	"slices"
	"time"

	"firebot/bot"
	"firebot/config"
	"firebot/handlers"
	"firebot/scheduler"
	"firebot/store"
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
	text, allowed, err := mute(c.Tx, c.Config, c.Msg.ChatID, c.Msg.SenderID, c.Now)
	if err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit(AuditMute, c.Msg.ChatID, allowed, ""); err != nil {
		return bot.NoReply, err
	}
	return c.Reply(text), nil
}

func runUnmute(c *handlers.Context) (bot.Reply, error) {
	text, allowed, err := unmute(c.Tx, c.Config, c.Msg.ChatID, c.Msg.SenderID)
	if err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit(AuditUnmute, c.Msg.ChatID, allowed, ""); err != nil {
		return bot.NoReply, err
	}
	return c.Reply(text), nil
}

// mayMute reports whether userID may mute or unmute chatID: office staff,
// or an officer of a unit the chat is bound to.
func mayMute(tx store.Tx, cfg *config.Config, chatID, userID string) (bool, error) {
	if slices.Contains(cfg.Access.OfficeUsers, userID) {
		return true, nil
	}
	ids, err := store.UnitsOfChat(tx, chatID)
	if err != nil {
		return false, err
	}
	for _, id := range ids {
		u, err := store.GetUnit(tx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return false, err
		}
		if u.HasOfficer(userID) {
			return true, nil
		}
	}
	return false, nil
}

// mute handles 免打扰 sent by userID in chatID at now (campaign clock):
// the reply and whether the sender was allowed (audited either way).
func mute(tx store.Tx, cfg *config.Config, chatID, userID string, now time.Time) (reply string, allowed bool, err error) {
	ok, err := mayMute(tx, cfg, chatID, userID)
	if err != nil || !ok {
		return notAllowed, false, err
	}
	if s, muted, err := scheduler.Muted(tx, &cfg.Campaign, chatID); err != nil {
		return "", false, err
	} else if muted {
		return "本群已经是免打扰状态（" + s.By + " 于 " + zhfmt.MomentWeekday(s.At) +
			" 设置）。截止当天的提醒仍会发送；发送“恢复提醒”可恢复。", true, nil
	}
	if err := scheduler.Mute(tx, &cfg.Campaign, chatID, userID, now); err != nil {
		return "", false, err
	}
	return "已为本群开启免打扰：定时提醒暂停发送，但截止当天的提醒仍会发送。发送“恢复提醒”可恢复，发送“进度”可查看状态。", true, nil
}

// unmute handles 恢复提醒.
func unmute(tx store.Tx, cfg *config.Config, chatID, userID string) (reply string, allowed bool, err error) {
	ok, err := mayMute(tx, cfg, chatID, userID)
	if err != nil || !ok {
		return notAllowed, false, err
	}
	if _, muted, err := scheduler.Muted(tx, &cfg.Campaign, chatID); err != nil {
		return "", false, err
	} else if !muted {
		return "本群的提醒本来就是开启的，无需恢复。", true, nil
	}
	if err := scheduler.Unmute(tx, chatID); err != nil {
		return "", false, err
	}
	return "已恢复本群的定时提醒。", true, nil
}

const notAllowed = "只有本群所绑定单位的安全员或街道工作人员可以设置免打扰。"
