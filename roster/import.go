package roster

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"firebot/campaign"
	"firebot/store"
)

// Options configure Import.
type Options struct {
	// FileName is the sheet's file name: it helps tell the format and is
	// written to the audit log.
	FileName string
	// DryRun works everything out and writes nothing.
	DryRun bool
	// By is who imports (an office user id, or "cli:<login>"), for the
	// bindings and the audit log.
	By string
	// Now is the campaign clock's time, stamped on bindings and the audit
	// entry.
	Now time.Time
	// Seed is the configured roster. A store that was never seeded (the
	// service has not started on it yet) is seeded with it first, exactly
	// as the service would, so the sheet updates the configured units
	// rather than being overwritten by them later. Nil skips seeding.
	Seed campaign.Roster
}

// Result is what an import did, or with DryRun would do.
type Result struct {
	DryRun    bool
	FileName  string
	Added     []Change // in sheet order
	Updated   []Change // in sheet order
	Unchanged int
	Rows      int // data rows read: Added + Updated + Unchanged
}

// errDryRun rolls back a dry run's unit of work.
var errDryRun = errors.New("roster: dry run")

// Import reads a roster sheet and applies it to the store in one unit of
// work: units added or updated with store.PutUnit (which keeps the officer
// index and remembers webhook keys), the listed chats bound, chats no
// longer listed unbound, and one audit entry. Units absent from the sheet
// are left alone; nothing is ever deleted.
//
// Every row is checked first. If any is wrong, Import writes nothing and
// returns an *InvalidError (errors.Is(err, ErrInvalid)) listing each
// problem with its row number.
func Import(ctx context.Context, st store.Store, data []byte, opts Options) (*Result, error) {
	entries, problems, err := parseSheet(opts.FileName, data)
	if err != nil {
		return nil, err
	}
	var res *Result
	err = st.Update(ctx, func(tx store.Tx) error {
		res = nil
		if opts.Seed != nil {
			if _, err := store.SeedRoster(tx, opts.Seed, "config"); err != nil {
				return err
			}
		}
		cur, err := loadCurrent(tx)
		if err != nil {
			return err
		}
		// makePlan fills in ids on its own copy, so a retried fn starts over.
		p, more, err := makePlan(append([]Entry(nil), entries...), cur, storedKey(tx))
		if err != nil {
			return err
		}
		if all := append(append([]Problem(nil), problems...), more...); len(all) > 0 {
			sort.SliceStable(all, func(i, j int) bool { return all[i].Row < all[j].Row })
			return &InvalidError{Problems: all}
		}
		res = &Result{DryRun: opts.DryRun, FileName: opts.FileName, Unchanged: p.unchanged, Rows: len(entries)}
		for _, ch := range p.changes {
			if ch.New {
				res.Added = append(res.Added, ch)
			} else {
				res.Updated = append(res.Updated, ch)
			}
		}
		if opts.DryRun {
			return errDryRun
		}
		return apply(tx, p, res, opts)
	})
	if errors.Is(err, errDryRun) {
		return res, nil
	}
	if err != nil {
		var inv *InvalidError
		if errors.As(err, &inv) {
			return nil, err
		}
		return nil, fmt.Errorf("roster: import: %w", err)
	}
	return res, nil
}

func apply(tx store.Tx, p *plan, res *Result, opts Options) error {
	for _, ch := range p.changes {
		if err := store.PutUnit(tx, ch.Unit); err != nil {
			return err
		}
		for _, c := range ch.Unbind {
			if err := store.Unbind(tx, c, ch.Unit.ID); err != nil {
				return err
			}
		}
		for _, c := range ch.Bind {
			if err := store.Bind(tx, store.Binding{ChatID: c, UnitID: ch.Unit.ID, By: opts.By, At: opts.Now}); err != nil {
				return err
			}
		}
	}
	return store.AppendAudit(tx, store.AuditEntry{
		At:      opts.Now,
		Actor:   opts.By,
		Action:  AuditAction,
		Target:  opts.FileName,
		Allowed: true,
		Detail:  res.Summary(),
	})
}

// AuditAction is the audit log's action for a roster import.
const AuditAction = "roster_import"
