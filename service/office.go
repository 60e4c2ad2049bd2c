package service

import (
	"context"
	"errors"
	"slices"
	"time"

	"firebot/bot"
	"firebot/office"
	"firebot/office/broadcast"
)

// officeTickEvery is how often the office tools' background work runs
// unless an office message wakes it: delivery reports of finished
// broadcasts, pushes given up, pending exports and charts.
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

// runOffice calls OfficeTick every Options.OfficeTick (officeTickEvery by
// default), and at once when an office message has committed (kickOffice:
// a 导出 or 图表 asked for in chat does not wait for the tick), until ctx
// ends. Start runs it unless Options.ManualOutbox is set.
func (s *Service) runOffice(ctx context.Context) {
	d := s.opts.OfficeTick
	if d <= 0 {
		d = officeTickEvery
	}
	wake(ctx, d, s.officeKick, func() {
		if err := s.OfficeTick(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("office background work failed", "err", err)
		}
	})
}

// kickOffice wakes the office's background work after m committed, when
// m's sender is office staff (only their commands ask for office jobs);
// kicks while it runs fold into one more run.
func (s *Service) kickOffice(m *bot.Message) {
	if s.officeKick == nil || !slices.Contains(s.Config.Access.OfficeUsers, m.SenderID) {
		return
	}
	select {
	case s.officeKick <- struct{}{}:
	default:
	}
}

// every runs fn every d (real time) until ctx ends.
func every(ctx context.Context, d time.Duration, fn func()) { wake(ctx, d, nil, fn) }

// wake runs fn every d (real time), and whenever kick receives, until ctx
// ends; a kick restarts the wait for the next tick.
func wake(ctx context.Context, d time.Duration, kick <-chan struct{}, fn func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-kick:
			t.Reset(d)
		}
		fn()
	}
}

// officeTick is the office's background work: the shared part
// (office.Tick: given-up pushes, 导出 and 图表 jobs) and each feature's
// own (broadcast.Tick: delivery reports).
func officeTick(ctx context.Context, d office.Options) error {
	return errors.Join(broadcast.Tick(ctx, d), office.Tick(ctx, d))
}
