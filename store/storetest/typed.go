package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/store"
)

// typedTests run the store's typed helpers on the backend: they are built
// on Tx alone, so these tests check that the primitives compose the same
// way everywhere (ids, indexes, claims, leases).
var typedTests = []Test{
	{"RecordIDsNeverReused", testRecordIDs},
	{"RecordIndexes", testRecordIndexes},
	{"DialogCAS", testDialogCAS},
	{"OutboxIdempotency", testOutboxIdempotency},
	{"OutboxClaimAckVisibility", testOutboxClaim},
	{"OutboxConcurrentClaimers", testOutboxConcurrentClaimers},
	{"LeaseExclusiveAndTakeover", testLease},
	{"PutIfAbsentRacers", testPutIfAbsentRacers},
	{"RosterAndBindings", testRosterAndBindings},
	{"RosterOrderAndPeople", testRosterOrderAndPeople},
	{"RosterOrderLegacy", testRosterOrderLegacy},
	{"AuditAppendOnly", testAudit},
}

func testRecordIDs(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	var ids []string
	for i := range 3 {
		update(t, s, func(tx store.Tx) error {
			r := &store.Record{Kind: store.KindConfirmation, CampaignID: fmt.Sprintf("c%d", i%2), UnitID: "u1"}
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
			ids = append(ids, r.ID)
			return nil
		})
	}
	update(t, s, func(tx store.Tx) error {
		r, err := store.GetRecord(tx, ids[2])
		if err != nil {
			return err
		}
		r.Status = store.StatusWithdrawn
		return store.PutRecord(tx, r)
	})
	var next, tj string
	update(t, s, func(tx store.Tx) error {
		r := &store.Record{Kind: store.KindConfirmation, CampaignID: "c0", UnitID: "u1"}
		n := &store.Record{Kind: store.KindNomination, CampaignID: "c0", UnitID: "u1"}
		if err := store.PutRecord(tx, r); err != nil {
			return err
		}
		next = r.ID
		if err := store.PutRecord(tx, n); err != nil {
			return err
		}
		tj = n.ID
		return nil
	})
	want := []string{"HD-0001", "HD-0002", "HD-0003"}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("ids %v, want %v (counted across campaigns)", ids, want)
		}
	}
	if next != "HD-0004" || tj != "TJ-0001" {
		t.Fatalf("after withdrawal: %s %s, want HD-0004 TJ-0001", next, tj)
	}
	if id, _ := store.NormalizeID("hd-3"); id != "HD-0003" {
		t.Fatalf("NormalizeID = %q", id)
	}
	if store.FormatID(store.KindConfirmation, 12345) != "HD-12345" {
		t.Fatal("ids of more than four digits")
	}
}

