package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"firebot/clock"
	"firebot/config"
	"firebot/logs"
	"firebot/outbox"
	"firebot/store"
	"firebot/zhfmt"
)

// bClaims holds one durable entry per (campaign, plan, fire, target) sent.
const bClaims = "sched_claim"

// targetsPerUpdate bounds the targets one unit of work claims and enqueues:
// few commits for a campaign's few dozen groups, bounded transactions for
// larger rosters.
const targetsPerUpdate = 16

// keyTime is how fire times appear in claims, outbox keys and sources.
const keyTime = "2006-01-02T15:04Z07:00"

// Options configure a Scheduler.
type Options struct {
	Config *config.Config
	Store  store.Store
	// Campaign is the campaign clock the plans run on. When it has a
	// Speed() float64 method (clock.Scaled), Run divides its sleeps by it.
	Campaign clock.Clock
	Logger   *slog.Logger
	// Wait sleeps d of real time, returning early with ctx's error when ctx
	// ends. nil uses a real timer; tests inject one that steps a fake clock.
	Wait func(ctx context.Context, d time.Duration) error
	// Recheck is the longest real time Run sleeps before looking at the
	// clock again (a rehearsal clock may be jumped). Default 30 s.
	Recheck time.Duration
}

// Scheduler sends the configured reminders on the campaign clock.
type Scheduler struct {
	cfg      *config.Config
	st       store.Store
	campaign clock.Clock
	log      *slog.Logger
	tt       *Timetable
	tg       *targeter
	wait     func(context.Context, time.Duration) error
	recheck  time.Duration
	jobs     map[string]*planJob
	// fire sends one fire; dispatch, replaced in tests to inject failures.
	fire func(ctx context.Context, p *plan, f Fire, now time.Time) error

	mu      sync.Mutex // serialises RunUntil (Run's loop and a simulator's jumps)
	started bool
	cursor  time.Time // every fire with At <= cursor has been dealt with in this session
	held    []Fire    // late fires waiting for quiet hours to end
	saved   time.Time // the watermark last written by this Scheduler
}

// New builds a Scheduler. It fails with ErrBadPlan when a plan cannot be
// scheduled (config check reports those through Check).
func New(opts Options) (*Scheduler, error) {
	if opts.Config == nil || opts.Store == nil || opts.Campaign == nil {
		return nil, errors.New("scheduler: config, store and campaign clock are required")
	}
	tt, err := NewTimetable(opts.Config)
	if err != nil {
		return nil, err
	}
	log := logs.For(opts.Logger, "scheduler")
	s := &Scheduler{
		cfg: opts.Config, st: opts.Store, campaign: opts.Campaign, log: log,
		tt: tt, tg: &targeter{cfg: opts.Config, tt: tt},
		wait: opts.Wait, recheck: opts.Recheck, jobs: map[string]*planJob{},
	}
	s.fire = s.dispatch
	if s.wait == nil {
		s.wait = realWait
	}
	if s.recheck <= 0 {
		s.recheck = 30 * time.Second
	}
	// One wrapped job per plan: Recover turns a panic into a log line, and
	// SkipIfStillRunning keeps a plan from overlapping itself. Skip is the
	// outer wrapper so a recovered panic still releases its slot.
	cl := cronLogger{log}
	chain := cron.NewChain(cron.SkipIfStillRunning(cl), cron.Recover(cl))
	for _, p := range tt.plans {
		j := &planJob{s: s, p: p}
		j.wrapped = chain.Then(j)
		s.jobs[p.cfg.ID] = j
	}
	return s, nil
}

// Timetable returns the compiled plans.
func (s *Scheduler) Timetable() *Timetable { return s.tt }

// RunUntil fires, in order, everything due up to and including t. The first
// call of a Scheduler resumes from the store's watermark: after downtime,
// fires missed within reminders.grace go out marked 补发 and older ones are
// skipped; a first start sends nothing from before it started. Later calls
// fire everything on the way, however far t jumps (a rehearsal's :time is
// not downtime).
func (s *Scheduler) RunUntil(ctx context.Context, t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		if err := s.resume(ctx); err != nil {
			return err
		}
		s.started = true
	}
	t = t.In(s.tt.loc)
	if !t.After(s.cursor) {
		return nil
	}
	fires := s.tt.Fires(s.cursor.Add(time.Nanosecond), t.Add(time.Nanosecond))
	var keep []Fire
	for _, h := range s.held {
		if h.At.After(t) {
			keep = append(keep, h)
		} else {
			fires = append(fires, h)
		}
	}
	sortFires(fires)
	s.held = keep
	for i, f := range fires {
		if err := s.runFire(ctx, f, f.At); err != nil {
			// Try again from this instant next time: planned fires are found
			// again by the timetable, held late ones are kept. Fires already
			// sent at this instant are claimed and will not repeat.
			for _, g := range fires[i:] {
				if g.Late {
					s.held = append(s.held, g)
				}
			}
			s.cursor = maxTime(s.cursor, f.At.Add(-time.Nanosecond))
			_ = s.saveWatermark(ctx)
			return err
		}
	}
	s.cursor = t
	return s.saveWatermark(ctx)
}

