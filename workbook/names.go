package workbook

import (
	"context"
	"errors"
	"fmt"
	"time"

	"firebot/campaign"
	"firebot/config"
	"firebot/ledger"
	"firebot/store"
)

// People are named, in every person column of the workbook, by the first
// of: the name recorded with the record (a group robot callback's
// From/Name), the roster's name for the account, the name WeCom's user/get
// gave (cached in the store by LearnNames), and the account id itself.

// nameOf is the display name of userID; recorded is the name stored on the
// record, if any.
func (e *exporter) nameOf(userID, recorded string) string {
	if recorded != "" || userID == "" {
		return recorded
	}
	if n := e.roster.NameOf(userID); n != "" {
		return n
	}
	if n, ok := e.cached[userID]; ok {
		return cmpOr(n, userID)
	}
	name := ""
	if e.tx != nil {
		if c, err := store.GetUserName(e.tx, userID); err == nil {
			name = c.Name
		}
	}
	e.cached[userID] = name
	return cmpOr(name, userID)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// LookupName asks WeCom for a user's display name (wecom.Client.GetUser);
// hidden reports a user outside the application's visible range.
type LookupName func(ctx context.Context, userID string) (name string, hidden bool, err error)

// LearnNames caches the names of the accounts that reported, entered,
// recommended or are officers in cfg's campaign: a name recorded on one of
// their records (a callback's From/Name) as it is, so the same person is
// named where another record lacks it (an office user's 代录); otherwise,
// when the roster does not name them either and lookup is not nil, the
// name lookup gives (asked once: a hidden user is remembered as hidden).
// now is the real clock. It returns how many names it learnt; a failed
// lookup is skipped (asked again next time) and the first such error
// returned after the rest are done.
func LearnNames(ctx context.Context, st store.Store, cfg *config.Config, lookup LookupName, now time.Time) (int, error) {
	var ask []string
	recorded := map[string]string{}
	err := st.View(ctx, func(tx store.Tx) error {
		ask, recorded = nil, map[string]string{}
		roster, err := rosterOf(tx, cfg)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		var ids []string
		want := func(id, name string) {
			if id == "" {
				return
			}
			if name != "" && recorded[id] == "" {
				recorded[id] = name
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		for _, u := range roster {
			for _, o := range u.Officers {
				want(o, "")
			}
			recs, err := store.RecordsOfUnit(tx, cfg.Campaign.ID, u.ID)
			if err != nil {
				return err
			}
			for _, r := range recs {
				for _, p := range peopleOf(r) {
					want(p.ID, p.Name)
				}
			}
		}
		for _, id := range ids {
			cached, err := store.GetUserName(tx, id)
			switch {
			case err == nil && (cached.Name != "" || recorded[id] == ""):
				delete(recorded, id) // known already
			case err != nil && !errors.Is(err, store.ErrNotFound):
				return err
			case recorded[id] == "" && roster.NameOf(id) == "" && lookup != nil:
				ask = append(ask, id)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("%w: names: %w", ErrExport, err)
	}
	learnt := 0
	if len(recorded) > 0 {
		err := st.Update(ctx, func(tx store.Tx) error {
			for id, name := range recorded {
				if err := store.PutUserName(tx, id, store.UserName{Name: name, At: now}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("%w: names: %w", ErrExport, err)
		}
		learnt += len(recorded)
	}
	var first error
	for _, id := range ask {
		name, hidden, err := lookup(ctx, id)
		if err != nil {
			if first == nil {
				first = fmt.Errorf("workbook: name of %s: %w", id, err)
			}
			continue
		}
		err = st.Update(ctx, func(tx store.Tx) error {
			return store.PutUserName(tx, id, store.UserName{Name: name, Hidden: hidden, At: now})
		})
		if err != nil {
			return learnt, fmt.Errorf("%w: names: %w", ErrExport, err)
		}
		if !hidden && name != "" {
			learnt++
		}
	}
	return learnt, first
}

// peopleOf are the accounts a record names, each with the name recorded
// for it ("" when none).
func peopleOf(r *store.Record) []campaign.Person {
	switch r.Kind {
	case store.KindConfirmation:
		c, _ := ledger.DecodeConfirmation(r)
		return []campaign.Person{{ID: r.ReporterID, Name: c.ReporterName}, {ID: c.EnteredBy}, {ID: c.ReturnedBy}}
	case store.KindNomination:
		n, _ := ledger.DecodeNomination(r)
		return []campaign.Person{{ID: n.RecommenderID, Name: n.RecommenderName}, {ID: n.EnteredBy}}
	}
	return nil
}
