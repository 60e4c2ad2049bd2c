package archive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"firebot/campaign"
	"firebot/config"
	"firebot/store"
)

// Errors. They are for callers to match; the chat and the command line
// say them in Chinese.
var (
	// ErrArchived: the campaign is archived and its records are read-only.
	ErrArchived = errors.New("archive: campaign archived, records are read-only")
	// ErrNotExported: archiving needs an export of the campaign first.
	ErrNotExported = errors.New("archive: campaign never exported")
	// ErrAlreadyArchived: the campaign was archived before.
	ErrAlreadyArchived = errors.New("archive: campaign already archived")
	// ErrStillRunning: the campaign's last deadline has not passed yet.
	ErrStillRunning = errors.New("archive: campaign still running")
)

// Refusal is why Archive did not archive: Reason is ErrNotExported,
// ErrAlreadyArchived or ErrStillRunning, At the time it refers to (when
// the campaign was archived, or its last deadline; zero for
// ErrNotExported).
type Refusal struct {
	Reason   error
	Campaign string
	At       time.Time
}

func (r *Refusal) Error() string {
	if r.At.IsZero() {
		return fmt.Sprintf("%v: %s", r.Reason, r.Campaign)
	}
	return fmt.Sprintf("%v: %s (%s)", r.Reason, r.Campaign, r.At.Format(time.RFC3339))
}

func (r *Refusal) Unwrap() error { return r.Reason }

// Meta names (store.GetMeta) kept per campaign.
const (
	metaArchived = "archived:" // + campaign id → RFC 3339 time (campaign clock)
	metaExported = "exported:" // + campaign id → RFC 3339 time (campaign clock)
)

// IsArchived reports whether a campaign is archived. The chat layer checks
// it (CheckWritable) before any change to a record.
func IsArchived(tx store.Tx, campaignID string) (bool, error) {
	_, err := store.GetMeta(tx, metaArchived+campaignID)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	}
	return false, fmt.Errorf("archive: read state of %s: %w", campaignID, err)
}

// CheckWritable returns ErrArchived when the campaign is archived.
func CheckWritable(tx store.Tx, campaignID string) error {
	archived, err := IsArchived(tx, campaignID)
	if err != nil {
		return err
	}
	if archived {
		return ErrArchived
	}
	return nil
}

// MarkExported records that the campaign's report was exported at (campaign
// clock). The export operation calls it in the unit of work that finishes
// an export; Archive requires it unless forced.
func MarkExported(tx store.Tx, campaignID string, at time.Time) error {
	return store.PutMeta(tx, metaExported+campaignID, at.Format(time.RFC3339))
}

// ExportedAt returns when the campaign was last exported (zero if never).
func ExportedAt(tx store.Tx, campaignID string) (time.Time, error) {
	return metaTime(tx, metaExported+campaignID)
}

// ArchivedAt returns when the campaign was archived (zero if it is not).
func ArchivedAt(tx store.Tx, campaignID string) (time.Time, error) {
	return metaTime(tx, metaArchived+campaignID)
}

func metaTime(tx store.Tx, name string) (time.Time, error) {
	v, err := store.GetMeta(tx, name)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("archive: meta %s holds %q", name, v)
	}
	return t, nil
}

// Options configure Archive.
type Options struct {
	// Now is the campaign clock's time.
	Now time.Time
	// Force archives without a recorded export and before the last
	// deadline.
	Force bool
}

// Summary is what Archive did.
type Summary struct {
	CampaignID   string
	Name         string
	ArchivedAt   time.Time
	LastDeadline time.Time
	RedactFrom   time.Time // when nominees' personal data becomes due for deletion
	Exported     time.Time // zero when forced without export
	Counts       map[store.Kind]int
}

// Archive closes the configured campaign: it records it as archived (its
// records become read-only, see IsArchived), remembers its last deadline
// for retention, and writes an audit entry, all in one unit of work. It
// refuses (ErrNotExported, ErrStillRunning) unless the campaign was
// exported and its last deadline has passed, or opts.Force is set.
//
// A new campaign.id in the configuration then starts clean on the same
// store: progress and reminders read only the configured campaign's
// records, while the roster and the bindings carry over.
func Archive(ctx context.Context, st store.Store, cfg *config.Config, by string, opts Options) (*Summary, error) {
	c := &cfg.Campaign
	if c.ID == "" {
		return nil, fmt.Errorf("archive: configuration has no campaign.id")
	}
	last := LastDeadline(c)
	var sum *Summary
	err := st.Update(ctx, func(tx store.Tx) error {
		sum = nil
		if at, err := ArchivedAt(tx, c.ID); err != nil {
			return err
		} else if !at.IsZero() {
			return &Refusal{Reason: ErrAlreadyArchived, Campaign: c.ID, At: at}
		}
		exported, err := ExportedAt(tx, c.ID)
		if err != nil {
			return err
		}
		if !opts.Force {
			if exported.IsZero() {
				return &Refusal{Reason: ErrNotExported, Campaign: c.ID}
			}
			if !last.IsZero() && opts.Now.Before(last) {
				return &Refusal{Reason: ErrStillRunning, Campaign: c.ID, At: last}
			}
		}
		counts := map[store.Kind]int{}
		for _, k := range []store.Kind{store.KindConfirmation, store.KindNomination, store.KindBroadcast} {
			if err := store.EachRecord(tx, c.ID, k, time.Time{}, time.Time{}, func(*store.Record) error {
				counts[k]++
				return nil
			}); err != nil {
				return err
			}
		}
		if err := putCampaign(tx, known{ID: c.ID, Name: c.Name, LastDeadline: last}); err != nil {
			return err
		}
		if err := store.PutMeta(tx, metaArchived+c.ID, opts.Now.Format(time.RFC3339)); err != nil {
			return err
		}
		sum = &Summary{CampaignID: c.ID, Name: c.Name, ArchivedAt: opts.Now, LastDeadline: last,
			Exported: exported, Counts: counts}
		if !last.IsZero() {
			sum.RedactFrom = last.Add(retention(cfg))
		}
		detail := fmt.Sprintf("上报 %d 条、推荐 %d 条、广播 %d 条", counts[store.KindConfirmation], counts[store.KindNomination], counts[store.KindBroadcast])
		if opts.Force {
			detail += "（-force）"
		}
		return store.AppendAudit(tx, store.AuditEntry{
			At: opts.Now, Actor: by, Action: AuditArchive, Target: c.ID, Allowed: true, Detail: detail,
		})
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// Audit actions.
const (
	AuditArchive = "archive"
	AuditRedact  = "retention_redact"
)

// LastDeadline is the latest deadline of the campaign, or the end of its
// period when it has no deadline; zero when it has neither.
func LastDeadline(c *campaign.Campaign) time.Time {
	var last time.Time
	for _, d := range c.Deadlines {
		if d.Time.After(last) {
			last = d.Time
		}
	}
	if last.IsZero() {
		last = c.Period.End
	}
	return last
}

func retention(cfg *config.Config) time.Duration {
	if cfg.Privacy.Retention > 0 {
		return cfg.Privacy.Retention
	}
	return config.DefaultRetention
}
