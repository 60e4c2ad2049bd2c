package store

import (
	"encoding/json"
	"errors"
	"time"
)

// Dialog is the persisted state of one conversation between a user and the
// bot in one chat. The store keeps it opaque (Data belongs to the dialog
// engine); ExpiresAt is on the campaign clock and is checked by the engine.
type Dialog struct {
	ChatID    string          `json:"chat_id"`
	UserID    string          `json:"user_id"`
	Version   uint64          `json:"version"`
	ExpiresAt time.Time       `json:"expires_at"`
	Data      json.RawMessage `json:"data"`
}

// PausedDialogs is appended to a user id to name the dialog slot holding
// that user's paused drafts in a chat (the handlers keep them there).
const PausedDialogs = "#paused"

// GetDialog reads the dialog of (chat, user), or ErrNotFound.
func GetDialog(tx Tx, chatID, userID string) (*Dialog, error) {
	var d Dialog
	if err := GetJSON(tx, bDialogs, JoinKey(chatID, userID), &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// PutDialog writes d if the stored version still equals d.Version (0 for a
// new dialog), then increments d.Version. Another writer in between gives
// ErrConflict.
func PutDialog(tx Tx, d *Dialog) error {
	cur, err := GetDialog(tx, d.ChatID, d.UserID)
	switch {
	case errors.Is(err, ErrNotFound):
		if d.Version != 0 {
			return ErrConflict
		}
	case err != nil:
		return err
	case cur.Version != d.Version:
		return ErrConflict
	}
	next := *d
	next.Version++
	if err := PutJSON(tx, bDialogs, JoinKey(d.ChatID, d.UserID), &next); err != nil {
		return err
	}
	d.Version = next.Version
	return nil
}

// DeleteDialog ends the dialog of (chat, user).
func DeleteDialog(tx Tx, chatID, userID string) error {
	return tx.Delete(bDialogs, JoinKey(chatID, userID))
}
