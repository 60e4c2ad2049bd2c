package scheduler

import (
	"context"
	"time"
)

// errorBackoff is how long Run waits (real time) after a failed pass, e.g.
// while the store is unreachable.
const errorBackoff = 5 * time.Second

// minSleep keeps a fast rehearsal clock from spinning the loop.
const minSleep = 10 * time.Millisecond

// Run is the production loop: it fires everything due on the campaign clock,
// sleeps until the next fire (campaign time divided by the clock's speed,
// at most Options.Recheck of real time, so a jumped rehearsal clock is seen
// soon), and returns nil when ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	for {
		now := s.campaign.Now()
		d := s.recheck
		if err := s.RunUntil(ctx, now); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.log.Error("reminder scheduling failed; retrying later", "err", err)
			d = errorBackoff
		} else if next, ok := s.Next(); ok {
			d = min(d, s.realDuration(next.Sub(now)))
		}
		if err := s.wait(ctx, max(d, minSleep)); err != nil || ctx.Err() != nil {
			return nil
		}
	}
}

// Next returns when the next fire is due after everything run so far.
func (s *Scheduler) Next() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextLocked()
}

func (s *Scheduler) nextLocked() (time.Time, bool) {
	var best time.Time
	if f, ok := s.tt.Next(s.cursor); ok {
		best = f.At
	}
	for _, h := range s.held {
		if best.IsZero() || h.At.Before(best) {
			best = h.At
		}
	}
	return best, !best.IsZero()
}

// realDuration converts a campaign-clock duration into real time for a
// clock that runs faster than real time (clock.Scaled).
func (s *Scheduler) realDuration(d time.Duration) time.Duration {
	if sp, ok := s.campaign.(interface{ Speed() float64 }); ok && sp.Speed() > 0 {
		return time.Duration(float64(d) / sp.Speed())
	}
	return d
}

// realWait sleeps d on a real timer, or until ctx ends.
func realWait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
