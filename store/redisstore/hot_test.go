package redisstore_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"firebot/clock"
	"firebot/store"
	"firebot/store/redisstore"
)

// Units of work that share hot keys (issue 15, item 4): what they take with
// TakeSeq and read through store.ReadCommitted does not make them run again
// when another unit of work changes it; what they read through the Tx does.
func TestHotReadsAndCountersDoNotConflict(t *testing.T) {
	s := openTest(t, clock.NewFake(time.Now()), redisstore.Options{})
	ctx := context.Background()
	if err := s.Update(ctx, func(tx store.Tx) error {
		return tx.Put("list", "unit\x00r1", nil)
	}); err != nil {
		t.Fatal(err)
	}
	// concurrently commits what another submission would: a new entry of
	// the list, a change to the entry read, and a new id.
	concurrently := func(i int) {
		if err := s.Update(ctx, func(tx store.Tx) error {
			if _, err := tx.TakeSeq("ids"); err != nil {
				return err
			}
			if err := tx.Put("list", fmt.Sprintf("unit\x00other%d", i), nil); err != nil {
				return err
			}
			return tx.Put("list", "unit\x00r1", []byte{byte(i)})
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name     string
		read     func(store.Tx) store.Tx
		take     func(store.Tx, string) (uint64, error)
		wantRuns int
	}{
		{"read committed, take", store.ReadCommitted, store.Tx.TakeSeq, 1},
		{"watched read", func(tx store.Tx) store.Tx { return tx }, store.Tx.TakeSeq, 2},
		{"next seq", store.ReadCommitted, store.Tx.NextSeq, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			runs := 0
			var ids []uint64
			if err := s.Update(ctx, func(tx store.Tx) error {
				runs++
				n, err := c.take(tx, "ids")
				if err != nil {
					return err
				}
				ids = append(ids, n)
				r := c.read(tx)
				if _, err := r.Get("list", "unit\x00r1"); err != nil {
					return err
				}
				if err := r.Scan("list", "unit\x00", "", func(string, []byte) error { return nil }); err != nil {
					return err
				}
				if runs == 1 {
					concurrently(runs)
				}
				return tx.Put("done", c.name, nil)
			}); err != nil {
				t.Fatal(err)
			}
			if runs != c.wantRuns {
				t.Errorf("function ran %d times, want %d", runs, c.wantRuns)
			}
			if c.wantRuns == 2 && c.name != "next seq" && ids[0] != ids[1] {
				t.Errorf("the runs took ids %v, want the same one", ids)
			}
		})
	}
}

// TestReadsLayoutOfEarlierRelease: a store written by the release before
// TakeSeq (counters SET by NextSeq's commit, records and indexes as plain
// keys and sorted sets) is read and continued by this one.
func TestReadsLayoutOfEarlierRelease(t *testing.T) {
	s := openTest(t, clock.NewFake(time.Now()), redisstore.Options{})
	ctx, c, p := context.Background(), redisstore.ClientOf(s), s.Prefix()
	const camp, unit, old = "fire-2023", "comm_xuetianwan", "HD-0041"
	created := time.Date(2023, 11, 1, 10, 0, 0, 0, time.UTC)
	rec := fmt.Sprintf(`{"id":%q,"kind":"HD","campaign_id":%q,"unit_id":%q,"task_id":"drill","status":"active",`+
		`"reporter_id":"wangxiao","created_at":"2023-11-01T10:00:00Z","updated_at":"2023-11-01T10:00:00Z","data":{"date":"2023-11-01"}}`,
		old, camp, unit)
	raw := []struct{ bucket, key, value string }{
		{"rec", old, rec},
		{"rec_unit", camp + "\x00" + unit + "\x00" + old, ""},
		{"rec_user", camp + "\x00wangxiao\x00" + old, ""},
		{"rec_time", fmt.Sprintf("%s\x00HD\x00%020d\x00%s", camp, created.UnixNano(), old), ""},
		{"audit", fmt.Sprintf("%020d", 7), `{"seq":7,"at":"2023-11-01T10:00:00Z","actor":"wangxiao","action":"confirm","target":"HD-0041","allowed":true}`},
	}
	pipe := c.TxPipeline()
	for _, r := range raw {
		pipe.Set(ctx, p+"d:"+r.bucket+":"+r.key, r.value, 0)
		pipe.ZAdd(ctx, p+"z:"+r.bucket, redis.Z{Member: r.key})
	}
	pipe.Set(ctx, p+"seq:record:HD", uint64(41), 0)
	pipe.Set(ctx, p+"seq:audit", uint64(7), 0)
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}

	var id string
	if err := s.Update(ctx, func(tx store.Tx) error {
		r := &store.Record{Kind: store.KindConfirmation, CampaignID: camp, UnitID: unit, TaskID: "drill",
			ReporterID: "lisi", CreatedAt: created.Add(time.Hour)}
		if err := store.PutRecord(tx, r); err != nil {
			return err
		}
		id = r.ID
		if err := store.AppendAudit(tx, store.AuditEntry{Actor: "lisi", Action: "confirm", Target: r.ID, Allowed: true}); err != nil {
			return err
		}
		// The unit's records as a reply reads them.
		recs, err := store.RecordsOfUnit(store.ReadCommitted(tx), camp, unit)
		if err != nil {
			return err
		}
		if got := recordIDs(recs); !slices.Equal(got, []string{old, "HD-0042"}) {
			t.Errorf("unit's records through the read-committed view: %v", got)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if id != "HD-0042" {
		t.Errorf("new record id %s, want HD-0042 (after the earlier release's HD-0041)", id)
	}
	if err := s.View(ctx, func(tx store.Tx) error {
		recs, err := store.RecordsOfUnit(tx, camp, unit)
		if err != nil {
			return err
		}
		if got := recordIDs(recs); !slices.Equal(got, []string{old, "HD-0042"}) {
			t.Errorf("unit's records: %v", got)
		}
		if r, err := store.GetRecord(tx, old); err != nil || r.ReporterID != "wangxiao" || !r.CreatedAt.Equal(created) {
			t.Errorf("earlier record: %+v, %v", r, err)
		}
		own, err := store.RecordsOfReporter(tx, camp, "wangxiao")
		if err != nil || len(own) != 1 || own[0].ID != old {
			t.Errorf("earlier reporter's records: %v, %v", recordIDs(own), err)
		}
		var byTime []string
		if err := store.EachRecord(tx, camp, store.KindConfirmation, time.Time{}, time.Time{}, func(r *store.Record) error {
			byTime = append(byTime, r.ID)
			return nil
		}); err != nil {
			return err
		}
		if !slices.Equal(byTime, []string{old, "HD-0042"}) {
			t.Errorf("records by time: %v", byTime)
		}
		var seqs []uint64
		if err := store.EachAudit(tx, 0, func(e store.AuditEntry) error {
			seqs = append(seqs, e.Seq)
			return nil
		}); err != nil {
			return err
		}
		if !slices.Equal(seqs, []uint64{7, 8}) {
			t.Errorf("audit sequence numbers %v, want [7 8]", seqs)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The counters are still the decimal strings NextSeq reads.
	if v, err := c.Get(ctx, p+"seq:record:HD").Result(); err != nil || v != "42" {
		t.Errorf("seq:record:HD = %q, %v; want 42", v, err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error {
		if n, err := tx.NextSeq("record:HD"); err != nil || n != 43 {
			t.Errorf("NextSeq after TakeSeq: %d, %v; want 43", n, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func recordIDs(rs []*store.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// TestConcurrentEnqueuesDoNotConflict: late answers all enqueue a push at
// once; the outbox's id counter must not make them run again.
func TestConcurrentEnqueuesDoNotConflict(t *testing.T) {
	s := openTest(t, clock.NewFake(time.Now()), redisstore.Options{})
	const writers = 16
	var runs atomic.Int64
	start := make(chan struct{})
	var wg sync.WaitGroup
	ids := make([]string, writers)
	for i := range writers {
		wg.Go(func() {
			<-start
			if err := s.Update(context.Background(), func(tx store.Tx) error {
				runs.Add(1)
				got, err := store.EnqueueOutbox(tx, &store.OutboxEntry{Key: fmt.Sprint("answer:", i), Channel: "webhook",
					Target: "chat", Payload: []byte(`{}`)})
				if err == nil {
					ids[i] = got[0]
				}
				return err
			}); err != nil {
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := runs.Load(); n != writers {
		t.Errorf("%d enqueues ran %d times", writers, n)
	}
	slices.Sort(ids)
	if ids = slices.Compact(ids); len(ids) != writers {
		t.Errorf("ids %v, want %d distinct", ids, writers)
	}
}
