package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"firebot/store"
)

// metaWatermark (+ campaign id) is the store meta entry recording how far
// the scheduler has run: every fire due at or before it has been dealt with.
const metaWatermark = "scheduler.watermark."

// Watermark is how far the scheduler of a campaign has run on the
// campaign clock (ok false when it never ran): on a stopped rehearsal
// store, the last campaign time it recorded.
func Watermark(tx store.Tx, campaignID string) (t time.Time, ok bool, err error) {
	v, err := store.GetMeta(tx, metaWatermark+campaignID)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	t, err = time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("scheduler: read watermark %q: %w", v, err)
	}
	return t, true, nil
}

// watermark reads how far the scheduler has run.
func (s *Scheduler) watermark(ctx context.Context) (time.Time, bool, error) {
	var v string
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		v, err = store.GetMeta(tx, metaWatermark+s.cfg.Campaign.ID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("scheduler: read watermark: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("scheduler: read watermark %q: %w", v, err)
	}
	return t.In(s.tt.loc), true, nil
}

// saveWatermark records the cursor, held back before any late fire still
// waiting, and never moves the stored value backwards.
func (s *Scheduler) saveWatermark(ctx context.Context) error {
	w := s.cursor
	for _, h := range s.held {
		if h.orig.Add(-time.Nanosecond).Before(w) {
			w = h.orig.Add(-time.Nanosecond)
		}
	}
	if w.Equal(s.saved) {
		return nil
	}
	name := metaWatermark + s.cfg.Campaign.ID
	err := s.st.Update(ctx, func(tx store.Tx) error {
		if cur, err := store.GetMeta(tx, name); err == nil {
			if t, err := time.Parse(time.RFC3339Nano, cur); err == nil && !t.Before(w) {
				return nil
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return store.PutMeta(tx, name, w.Format(time.RFC3339Nano))
	})
	if err != nil {
		return fmt.Errorf("scheduler: save watermark: %w", err)
	}
	s.saved = w
	return nil
}
