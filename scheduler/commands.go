package scheduler

import (
	"errors"
	"slices"
	"time"

	"firebot/config"
	"firebot/store"
	"firebot/zhfmt"
)

// Command names of the group chat commands (registered on the handlers
// router by ChatCommands).
const (
	CommandMute   = "免打扰"
	CommandUnmute = "恢复提醒"
)

// Audit actions written by the commands.
const (
	AuditMute   = "mute"
	AuditUnmute = "unmute"
)

// MuteReply is the outcome of 免打扰 or 恢复提醒: the reply and whether the
// sender was allowed (the caller audits both cases).
type MuteReply struct {
	Text    string
	Allowed bool
}

// MayMute reports whether userID may mute or unmute chatID: office staff,
// or an officer of a unit the chat is bound to.
func MayMute(tx store.Tx, cfg *config.Config, chatID, userID string) (bool, error) {
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

// MuteCommand handles 免打扰 sent by userID in chatID at now (campaign
// clock), inside the caller's unit of work.
func MuteCommand(tx store.Tx, cfg *config.Config, chatID, userID string, now time.Time) (MuteReply, error) {
	ok, err := MayMute(tx, cfg, chatID, userID)
	if err != nil || !ok {
		return MuteReply{Text: notAllowed}, err
	}
	if s, muted, err := Muted(tx, &cfg.Campaign, chatID); err != nil {
		return MuteReply{}, err
	} else if muted {
		return MuteReply{Allowed: true, Text: "本群已经是免打扰状态（" + s.By + " 于 " + zhfmt.MomentWeekday(s.At) +
			" 设置）。截止当天的提醒仍会发送；发送“恢复提醒”可恢复。"}, nil
	}
	if err := Mute(tx, &cfg.Campaign, chatID, userID, now); err != nil {
		return MuteReply{}, err
	}
	return MuteReply{Allowed: true, Text: "已为本群开启免打扰：定时提醒暂停发送，但截止当天的提醒仍会发送。发送“恢复提醒”可恢复，发送“进度”可查看状态。"}, nil
}

// UnmuteCommand handles 恢复提醒.
func UnmuteCommand(tx store.Tx, cfg *config.Config, chatID, userID string) (MuteReply, error) {
	ok, err := MayMute(tx, cfg, chatID, userID)
	if err != nil || !ok {
		return MuteReply{Text: notAllowed}, err
	}
	if _, muted, err := Muted(tx, &cfg.Campaign, chatID); err != nil {
		return MuteReply{}, err
	} else if !muted {
		return MuteReply{Allowed: true, Text: "本群的提醒本来就是开启的，无需恢复。"}, nil
	}
	if err := Unmute(tx, chatID); err != nil {
		return MuteReply{}, err
	}
	return MuteReply{Allowed: true, Text: "已恢复本群的定时提醒。"}, nil
}

const notAllowed = "只有本群所绑定单位的安全员或街道工作人员可以设置免打扰。"
