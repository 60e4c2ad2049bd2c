package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"firebot/campaign"
	"firebot/config"
	"firebot/ledger"
	"firebot/store"
)

// bCampaigns remembers every campaign the store has served (id → known),
// so retention still finds a campaign after the configuration has moved on
// to the next one.
const bCampaigns = "archive_campaign"

// known is a campaign as remembered for retention.
type known struct {
	ID           string    `json:"id"`
	Name         string    `json:"name,omitempty"`
	LastDeadline time.Time `json:"last_deadline"`
	// RedactedAt is when Redact last removed personal data of this
	// campaign (campaign clock): stored exports written before then still
	// hold it (see PruneExports).
	RedactedAt time.Time `json:"redacted_at,omitzero"`
}

func putCampaign(tx store.Tx, k known) error { return store.PutJSON(tx, bCampaigns, k.ID, k) }

func getCampaign(tx store.Tx, id string) (known, error) {
	var k known
	err := store.GetJSON(tx, bCampaigns, id, &k)
	return k, err
}

func eachCampaign(tx store.Tx, fn func(known) error) error {
	return tx.Scan(bCampaigns, "", "", func(_ string, v []byte) error {
		var k known
		if err := json.Unmarshal(v, &k); err != nil {
			return fmt.Errorf("archive: decode campaign entry: %w", err)
		}
		return fn(k)
	})
}

// remember registers the configured campaign and its current last deadline,
// unless it is archived (then its entry is frozen). It reports whether it
// needs to write, and writes only when tx is writable and write is set.
func remember(tx store.Tx, c *campaign.Campaign, write bool) (bool, error) {
	if c.ID == "" {
		return false, nil
	}
	archived, err := IsArchived(tx, c.ID)
	if err != nil || archived {
		return false, err
	}
	want := known{ID: c.ID, Name: c.Name, LastDeadline: LastDeadline(c)}
	cur, err := getCampaign(tx, c.ID)
	switch {
	case err == nil && cur.Name == want.Name && cur.LastDeadline.Equal(want.LastDeadline):
		return false, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return false, err
	}
	if !write {
		return true, nil
	}
	return true, putCampaign(tx, want)
}

// Redaction is what Redact did to one campaign.
type Redaction struct {
	CampaignID string
	Records    int // nominations whose personal data was removed
}

// Redact deletes nominees' personal data — phone and deeds — from every
// nomination of every campaign whose last deadline lies more than
// privacy.retention (default 180 days) before now (campaign clock).
// Archived campaigns are included: this is the one change an archive
// allows. The rest of each record stays; the payload is marked Redacted.
// One audit entry is written per campaign changed. Running it again
// changes nothing more. The service runs it daily, and "firebot archive"
// runs it too.
func Redact(ctx context.Context, st store.Store, cfg *config.Config, now time.Time) ([]Redaction, error) {
	var need bool
	if err := st.View(ctx, func(tx store.Tx) (err error) {
		need, err = remember(tx, &cfg.Campaign, false)
		return err
	}); err != nil {
		return nil, fmt.Errorf("archive: redact: %w", err)
	}
	if need {
		if err := st.Update(ctx, func(tx store.Tx) error {
			_, err := remember(tx, &cfg.Campaign, true)
			return err
		}); err != nil {
			return nil, fmt.Errorf("archive: redact: %w", err)
		}
	}
	var due []known
	keep := retention(cfg)
	if err := st.View(ctx, func(tx store.Tx) error {
		due = nil
		return eachCampaign(tx, func(k known) error {
			if !k.LastDeadline.IsZero() && !now.Before(k.LastDeadline.Add(keep)) {
				due = append(due, k)
			}
			return nil
		})
	}); err != nil {
		return nil, fmt.Errorf("archive: redact: %w", err)
	}
	var out []Redaction
	for _, k := range due {
		n, err := redactCampaign(ctx, st, k, keep, now)
		if err != nil {
			return out, fmt.Errorf("archive: redact %s: %w", k.ID, err)
		}
		if n > 0 {
			out = append(out, Redaction{CampaignID: k.ID, Records: n})
		}
	}
	return out, nil
}

// redactCampaign redacts one campaign's nominations in one unit of work
// and returns how many it changed.
func redactCampaign(ctx context.Context, st store.Store, k known, keep time.Duration, now time.Time) (int, error) {
	var changed int
	err := st.Update(ctx, func(tx store.Tx) error {
		changed = 0
		var todo []*store.Record
		err := store.EachRecord(tx, k.ID, store.KindNomination, time.Time{}, time.Time{}, func(r *store.Record) error {
			n, err := ledger.DecodeNomination(r)
			if err != nil {
				return err
			}
			if !n.Redacted || n.Phone != "" || n.Deeds != "" {
				todo = append(todo, r)
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Records are rewritten after the scan, which walks their index.
		for _, r := range todo {
			n, err := ledger.DecodeNomination(r)
			if err != nil {
				return err
			}
			n.Phone, n.Deeds, n.Redacted = "", "", true
			if err := ledger.Encode(r, n); err != nil {
				return err
			}
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
		}
		changed = len(todo)
		if changed == 0 {
			return nil
		}
		// Exports written before now hold what was just removed.
		if cur, err := getCampaign(tx, k.ID); err == nil {
			cur.RedactedAt = now
			if err := putCampaign(tx, cur); err != nil {
				return err
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		days := int(keep / (24 * time.Hour))
		return store.AppendAudit(tx, store.AuditEntry{
			At: now, Actor: AuditActor, Action: AuditRedact, Target: k.ID, Allowed: true,
			Detail: fmt.Sprintf("最后截止时间满 %d 天，删除 %d 条推荐记录中被推荐人的手机号和事迹", days, changed),
		})
	})
	return changed, err
}

// AuditActor is the actor of the audit entries Redact writes.
const AuditActor = "firebot"
