package scheduler

import (
	"context"
	"fmt"
	"strings"
	"time"

	"firebot/config"
	"firebot/store"
)

// Row is one reminder of a dry run (`firebot reminders plan`).
type Row struct {
	At       time.Time // when it fires (after quiet hours), in the configured timezone
	Nominal  time.Time // the time the plan names
	Plan     string    // plan id
	Anchor   string    // deadline or event id; "" for none
	Audience string    // "missing", "office", "kind:organisation,community"…
	Units    int       // units it would address given the current records
	Targets  int       // groups and officers it would message now
	Deferred bool      // moved out of quiet hours
	LastDay  bool      // on its deadline's last day (reaches muted groups)
}

// Plan lists what would fire in [from, to), addressed as the store's
// records stand now. Nothing is claimed or sent.
func (s *Scheduler) Plan(ctx context.Context, from, to time.Time) ([]Row, error) {
	return dryRun(ctx, s.st, s.tg, from, to)
}

// DryRun is Plan without a running Scheduler, for the CLI on a stopped
// service.
func DryRun(ctx context.Context, st store.Store, cfg *config.Config, from, to time.Time) ([]Row, error) {
	tt, err := NewTimetable(cfg)
	if err != nil {
		return nil, err
	}
	return dryRun(ctx, st, &targeter{cfg: cfg, tt: tt}, from, to)
}

func dryRun(ctx context.Context, st store.Store, tg *targeter, from, to time.Time) ([]Row, error) {
	var rows []Row
	err := st.View(ctx, func(tx store.Tx) error {
		rows = rows[:0]
		v := tg.view(tx)
		for _, f := range tg.tt.Fires(from, to) {
			p := tg.tt.byID[f.Plan]
			r := Row{At: f.At, Nominal: f.Nominal, Plan: f.Plan, Anchor: p.anchor.id(),
				Audience: audienceText(p.cfg.Audience), Deferred: f.Deferred, LastDay: f.LastDay}
			targets, err := v.targets(p, f)
			if err != nil {
				return err
			}
			units := map[string]bool{}
			for _, t := range targets {
				d, err := v.compose(p, f, t, f.At)
				if err != nil {
					return err
				}
				if d == nil {
					continue
				}
				r.Targets++
				for _, u := range d.units {
					units[u] = true
				}
			}
			r.Units = len(units)
			rows = append(rows, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scheduler: dry run: %w", err)
	}
	return rows, nil
}

// audienceText renders an audience compactly: its type, then its filters.
func audienceText(a config.Audience) string {
	parts := []string{a.Type}
	add := func(name string, vals []string) {
		if len(vals) > 0 {
			parts = append(parts, name+"="+strings.Join(vals, ","))
		}
	}
	kinds := make([]string, 0, len(a.Kinds))
	for _, k := range a.Kinds {
		kinds = append(kinds, string(k))
	}
	cats := make([]string, 0, len(a.Categories))
	for _, c := range a.Categories {
		cats = append(cats, string(c))
	}
	add("kinds", kinds)
	add("categories", cats)
	add("sectors", a.Sectors)
	add("units", a.Units)
	add("tasks", a.Tasks)
	return strings.Join(parts, " ")
}
