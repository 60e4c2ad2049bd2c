package handlers

import (
	"errors"
	"fmt"
	"strings"

	"firebot/ledger"
	"firebot/store"
)

// Payload is a record payload a submit writes: one that 退回 can mark and
// a resubmission clears (ledger.Confirmation, ledger.Nomination).
type Payload[T any] interface {
	*T
	Resubmit()
}

// Submission is the record a dialog's submit writes (上报, 推荐): a new one,
// or the one being edited (修改), which is active again and no longer
// returned.
type Submission[T any] struct {
	Rec    *store.Record
	Pay    T
	Action string // for the audit: the submit's own action, or "edit"
}

// OpenSubmission starts the record a submit of kind writes. Editing
// (s.Record set), it loads and decodes that record and clears its return;
// refusal is the user's answer when the record is gone or withdrawn.
// Otherwise it allocates a new record id, reported by sender at now.
func OpenSubmission[T any, P Payload[T]](c *Context, e *Env, s *State, kind store.Kind, action string, decode func(*store.Record) (T, error)) (sub *Submission[T], refusal string, err error) {
	if s.Record != "" {
		old, pay, refusal, err := resubmitted(c, s.Record, decode)
		if refusal != "" || err != nil {
			return nil, refusal, err
		}
		P(&pay).Resubmit()
		return &Submission[T]{Rec: old, Pay: pay, Action: "edit"}, "", nil
	}
	id, err := store.NewRecordID(c.Tx, kind)
	if err != nil {
		return nil, "", err
	}
	rec := &store.Record{
		ID: id, Kind: kind, CampaignID: e.Campaign.ID,
		ReporterID: c.Msg.SenderID, CreatedAt: c.Now,
	}
	return &Submission[T]{Rec: rec, Action: action}, "", nil
}

// Edit reports whether the submission resubmits an existing record.
func (sub *Submission[T]) Edit() bool { return sub.Action == "edit" }

// Save writes the record for unitID with its payload.
func (sub *Submission[T]) Save(c *Context, unitID string) error {
	sub.Rec.UnitID, sub.Rec.UpdatedAt = unitID, c.Now
	if err := ledger.Encode(sub.Rec, sub.Pay); err != nil {
		return err
	}
	return store.PutRecord(c.Tx, sub.Rec)
}

// SavedLine opens the answer to a submit: the new record's id after
// created (上报成功, 推荐成功), or that the edit is saved.
func (sub *Submission[T]) SavedLine(b *strings.Builder, created string) {
	if sub.Edit() {
		fmt.Fprintf(b, "已保存对 %s 的修改。", sub.Rec.ID)
	} else {
		fmt.Fprintf(b, "%s，编号 %s。", created, sub.Rec.ID)
	}
}

// EditHint closes the answer to a submit: how to edit or withdraw it.
func EditHint(b *strings.Builder, id string) {
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
