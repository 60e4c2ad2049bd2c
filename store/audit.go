package store

import (
	"fmt"
	"time"
)

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	Seq     uint64    `json:"seq"`
	At      time.Time `json:"at"` // campaign clock
	Actor   string    `json:"actor"`
	ChatID  string    `json:"chat_id,omitempty"`
	Action  string    `json:"action"`
	Target  string    `json:"target,omitempty"`
	Allowed bool      `json:"allowed"`
	Detail  string    `json:"detail,omitempty"`
}

// AppendAudit adds an entry; entries are never changed or removed. Sequence
// numbers increase but may have gaps (a unit of work that did not commit),
// and are taken with TakeSeq so that concurrent writers of the log do not
// collide on its counter.
func AppendAudit(tx Tx, e AuditEntry) error {
	n, err := tx.TakeSeq(seqAudit)
	if err != nil {
		return err
	}
	e.Seq = n
	return PutJSON(tx, bAudit, fmt.Sprintf("%020d", n), e)
}

// EachAudit calls fn for every entry from sequence number from on, in order.
func EachAudit(tx Tx, from uint64, fn func(AuditEntry) error) error {
	return tx.Scan(bAudit, "", fmt.Sprintf("%020d", from), func(_ string, v []byte) error {
		var e AuditEntry
		if err := jsonUnmarshal(v, &e); err != nil {
			return err
		}
		return fn(e)
	})
}
