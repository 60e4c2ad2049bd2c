package outbox

import (
	"encoding/json"
	"errors"
	"time"

	"firebot/store"
)

// sendWindow is the send times of one budget within its window, kept in the
// store (expiring) so every replica counts against the same budget.
type sendWindow struct {
	Sends []time.Time `json:"s"`
}

func loadWindow(tx store.Tx, key string, now time.Time, window time.Duration) (*sendWindow, error) {
	var sw sendWindow
	b, err := tx.Get(bRate, key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &sw, nil
	case err != nil:
		return nil, err
	}
	if err := json.Unmarshal(b, &sw); err != nil {
		return &sendWindow{}, nil // a damaged window only loses history
	}
	kept := sw.Sends[:0]
	for _, t := range sw.Sends {
		if now.Sub(t) < window {
			kept = append(kept, t)
		}
	}
	sw.Sends = kept
	return &sw, nil
}

// wait is how long until one more send fits: zero when it fits now.
func (sw *sendWindow) wait(now time.Time, limit int, window time.Duration) time.Duration {
	if len(sw.Sends) < limit {
		return 0
	}
	oldest := sw.Sends[len(sw.Sends)-limit]
	return max(oldest.Add(window).Sub(now), time.Millisecond)
}

func (sw *sendWindow) save(tx store.Tx, key string, window time.Duration) error {
	b, err := json.Marshal(sw)
	if err != nil {
		return err
	}
	return tx.PutTTL(bRate, key, b, window)
}
