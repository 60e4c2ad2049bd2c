package store

import (
	"encoding/json"
	"errors"
	"time"
)

// Lease is an exclusive, expiring claim on a name, kept apart from what it
// guards. Expiry is on the backend's real clock (Tx.Now). Its user is the
// office's 导出 and 图表 jobs (office_job/<id>), where a lease only spares a
// second replica the same work: what goes out is guarded by idempotency
// keys. The scheduler takes no leader lease on purpose (per-fire claims,
// see scheduler's doc), and an outbox entry carries its own claim
// (ClaimOutbox: ClaimToken and NextAt, so the due index finds an expired
// claim).
type Lease struct {
	Holder    string    `json:"holder"`
	ExpiresAt time.Time `json:"expires_at"`
}

// AcquireLease takes or renews the lease name for holder for ttl. It returns
// ErrLeaseHeld when another holder's lease has not expired.
func AcquireLease(tx Tx, name, holder string, ttl time.Duration) (*Lease, error) {
	var cur Lease
	b, err := tx.Get(bLeases, name)
	switch {
	case err == nil:
		if json.Unmarshal(b, &cur) == nil && cur.Holder != holder && tx.Now().Before(cur.ExpiresAt) {
			return &cur, ErrLeaseHeld
		}
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	l := Lease{Holder: holder, ExpiresAt: tx.Now().Add(ttl)}
	v, _ := json.Marshal(l)
	if err := tx.PutTTL(bLeases, name, v, ttl); err != nil {
		return nil, err
	}
	return &l, nil
}

// ReleaseLease gives the lease up if holder still owns it.
func ReleaseLease(tx Tx, name, holder string) error {
	var cur Lease
	if err := GetJSON(tx, bLeases, name, &cur); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}
	if cur.Holder != holder {
		return nil
	}
	return tx.Delete(bLeases, name)
}
