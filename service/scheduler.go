package service

import (
	"context"
	"time"
)

// RunSchedulerUntil fires, in order, every reminder due up to t on the
// campaign clock (the simulator's clock jumps and the tests' steps).
func (s *Service) RunSchedulerUntil(ctx context.Context, t time.Time) error {
	return nil
}
