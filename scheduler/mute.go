package scheduler

import (
	"errors"
	"time"

	"firebot/campaign"
	"firebot/store"
	"firebot/zhfmt"
)

// bMute holds one durable entry per muted chat.
const bMute = "sched_mute"

// MuteState says who muted a group and when (campaign clock).
type MuteState struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
	// Campaign is the campaign the mute was set in: a mute belongs to its
	// campaign, so next year's campaign (campaign clone) starts with every
	// group's reminders on. Mutes stored before it was recorded have none
	// and hold when set on or after the campaign's announcement.
	Campaign string `json:"campaign,omitempty"`
}

// Mute pauses reminders to chatID (免打扰) for the campaign. Reminders on a
// deadline's last day still reach it. Muting an already muted chat keeps
// the first state.
func Mute(tx store.Tx, camp *campaign.Campaign, chatID, by string, at time.Time) error {
	if _, muted, err := Muted(tx, camp, chatID); err != nil || muted {
		return err
	}
	return store.PutJSON(tx, bMute, chatID, MuteState{By: by, At: at, Campaign: camp.ID})
}

// Unmute restarts reminders to chatID (恢复提醒). Unmuting a chat that is not
// muted is not an error.
func Unmute(tx store.Tx, chatID string) error { return tx.Delete(bMute, chatID) }

// Muted reports whether chatID is muted in the campaign, and by whom; a
// mute left from another campaign does not count.
func Muted(tx store.Tx, camp *campaign.Campaign, chatID string) (MuteState, bool, error) {
	var s MuteState
	err := store.GetJSON(tx, bMute, chatID, &s)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return MuteState{}, false, nil
	case err != nil:
		return MuteState{}, false, err
	}
	if s.Campaign != camp.ID && (s.Campaign != "" || s.At.Before(camp.Announced)) {
		return MuteState{}, false, nil
	}
	return s, true, nil
}

// MuteStatus returns the line `进度` shows about a group's reminders in
// the campaign (handlers.Options.GroupStatus).
func MuteStatus(camp *campaign.Campaign) func(tx store.Tx, chatID string) (string, error) {
	return func(tx store.Tx, chatID string) (string, error) {
		s, muted, err := Muted(tx, camp, chatID)
		if err != nil {
			return "", err
		}
		if !muted {
			return "本群提醒：正常（发送“免打扰”可暂停）", nil
		}
		return "本群提醒：已暂停（" + s.By + " 于 " + zhfmt.MomentWeekday(s.At) + " 设置免打扰；截止当天的提醒照常发送，发送“恢复提醒”恢复）", nil
	}
}
