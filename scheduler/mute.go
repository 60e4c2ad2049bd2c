package scheduler

import (
	"errors"
	"time"

	"firebot/store"
	"firebot/zhfmt"
)

// bMute holds one durable entry per muted chat.
const bMute = "sched_mute"

// MuteState says who muted a group and when (campaign clock).
type MuteState struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// Mute pauses reminders to chatID (免打扰). Reminders on a deadline's last
// day still reach it. Muting an already muted chat keeps the first state.
func Mute(tx store.Tx, chatID, by string, at time.Time) error {
	if _, muted, err := Muted(tx, chatID); err != nil || muted {
		return err
	}
	return store.PutJSON(tx, bMute, chatID, MuteState{By: by, At: at})
}

// Unmute restarts reminders to chatID (恢复提醒). Unmuting a chat that is not
// muted is not an error.
func Unmute(tx store.Tx, chatID string) error { return tx.Delete(bMute, chatID) }

// Muted reports whether chatID is muted, and by whom.
func Muted(tx store.Tx, chatID string) (MuteState, bool, error) {
	var s MuteState
	err := store.GetJSON(tx, bMute, chatID, &s)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return MuteState{}, false, nil
	case err != nil:
		return MuteState{}, false, err
	}
	return s, true, nil
}

// MuteStatus is the line `进度` shows about a group's reminders.
func MuteStatus(tx store.Tx, chatID string) (string, error) {
	s, muted, err := Muted(tx, chatID)
	if err != nil {
		return "", err
	}
	if !muted {
		return "本群提醒：正常（发送“免打扰”可暂停）", nil
	}
	return "本群提醒：已暂停（" + s.By + " 于 " + zhfmt.MomentWeekday(s.At) + " 设置免打扰；截止当天的提醒照常发送，发送“恢复提醒”恢复）", nil
}