// resume reads the watermark and deals with what was missed while down.
func (s *Scheduler) resume(ctx context.Context) error {
	now := s.campaign.Now().In(s.tt.loc)
	s.held = nil
	w, ok, err := s.watermark(ctx)
	if err != nil {
		return err
	}
	switch {
	case !ok:
		s.log.Info("reminder scheduler started for the first time: reminders due before now are not sent", "now", now)
		s.cursor = now.Add(-time.Nanosecond)
		return s.saveWatermark(ctx)
	case w.After(now):
		s.log.Warn("watermark is later than the campaign time: earlier reminders are not sent", "watermark", w, "now", now)
		s.cursor = w
		return nil
	}
	s.cursor = w
	grace := s.cfg.Reminders.Grace
	for _, f := range s.tt.Fires(w.Add(time.Nanosecond), now) {
		p := s.tt.byID[f.Plan]
		sendAt := now
		if at, ok := s.tt.deferred(p, now); ok {
			sendAt = at
		}
		late := sendAt.Sub(f.At)
		if a := p.anchor.time(); !a.IsZero() && !sendAt.Before(a) {
			s.log.Warn("missed reminder: its deadline or the campaign is over; not sent late", "plan", f.Plan, "fire", f.At, "now", now)
			continue
		}
		if late > grace {
			s.log.Warn("missed reminder: later than the grace period; skipped", "plan", f.Plan, "fire", f.At, "late", late, "grace", grace)
			continue
		}
		f.Late, f.orig = true, f.At
		if sendAt.After(now) {
			f.At = sendAt
			s.held = append(s.held, f)
			s.log.Info("missed reminder: sent late when the quiet hours end", "plan", f.Plan, "fire", f.orig, "send_at", sendAt)
			continue
		}
		if err := s.runFire(ctx, f, now); err != nil {
			return err
		}
	}
	s.cursor = now.Add(-time.Nanosecond)
	return s.saveWatermark(ctx)
}

// planJob is a plan as a cron.Job, wrapped once by the chain. runFire sets
// the fire to run before calling the wrapped job; started and finished tell
// a skip (overlap) and a recovered panic apart from a normal return.
type planJob struct {
	s       *Scheduler
	p       *plan
	wrapped cron.Job

	ctx      context.Context
	fire     Fire
	now      time.Time
	started  bool
	finished bool
	err      error
}

func (j *planJob) Run() {
	j.started = true
	j.err = j.s.fire(j.ctx, j.p, j.fire, j.now)
	j.finished = true
}

// runFire runs one fire through its plan's job chain. A panic is logged and
// the fire skipped (retrying would panic again); a store error is returned
// so the fire is tried again.
func (s *Scheduler) runFire(ctx context.Context, f Fire, now time.Time) error {
	j := s.jobs[f.Plan]
	j.ctx, j.fire, j.now = ctx, f, now
	j.started, j.finished, j.err = false, false, nil
	j.wrapped.Run()
	switch {
	case !j.started:
		return fmt.Errorf("scheduler: plan %s still running", f.Plan)
	case !j.finished:
		s.log.Error("reminder failed; skipped", "plan", f.Plan, "fire", f.Nominal)
		return nil
	}
	return j.err
}

// dispatch sends one fire: the targets are listed in a read-only view, then
// each target is claimed, its message composed from the records as they are
// in that unit of work, and its outbox entry enqueued in the same unit of
// work as the claim (a few targets per unit of work).
func (s *Scheduler) dispatch(ctx context.Context, p *plan, f Fire, now time.Time) error {
	var targets []string
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		targets, err = s.tg.view(tx).targets(p, f)
		return err
	})
	if err != nil {
		return fmt.Errorf("scheduler: target %s at %s: %w", f.Plan, f.Nominal.Format(keyTime), err)
	}
	sent := 0
	for len(targets) > 0 {
		batch := targets[:min(len(targets), targetsPerUpdate)]
		targets = targets[len(batch):]
		n := 0
		err := s.st.Update(ctx, func(tx store.Tx) error {
			n = 0
			for _, target := range batch {
				ok, err := s.send(tx, p, f, target, now)
				if err != nil {
					return fmt.Errorf("%s: %w", target, err)
				}
				if ok {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("scheduler: send %s at %s to %w", f.Plan, f.Nominal.Format(keyTime), err)
		}
		sent += n
	}
	s.log.Info("reminder", "plan", f.Plan, "fire", f.Nominal.Format(keyTime), "at", f.At.Format(keyTime),
		"late", f.Late, "deferred", f.Deferred, "sent", sent)
	return nil
}

// send claims (plan, fire, target) and enqueues its push, in tx. It reports
// whether it enqueued; false when already claimed or nothing to say.
func (s *Scheduler) send(tx store.Tx, p *plan, f Fire, target string, now time.Time) (bool, error) {
	claim := claimKey(s.cfg.Campaign.ID, f, target)
	if _, err := tx.Get(bClaims, claim); err == nil {
		return false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	d, err := s.tg.view(tx).compose(p, f, target, now.In(s.tt.loc))
	if err != nil || d == nil {
		return false, err
	}
	title := p.cfg.Title
	if title == "" {
		title = p.cfg.ID
	}
	label := fmt.Sprintf("提醒“%s”（%s）", title, zhfmt.Moment(f.Nominal.In(s.tt.loc)))
	return enqueue(tx, claim, OutboxKey(f, target), Source(f), label, d, now)
}

func claimKey(campaignID string, f Fire, target string) string {
	return campaignID + "|" + f.Plan + "|" + f.Nominal.Format(keyTime) + "|" + target
}

// Source is the outbox source of every push of a fire:
// "reminder:<plan>:<nominal time>", e.g.
// "reminder:report_chase:2023-11-24T09:00+08:00".
func Source(f Fire) string { return outbox.Key("reminder", f.Plan, f.Nominal.Format(keyTime)) }

// OutboxKey is the idempotency key of a fire's push to one target
// ("chat:<id>", "office:<id>", "user:<id>" or "unit:<id>").
func OutboxKey(f Fire, target string) string { return outbox.Key(Source(f), target) }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
