package service

import (
	"context"
	"time"
)

// RunSchedulerUntil fires, in order, every reminder due up to t on the
// campaign clock (the simulator's clock jumps and the tests' steps), and
// wakes the outbox worker for what it enqueued.
func (s *Service) RunSchedulerUntil(ctx context.Context, t time.Time) error {
	if err := s.Scheduler.RunUntil(ctx, t); err != nil {
		return err
	}
	s.Outbox.Kick()
	return nil
}
