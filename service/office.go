package service

import (
	"context"
	"errors"
	"time"

	"firebot/office"
	"firebot/office/broadcast"
)

// officeTickEvery is how often the office tools' background work runs:
// delivery reports of finished broadcasts, pending exports and charts.
const officeTickEvery = 5 * time.Second

// officeOptions are the office tools' dependencies. 导出 and 图表 use
// workbook.Build and workbook.Chart by default; 催报 uses scheduler.Chaser (the
// scheduler's targeting and exactly-once claims).
func (s *Service) officeOptions() office.Options {
	return office.Options{Config: s.Config, Store: s.Store, Campaign: s.Campaign, Logger: s.Logger,
		Exporter: s.opts.Exporter, JobLease: s.opts.JobLease}
}

// OfficeTick runs the office tools' background work once (tests and the
// simulator call it in step with their clocks).
func (s *Service) OfficeTick(ctx context.Context) error {
	return officeTick(ctx, s.officeOptions())
}

// runOffice calls OfficeTick every officeTickEvery until ctx ends. Start
// runs it unless Options.ManualOutbox is set.
func (s *Service) runOffice(ctx context.Context) {
	every(ctx, officeTickEvery, func() {
		if err := s.OfficeTick(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("office background work failed", "err", err)
		}
	})
}

// every runs fn every d (real time) until ctx ends.
func every(ctx context.Context, d time.Duration, fn func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}

// officeTick is the office's background work: the shared part
// (office.Tick: given-up pushes, 导出 and 图表 jobs) and each feature's
// own (broadcast.Tick: delivery reports).
func officeTick(ctx context.Context, d office.Options) error {
	return errors.Join(broadcast.Tick(ctx, d), office.Tick(ctx, d))
}
