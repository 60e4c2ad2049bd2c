package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"firebot/store"
)

// A watched source is a job (a reminder's fire, a 催报 round) whose pushes
// someone must hear of when any is given up: Watch marks the source in the
// unit of work that enqueues them, and SettleWatched, called every few
// seconds, hands each watched source whose pushes are all final to a
// reporter once, in the unit of work that forgets it. Broadcasts have
// their own report (broadcast.Tick) and are not watched.
const bWatch = "ob_watch"

type watch struct {
	Label string `json:"label"`
	// CheckAt is the real time before which none of the source's pending
	// pushes can become final (the earliest retry): not looked at before.
	CheckAt time.Time `json:"check_at,omitzero"`
}

// Watch marks source as a job to settle; label names it for people
// ("提醒“…”（11月24日 09:00）"). Marking a source twice keeps the first label.
func Watch(tx store.Tx, source, label string) error {
	if _, err := tx.Get(bWatch, source); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return store.PutJSON(tx, bWatch, source, watch{Label: label})
}

// Settled is a watched job whose pushes are all final.
type Settled struct {
	Source, Label string
	Total         int                  // its pushes
	Failed        []*store.OutboxEntry // those not delivered, in enqueue order
}

// SettleWatched looks at every watched source that may have changed and,
// for each whose pushes are all final, calls report in a unit of work and
// forgets the source in it; report enqueues what it has to say (or nothing)
// in that tx. Sources are looked at in a read-only view first: nothing is
// written for a source still pending, except its next check time when that
// moves. Safe on several replicas at once.
func SettleWatched(ctx context.Context, st store.Store, report func(tx store.Tx, s Settled) error) error {
	var act []string
	err := st.View(ctx, func(tx store.Tx) error {
		now := tx.Now()
		var due []string
		err := tx.Scan(bWatch, "", "", func(source string, v []byte) error {
			var w watch
			if json.Unmarshal(v, &w) != nil || !w.CheckAt.After(now) {
				due = append(due, source)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, source := range due {
			if _, write, err := inspect(tx, source); err != nil {
				return err
			} else if write {
				act = append(act, source)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("outbox: look at watched sources: %w", err)
	}
	var errs []error
	for _, source := range act {
		err := st.Update(ctx, func(tx store.Tx) error {
			upd, write, err := inspect(tx, source)
			if err != nil || !write {
				return err
			}
			if upd.settled != nil {
				if err := report(tx, *upd.settled); err != nil {
					return err
				}
				return tx.Delete(bWatch, source)
			}
			return store.PutJSON(tx, bWatch, source, upd.w)
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("outbox: settle %s: %w", source, err))
		}
	}
	return errors.Join(errs...)
}

type inspection struct {
	w       watch    // with its new CheckAt
	settled *Settled // all final
}

// inspect reads a watched source: settled, to be looked at again later
// (write: its CheckAt moved), or pending with a push that may end any
// moment (nothing to write).
func inspect(tx store.Tx, source string) (inspection, bool, error) {
	var in inspection
	if err := store.GetJSON(tx, bWatch, source, &in.w); errors.Is(err, store.ErrNotFound) {
		return in, false, nil // settled by another replica
	} else if err != nil {
		return in, false, err
	}
	entries, err := store.OutboxBySource(tx, source)
	if err != nil {
		return in, false, err
	}
	now := tx.Now()
	s := Settled{Source: source, Label: in.w.Label, Total: len(entries)}
	var checkAt time.Time
	for _, e := range entries {
		switch {
		case e.Status == store.OutboxFailed:
			s.Failed = append(s.Failed, e)
		case e.Status != store.OutboxPending:
		case e.InFlight() || !e.NextAt.After(now):
			return in, false, nil // may end any moment: look again next time
		case checkAt.IsZero() || e.NextAt.Before(checkAt):
			checkAt = e.NextAt
		}
	}
	if !checkAt.IsZero() {
		if checkAt.Equal(in.w.CheckAt) {
			return in, false, nil
		}
		in.w.CheckAt = checkAt
		return in, true, nil
	}
	in.settled = &s
	return in, true, nil
}