func testRecordIndexes(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	base := time.Date(2023, 11, 1, 9, 0, 0, 0, time.UTC)
	update(t, s, func(tx store.Tx) error {
		for i, u := range []string{"u1", "u2", "u1", "u3"} {
			r := &store.Record{Kind: store.KindConfirmation, CampaignID: "c", UnitID: u, ReporterID: "p" + u, CreatedAt: base.Add(time.Duration(i) * time.Hour)}
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx store.Tx) error {
		recs, err := store.RecordsOfUnit(tx, "c", "u1")
		if err != nil || len(recs) != 2 || recs[0].ID != "HD-0001" || recs[1].ID != "HD-0003" {
			t.Errorf("RecordsOfUnit u1 = %v, %v", ids(recs), err)
		}
		if recs, _ := store.RecordsOfUnit(tx, "c", "u"); len(recs) != 0 {
			t.Errorf("unit id prefix matched %v", ids(recs))
		}
		var window []string
		err = store.EachRecord(tx, "c", store.KindConfirmation, base.Add(time.Hour), base.Add(3*time.Hour), func(r *store.Record) error {
			window = append(window, r.ID)
			return nil
		})
		if err != nil || fmt.Sprint(window) != "[HD-0002 HD-0003]" {
			t.Errorf("EachRecord window = %v, %v", window, err)
		}
		return nil
	})
	// Moving a record to another unit moves its index entry.
	update(t, s, func(tx store.Tx) error {
		r, _ := store.GetRecord(tx, "HD-0001")
		r.UnitID = "u2"
		return store.PutRecord(tx, r)
	})
	view(t, s, func(tx store.Tx) error {
		a, _ := store.RecordsOfUnit(tx, "c", "u1")
		b, _ := store.RecordsOfUnit(tx, "c", "u2")
		if len(a) != 1 || len(b) != 2 {
			t.Errorf("after move: u1 %v u2 %v", ids(a), ids(b))
		}
		return nil
	})
}

func ids(rs []*store.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func testDialogCAS(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	d := &store.Dialog{ChatID: "g", UserID: "u", Data: []byte(`{"step":1}`)}
	update(t, s, func(tx store.Tx) error { return store.PutDialog(tx, d) })
	if d.Version != 1 {
		t.Fatalf("version %d after create", d.Version)
	}
	stale := *d
	update(t, s, func(tx store.Tx) error { return store.PutDialog(tx, d) })
	err := s.Update(context.Background(), func(tx store.Tx) error { return store.PutDialog(tx, &stale) })
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale write: %v, want ErrConflict", err)
	}
	other := &store.Dialog{ChatID: "g", UserID: "v"}
	update(t, s, func(tx store.Tx) error { return store.PutDialog(tx, other) })
	view(t, s, func(tx store.Tx) error {
		got, err := store.GetDialog(tx, "g", "u")
		if err != nil || got.Version != 2 || string(got.Data) != `{"step":1}` {
			t.Errorf("GetDialog = %+v, %v", got, err)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return store.DeleteDialog(tx, "g", "u") })
	view(t, s, func(tx store.Tx) error {
		if _, err := store.GetDialog(tx, "g", "u"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		if _, err := store.GetDialog(tx, "g", "v"); err != nil {
			t.Errorf("other user's dialog: %v", err)
		}
		return nil
	})
}

func entry(key string) *store.OutboxEntry {
	return &store.OutboxEntry{Key: key, Source: "src", Channel: "webhook", Target: "chat", Payload: []byte(`{}`)}
}

func testOutboxIdempotency(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	var first, second []string
	update(t, s, func(tx store.Tx) error {
		var err error
		first, err = store.EnqueueOutbox(tx, entry("a"), entry("b"))
		return err
	})
	update(t, s, func(tx store.Tx) error {
		var err error
		second, err = store.EnqueueOutbox(tx, entry("b"), entry("c"))
		return err
	})
	if first[1] != second[0] || second[1] == first[0] || second[1] == first[1] {
		t.Fatalf("ids %v then %v: a known key must return its entry", first, second)
	}
	view(t, s, func(tx store.Tx) error {
		n, _, err := store.OutboxPendingStats(tx)
		if err != nil || n != 3 {
			t.Errorf("pending %d, %v; want 3", n, err)
		}
		src, _ := store.OutboxBySource(tx, "src")
		if len(src) != 3 {
			t.Errorf("by source: %d", len(src))
		}
		return nil
	})
}

func testOutboxClaim(t *testing.T, open Opener) {
	s, clk := openFresh(t, open)
	update(t, s, func(tx store.Tx) error {
		_, err := store.EnqueueOutbox(tx, entry("a"), entry("b"), entry("c"))
		return err
	})
	claim := func(token string, limit int) []*store.OutboxEntry {
		var got []*store.OutboxEntry
		update(t, s, func(tx store.Tx) error {
			var err error
			got, err = store.ClaimOutbox(tx, clk.Now(), limit, time.Minute, token)
			return err
		})
		return got
	}
	got := claim("w1", 2)
	if len(got) != 2 {
		t.Fatalf("claimed %d, want 2", len(got))
	}
	if again := claim("w2", 10); len(again) != 1 {
		t.Fatalf("second claimer got %d, want only the unclaimed 1", len(again))
	}
	update(t, s, func(tx store.Tx) error {
		lost, err := store.AckOutbox(tx, got[0].ID, "w1", clk.Now(), store.DeliveryResult{Sent: true})
		if lost {
			t.Error("ack in time reported a lost claim")
		}
		return err
	})
	view(t, s, func(tx store.Tx) error {
		inflight, err := store.OutboxInFlight(tx)
		if err != nil || len(inflight) != 2 {
			t.Errorf("in flight %d, %v; want 2", len(inflight), err)
		}
		return nil
	})
	// The unacknowledged claim reappears after the visibility timeout; the
	// acknowledged one never does.
	clk.Advance(2 * time.Minute)
	re := claim("w3", 10)
	if len(re) != 2 {
		t.Fatalf("redelivered %d, want 2", len(re))
	}
	for _, e := range re {
		if e.ID == got[0].ID {
			t.Fatal("an acknowledged entry was redelivered")
		}
		if e.Attempts != 2 {
			t.Errorf("%s attempts %d, want 2", e.ID, e.Attempts)
		}
	}
	// A late ack of the lost claim is still recorded.
	update(t, s, func(tx store.Tx) error {
		lost, err := store.AckOutbox(tx, got[1].ID, "w1", clk.Now(), store.DeliveryResult{Sent: true})
		if !lost {
			t.Error("late ack not reported as a lost claim")
		}
		return err
	})
	// Retry puts an entry back for later.
	var other *store.OutboxEntry
	for _, e := range re {
		if e.ID != got[1].ID {
			other = e
		}
	}
	update(t, s, func(tx store.Tx) error {
		return store.RetryOutbox(tx, other.ID, "w3", clk.Now().Add(time.Hour), store.DeliveryResult{ErrCode: -1})
	})
	if n := len(claim("w4", 10)); n != 0 {
		t.Fatalf("claimed %d before the retry time", n)
	}
	clk.Advance(time.Hour)
	if n := len(claim("w4", 10)); n != 1 {
		t.Fatalf("claimed %d at the retry time, want 1", n)
	}
}

func testOutboxConcurrentClaimers(t *testing.T, open Opener) {
	s, clk := openFresh(t, open)
	const n = 60
	update(t, s, func(tx store.Tx) error {
		for i := range n {
			if _, err := store.EnqueueOutbox(tx, entry(fmt.Sprint(i))); err != nil {
				return err
			}
		}
		return nil
	})
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var got []*store.OutboxEntry
				err := s.Update(context.Background(), func(tx store.Tx) error {
					var err error
					got, err = store.ClaimOutbox(tx, clk.Now(), 5, time.Hour, fmt.Sprint("w", w))
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, e := range got {
					seen[e.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("claimed %d distinct entries, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Fatalf("%s claimed %d times", id, c)
		}
	}
}

func testLease(t *testing.T, open Opener) {
	s, clk := openFresh(t, open)
	acquire := func(holder string) error {
		return s.Update(context.Background(), func(tx store.Tx) error {
			_, err := store.AcquireLease(tx, "scheduler", holder, time.Minute)
			return err
		})
	}
	if err := acquire("a"); err != nil {
		t.Fatal(err)
	}
	if err := acquire("b"); !errors.Is(err, store.ErrLeaseHeld) {
		t.Fatalf("second holder: %v, want ErrLeaseHeld", err)
	}
	clk.Advance(50 * time.Second)
	if err := acquire("a"); err != nil { // renewal
		t.Fatalf("renew: %v", err)
	}
	clk.Advance(50 * time.Second)
	if err := acquire("b"); !errors.Is(err, store.ErrLeaseHeld) {
		t.Fatalf("after renewal: %v, want ErrLeaseHeld", err)
	}
	clk.Advance(11 * time.Second)
	if err := acquire("b"); err != nil {
		t.Fatalf("takeover after expiry: %v", err)
	}
	update(t, s, func(tx store.Tx) error { return store.ReleaseLease(tx, "scheduler", "a") }) // not a's any more
	if err := acquire("a"); !errors.Is(err, store.ErrLeaseHeld) {
		t.Fatalf("release by a non-holder freed the lease: %v", err)
	}
	update(t, s, func(tx store.Tx) error { return store.ReleaseLease(tx, "scheduler", "b") })
	if err := acquire("a"); err != nil {
		t.Fatalf("after release: %v", err)
	}
}

func testPutIfAbsentRacers(t *testing.T, open Opener) {
	s, clk := openFresh(t, open)
	var wins sync.Map
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Update(context.Background(), func(tx store.Tx) error {
				ok, err := store.PutIfAbsent(tx, "claims", "reminder|p1|2023-11-24T09:00", []byte(fmt.Sprint(i)), time.Hour)
				if ok {
					wins.Store(i, true)
				} else {
					wins.Delete(i)
				}
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	n := 0
	wins.Range(func(_, _ any) bool { n++; return true })
	if n != 1 {
		t.Fatalf("%d winners, want 1", n)
	}
	clk.Advance(2 * time.Hour)
	update(t, s, func(tx store.Tx) error {
		ok, err := store.PutIfAbsent(tx, "claims", "reminder|p1|2023-11-24T09:00", []byte("x"), time.Hour)
		if !ok {
			t.Error("claim not free after its ttl")
		}
		return err
	})
}

// The roster lists units in the order seeded (then added), not by id, and
// keeps officers' names and phones and a unit's contact; replacing a unit
// keeps its place.
func testRosterOrderAndPeople(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	roster := campaign.Roster{
		{ID: "z_north", Name: "北片板块", Kind: campaign.KindSector},
		{ID: "a_comm", Name: "学田湾社区", Kind: campaign.KindCommunity, Sector: "z_north", Officers: []string{"zhang", "li"},
			OfficerInfo: []campaign.Person{{ID: "zhang", Name: "张三", Phone: "13800000001"}, {ID: "li"}},
			Contact:     &campaign.Person{Name: "王主任", Phone: "023-1"}},
		{ID: "m_school", Name: "某小学", Kind: campaign.KindOrganisation, Category: campaign.CategorySchool},
	}
	update(t, s, func(tx store.Tx) error {
		if _, err := store.SeedRoster(tx, roster, "config"); err != nil {
			return err
		}
		if err := store.PutUnit(tx, campaign.Unit{ID: "b_new", Name: "新社区", Kind: campaign.KindCommunity}); err != nil {
			return err
		}
		u, err := store.GetUnit(tx, "z_north") // replaced: keeps its place
		if err != nil {
			return err
		}
		u.Name = "北片"
		return store.PutUnit(tx, u)
	})
	// A later start (seeded already) changes nothing in a placed roster.
	update(t, s, func(tx store.Tx) error {
		_, err := store.SeedRoster(tx, campaign.Roster{roster[2], roster[1], roster[0]}, "config")
		return err
	})
	view(t, s, func(tx store.Tx) error {
		r, err := store.Roster(tx)
		if err != nil {
			return err
		}
		var ids []string
		for _, u := range r {
			ids = append(ids, u.ID)
		}
		if want := []string{"z_north", "a_comm", "m_school", "b_new"}; !reflect.DeepEqual(ids, want) {
			t.Errorf("roster order %q, want %q", ids, want)
		}
		u, _ := r.Unit("a_comm")
		if got, want := u.OfficerPeople(), roster[1].OfficerPeople(); !reflect.DeepEqual(got, want) {
			t.Errorf("officers %+v, want %+v", got, want)
		}
		if !reflect.DeepEqual(u.Contact, roster[1].Contact) {
			t.Errorf("contact %+v, want %+v", u.Contact, roster[1].Contact)
		}
		return nil
	})
}

// Units stored before the order was kept (no order field) take the
// configured order on the next start, the units not configured after them
// by id.
func testRosterOrderLegacy(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	update(t, s, func(tx store.Tx) error {
		for _, id := range []string{"a", "b", "c", "d"} {
			if err := tx.Put("unit", id, []byte(`{"id":"`+id+`","name":"`+id+`","kind":"community"}`)); err != nil {
				return err
			}
		}
		return store.PutMeta(tx, "roster_seeded", "1")
	})
	update(t, s, func(tx store.Tx) error {
		configured := campaign.Roster{{ID: "c"}, {ID: "a"}, {ID: "x"}}
		_, err := store.SeedRoster(tx, configured, "config")
		return err
	})
	view(t, s, func(tx store.Tx) error {
		r, err := store.Roster(tx)
		var ids []string
		for _, u := range r {
			ids = append(ids, u.ID)
		}
		if want := []string{"c", "a", "b", "d"}; !reflect.DeepEqual(ids, want) {
			t.Errorf("roster order %q, want %q", ids, want)
		}
		return err
	})
}

func testRosterAndBindings(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	roster := campaign.Roster{
		{ID: "u1", Name: "学田湾社区", Kind: campaign.KindCommunity, Officers: []string{"zhang"}, Chats: []campaign.Chat{{ID: "g1", WebhookKey: "k1"}}},
		{ID: "u2", Name: "某小学", Kind: campaign.KindOrganisation, Category: campaign.CategorySchool, Officers: []string{"zhang", "li"}},
	}
	update(t, s, func(tx store.Tx) error {
		seeded, err := store.SeedRoster(tx, roster, "config")
		if !seeded {
			t.Error("first seed did not seed")
		}
		return err
	})
	update(t, s, func(tx store.Tx) error {
		seeded, err := store.SeedRoster(tx, campaign.Roster{{ID: "u9", Name: "x", Kind: campaign.KindCommunity}}, "config")
		if seeded {
			t.Error("second seed overwrote the stored roster")
		}
		return err
	})
	update(t, s, func(tx store.Tx) error {
		u, _ := store.GetUnit(tx, "u2")
		u.Officers = []string{"li"}
		if err := store.PutUnit(tx, u); err != nil {
			return err
		}
		return store.Bind(tx, store.Binding{ChatID: "g1", UnitID: "u2", By: "zhang"})
	})
	view(t, s, func(tx store.Tx) error {
		r, _ := store.Roster(tx)
		if len(r) != 2 {
			t.Errorf("roster %d units", len(r))
		}
		z, _ := store.UnitsOfOfficer(tx, "zhang")
		if len(z) != 1 || z[0].ID != "u1" {
			t.Errorf("zhang's units %v (stale officer index?)", z)
		}
		units, _ := store.UnitsOfChat(tx, "g1")
		if fmt.Sprint(units) != "[u1 u2]" {
			t.Errorf("units of g1 %v", units)
		}
		chats, _ := store.ChatsOfUnit(tx, "u2")
		if fmt.Sprint(chats) != "[g1]" {
			t.Errorf("chats of u2 %v", chats)
		}
		if k, err := store.WebhookKey(tx, "g1"); err != nil || k != "k1" {
			t.Errorf("webhook key %q, %v", k, err)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error { return store.Unbind(tx, "g1", "u1") })
	view(t, s, func(tx store.Tx) error {
		units, _ := store.UnitsOfChat(tx, "g1")
		if fmt.Sprint(units) != "[u2]" {
			t.Errorf("after unbind %v", units)
		}
		return nil
	})
}

func testAudit(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	for i := range 3 {
		update(t, s, func(tx store.Tx) error {
			return store.AppendAudit(tx, store.AuditEntry{Actor: "zhujun", Action: fmt.Sprint("a", i), Allowed: i != 1})
		})
	}
	var got []string
	view(t, s, func(tx store.Tx) error {
		return store.EachAudit(tx, 2, func(e store.AuditEntry) error {
			got = append(got, fmt.Sprint(e.Seq, e.Action, e.Allowed))
			return nil
		})
	})
	if fmt.Sprint(got) != "[2a1false 3a2true]" {
		t.Fatalf("audit from 2: %v", got)
	}
}
