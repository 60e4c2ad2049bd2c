package handlers

import (
	"errors"
	"fmt"
	"strings"

	"firebot/ledger"
	"firebot/store"
)

// payload is a record payload a submit writes: one that 退回 can mark and
// a resubmission clears (ledger.Confirmation, ledger.Nomination).
type payload[T any] interface {
	*T
	Resubmit()
}

// submission is the record a dialog's submit writes: a new one, or the one
// being edited (修改), which is active again and no longer returned.
type submission[T any] struct {
	rec    *store.Record
	pay    T
	action string // for the audit: the submit's own action, or "edit"
}

// openSubmission starts the record a submit of kind writes. Editing
// (s.Record set), it loads and decodes that record and clears its return;
// refusal is the user's answer when the record is gone or withdrawn.
// Otherwise it allocates a new record id, reported by sender at now.
func openSubmission[T any, P payload[T]](c *Context, e *Env, s *State, kind store.Kind, action string, decode func(*store.Record) (T, error)) (sub *submission[T], refusal string, err error) {
	if s.Record != "" {
		old, pay, refusal, err := resubmitted(c, s.Record, decode)
		if refusal != "" || err != nil {
			return nil, refusal, err
		}
		P(&pay).Resubmit()
		return &submission[T]{rec: old, pay: pay, action: "edit"}, "", nil
	}
	id, err := store.NewRecordID(c.Tx, kind)
	if err != nil {
		return nil, "", err
	}
	rec := &store.Record{
		ID: id, Kind: kind, CampaignID: e.Campaign.ID,
		ReporterID: c.Msg.SenderID, CreatedAt: c.Now,
	}
	return &submission[T]{rec: rec, action: action}, "", nil
}

// edit reports whether the submission resubmits an existing record.
func (sub *submission[T]) edit() bool { return sub.action == "edit" }

// save writes the record for unitID with its payload.
func (sub *submission[T]) save(c *Context, unitID string) error {
	sub.rec.UnitID, sub.rec.UpdatedAt = unitID, c.Now
	if err := ledger.Encode(sub.rec, sub.pay); err != nil {
		return err
	}
	return store.PutRecord(c.Tx, sub.rec)
}

// savedLine opens the answer to a submit: the new record's id after
// created (上报成功, 推荐成功), or that the edit is saved.
func (sub *submission[T]) savedLine(b *strings.Builder, created string) {
	if sub.edit() {
		fmt.Fprintf(b, "已保存对 %s 的修改。", sub.rec.ID)
	} else {
		fmt.Fprintf(b, "%s，编号 %s。", created, sub.rec.ID)
	}
}

// editHint closes the answer to a submit: how to edit or withdraw it.
func editHint(b *strings.Builder, id string) {
	fmt.Fprintf(b, "\n\n需要修改请发送“修改 %s”，撤回请发送“撤回 %s”。", id, id)
}

// resubmitted loads the record an edit resubmits and decodes its payload. It
// returns a refusal for the user when the record is gone or withdrawn;
// otherwise the record is active again (a returned record is resubmitted).
func resubmitted[T any](c *Context, id string, decode func(*store.Record) (T, error)) (*store.Record, T, string, error) {
	var zero T
	old, err := store.GetRecord(c.Tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, zero, "没有找到 " + id + "，修改没有保存。", nil
	}
	if err != nil {
		return nil, zero, "", err
	}
	if old.Status == store.StatusWithdrawn {
		return nil, zero, old.ID + " 已经撤回，修改没有保存。", nil
	}
	pay, err := decode(old)
	if err != nil {
		return nil, zero, "", err
	}
	old.Status = store.StatusActive
	return old, pay, "", nil
}
