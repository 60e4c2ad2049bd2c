package office

import (
	"context"
	"errors"
)

// Tick does the office's shared background work once: it tells the office
// chats of the reminder and 催报 pushes given up (one summary per fire or
// round) and runs the pending 导出 and 图表 jobs. A feature with background
// work of its own has its own Tick (broadcast.Tick: delivery reports), run
// beside this one.
// Call it every few seconds; it is safe on several replicas at once (each
// summary is sent in the unit of work that settles it, under a fixed
// idempotency key, and each job runs under a lease).
func Tick(ctx context.Context, d Options) error {
	if d.Store == nil || d.Config == nil {
		return errors.New("office: tick needs a store and a configuration")
	}
	d = d.withDefaults()
	return errors.Join(reportGivenUp(ctx, d), runJobs(ctx, d))
}
