package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"firebot/clock"
	"firebot/store"
)

// ImportSetup is what CheckImport needs of a backend: an empty store in
// the single-street layout (Src), an empty store of streets (Dst, which may
// be Src itself), the fake real clock of both, and the backend's import of
// Src's data into a street of Dst.
type ImportSetup struct {
	Src    store.Store
	Dst    StreetStore
	Clock  *clock.Fake
	Import func(street string) (store.ImportStats, error)
}

// CheckImport fills Src as a firebot of one street would (records of two
// kinds, audit entries, a lease, plain and expiring entries), gives Dst a
// street "other" of its own, imports Src into street "jfb" of Dst and
// checks, through the store helpers, that the street reads what Src held,
// that its record ids and sequences go on after Src's, that expiring
// entries keep their expiry, that Src and "other" are unchanged, and that
// a street holding data is refused.
func CheckImport(t *testing.T, c ImportSetup) {
	t.Helper()
	rec := func(k store.Kind, unit string) *store.Record {
		return &store.Record{Kind: k, CampaignID: "c", UnitID: unit, CreatedAt: Epoch}
	}
	update(t, c.Src, func(tx store.Tx) error {
		for _, r := range []*store.Record{rec(store.KindConfirmation, "u1"), rec(store.KindConfirmation, "u1"), rec(store.KindNomination, "u2")} {
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
		}
		for _, a := range []string{"confirm", "nominate"} {
			if err := store.AppendAudit(tx, store.AuditEntry{At: Epoch, Actor: "zhang", Action: a, Allowed: true}); err != nil {
				return err
			}
		}
		if _, err := store.AcquireLease(tx, "scheduler", "replica-1", time.Hour); err != nil {
			return err
		}
		if err := tx.PutTTL("t", "gone", []byte("soon"), time.Minute); err != nil {
			return err
		}
		return tx.Put("b", "k", []byte("v"))
	})
	other := c.Dst.Street("other")
	update(t, other, func(tx store.Tx) error { return store.PutRecord(tx, rec(store.KindConfirmation, "other-unit")) })
	c.Clock.Advance(2 * time.Minute) // t/gone expires: not copied

	stats, err := c.Import("jfb")
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	// 3 records with 2 indexes each (unit, time), 2 audit entries, b/k;
	// the lease; the counters record:HD, record:TJ and audit.
	if want := (store.ImportStats{Durable: 12, Expiring: 1, Counters: 3}); stats != want {
		t.Errorf("import stats %+v, want %+v", stats, want)
	}
	jfb := c.Dst.Street("jfb")
	update(t, jfb, func(tx store.Tx) error {
		for id, unit := range map[string]string{"HD-0001": "u1", "HD-0002": "u1", "TJ-0001": "u2"} {
			if r, err := store.GetRecord(tx, id); err != nil || r.UnitID != unit {
				t.Errorf("GetRecord(%s) = %+v, %v; want unit %s", id, r, err, unit)
			}
		}
		recs, err := store.RecordsOfUnit(tx, "c", "u1")
		if ids := recordIDs(recs); err != nil || !slices.Equal(ids, []string{"HD-0001", "HD-0002"}) {
			t.Errorf("RecordsOfUnit(u1) = %v, %v", ids, err)
		}
		var listed []string
		err = store.EachRecord(tx, "c", store.KindConfirmation, time.Time{}, time.Time{}, func(r *store.Record) error {
			listed = append(listed, r.ID)
			return nil
		})
		if err != nil || !slices.Equal(listed, []string{"HD-0001", "HD-0002"}) {
			t.Errorf("EachRecord(HD) = %v, %v", listed, err)
		}
		var actions []string
		err = store.EachAudit(tx, 0, func(e store.AuditEntry) error { actions = append(actions, e.Action); return nil })
		if err != nil || !slices.Equal(actions, []string{"confirm", "nominate"}) {
			t.Errorf("EachAudit = %v, %v", actions, err)
		}
		if _, err := store.AcquireLease(tx, "scheduler", "replica-2", time.Hour); !errors.Is(err, store.ErrLeaseHeld) {
			t.Errorf("the copied lease: AcquireLease by another holder: %v, want ErrLeaseHeld", err)
		}
		// Ids and sequences go on after the copied counters.
		r := rec(store.KindConfirmation, "u3")
		if err := store.PutRecord(tx, r); err != nil || r.ID != "HD-0003" {
			t.Errorf("next record: %q, %v; want HD-0003", r.ID, err)
		}
		if n, err := tx.NextSeq("record:TJ"); err != nil || n != 2 {
			t.Errorf("NextSeq(record:TJ) = %d, %v; want 2", n, err)
		}
		return nil
	})
	wantValue(t, jfb, "b", "k", "v")
	wantMissing(t, jfb, "t", "gone")

	// Src is unchanged, "other" too.
	view(t, c.Src, func(tx store.Tx) error {
		if _, err := store.GetRecord(tx, "HD-0003"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("source gained HD-0003: %v", err)
		}
		if r, err := store.GetRecord(tx, "HD-0002"); err != nil || r.UnitID != "u1" {
			t.Errorf("source HD-0002 = %+v, %v", r, err)
		}
		return nil
	})
	view(t, other, func(tx store.Tx) error {
		if r, err := store.GetRecord(tx, "HD-0001"); err != nil || r.UnitID != "other-unit" {
			t.Errorf("street other: HD-0001 = %+v, %v", r, err)
		}
		if recs, err := store.RecordsOfUnit(tx, "c", "u1"); err != nil || len(recs) != 0 {
			t.Errorf("street other sees the import: %v, %v", recordIDs(recs), err)
		}
		return nil
	})

	// The lease keeps its expiry: an hour after it was taken at Epoch.
	c.Clock.Set(Epoch.Add(59 * time.Minute))
	update(t, jfb, func(tx store.Tx) error {
		if _, err := store.AcquireLease(tx, "scheduler", "replica-2", time.Hour); !errors.Is(err, store.ErrLeaseHeld) {
			t.Errorf("lease at 59 minutes: %v, want ErrLeaseHeld", err)
		}
		return nil
	})
	c.Clock.Set(Epoch.Add(61 * time.Minute))
	update(t, jfb, func(tx store.Tx) error {
		if _, err := store.AcquireLease(tx, "scheduler", "replica-2", time.Hour); err != nil {
			t.Errorf("lease at 61 minutes: %v, want it expired", err)
		}
		return nil
	})

	for _, street := range []string{"jfb", "other"} {
		if _, err := c.Import(street); !errors.Is(err, store.ErrStreetNotEmpty) {
			t.Errorf("import into street %s holding data: %v, want ErrStreetNotEmpty", street, err)
		}
	}
	if _, err := c.Import(""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("import into street \"\": %v, want ErrInvalid", err)
	}
}

func recordIDs(recs []*store.Record) []string {
	ids := []string{}
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	return ids
}
