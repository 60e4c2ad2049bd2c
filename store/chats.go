package store

import (
	"errors"
	"time"
)

// Binding ties a chat to a roster unit. A chat may serve several units.
type Binding struct {
	ChatID string    `json:"chat_id"`
	UnitID string    `json:"unit_id"`
	By     string    `json:"by"`
	At     time.Time `json:"at"` // campaign clock
}

// Bind binds chat to unit (idempotent).
func Bind(tx Tx, b Binding) error {
	if err := PutJSON(tx, bBindByChat, JoinKey(b.ChatID, b.UnitID), b); err != nil {
		return err
	}
	return tx.Put(bBindByUnit, JoinKey(b.UnitID, b.ChatID), nil)
}

// Unbind removes one binding; removing a missing one is not an error.
func Unbind(tx Tx, chatID, unitID string) error {
	if err := tx.Delete(bBindByChat, JoinKey(chatID, unitID)); err != nil {
		return err
	}
	return tx.Delete(bBindByUnit, JoinKey(unitID, chatID))
}

// UnitsOfChat lists the units a chat serves, in unit-id order.
func UnitsOfChat(tx Tx, chatID string) ([]string, error) {
	var out []string
	err := scanParts(tx, bBindByChat, func(unit string, _ []byte) error {
		out = append(out, unit)
		return nil
	}, chatID)
	return out, err
}

// ChatsOfUnit lists the chats bound to a unit, in chat-id order.
func ChatsOfUnit(tx Tx, unitID string) ([]string, error) {
	var out []string
	err := scanParts(tx, bBindByUnit, func(chat string, _ []byte) error {
		out = append(out, chat)
		return nil
	}, unitID)
	return out, err
}

// EachBinding calls fn for every binding, ordered by chat.
func EachBinding(tx Tx, fn func(Binding) error) error {
	return tx.Scan(bBindByChat, "", "", func(_ string, v []byte) error {
		var b Binding
		if err := jsonUnmarshal(v, &b); err != nil {
			return err
		}
		return fn(b)
	})
}

// LearnWebhookKey remembers the push key of a chat (from a robot callback's
// WebhookUrl or from configuration). It writes only when the key changed.
func LearnWebhookKey(tx Tx, chatID, key string) error {
	if chatID == "" || key == "" {
		return nil
	}
	if cur, err := tx.Get(bWebhookKey, chatID); err == nil && string(cur) == key {
		return nil
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return tx.Put(bWebhookKey, chatID, []byte(key))
}

// WebhookKey returns the push key of a chat, or ErrNotFound.
func WebhookKey(tx Tx, chatID string) (string, error) {
	b, err := tx.Get(bWebhookKey, chatID)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// GetMeta reads a small named value (store mode, watermarks…).
func GetMeta(tx Tx, name string) (string, error) {
	b, err := tx.Get(bMeta, name)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// PutMeta writes a small named value.
func PutMeta(tx Tx, name, value string) error { return tx.Put(bMeta, name, []byte(value)) }
