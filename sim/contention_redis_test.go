package sim_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"firebot/bot"
	"firebot/clock"
	"firebot/config/configtest"
	"firebot/ledger"
	"firebot/sim"
	"firebot/store"
	"firebot/store/redisstore"
	"firebot/store/redisstore/redistest"
)

// countingStore counts the units of work and the runs of their functions:
// a run beyond the first is a collision with another unit of work.
type countingStore struct {
	store.Store
	updates, runs atomic.Int64
}

func (c *countingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	c.updates.Add(1)
	return c.Store.Update(ctx, func(tx store.Tx) error {
		c.runs.Add(1)
		return fn(tx)
	})
}

// 32 grid workers confirm their reports at the same moment, through the
// robot callback, in a unit that already holds 1,000 records, on Redis.
// Each confirmation allocates an id, adds to the unit's records and the
// audit log and answers with the unit's progress: none may collide with
// another (no busy reply, no unit of work run twice), and each is
// acknowledged exactly once, under the id its record has (issue 15, item 4).
func TestRedisConcurrentConfirmationsInABusyUnit(t *testing.T) {
	const (
		workers  = 32
		existing = 1000
		chat     = "chat_comm_xuetianwan"
	)
	ctx := context.Background()
	client := redistest.Client(t)
	real := clock.NewFake(time.Now())
	st := &countingStore{Store: redisstore.New(client, redistest.Prefix(t, client), redisstore.Options{Real: real})}
	cfg := configtest.Example(t)
	// Under -race on a shared machine a confirmation can outlast the 3 s
	// passive-reply budget; this test is about collisions, not latency.
	cfg.WeCom.ReplyBudget = 20 * time.Second
	s, err := sim.New(ctx, sim.Options{Config: cfg, Dir: t.TempDir(), Store: st, Real: real,
		Campaign: clock.NewFake(configtest.At(t, "2023-11-06 10:00"))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	worker := func(i int) string { return fmt.Sprintf("grid%02d", i) }
	say := func(i int, text string) string {
		reply, err := s.Say(ctx, chat, worker(i), text)
		if err != nil {
			t.Errorf("%s %q: %v", worker(i), text, err)
		}
		return reply
	}

	// Every worker reaches the summary of a confirmation.
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			for _, in := range []string{"上报", "2", "11月3日", "80", "跳过", "跳过"} {
				if reply := say(i, in); reply == bot.BusyText {
					t.Errorf("%s %q: busy", worker(i), in)
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	// Meanwhile the unit has collected 1,000 records.
	c := &s.Config.Campaign
	var unit = s.Config.Units[0]
	for _, u := range s.Config.Units {
		if u.ID == "comm_xuetianwan" {
			unit = u
		}
	}
	tasks := c.TasksFor(unit)
	for start := 0; start < existing; start += 250 {
		if err := st.Store.Update(ctx, func(tx store.Tx) error {
			for k := start; k < start+250; k++ {
				r := &store.Record{Kind: store.KindConfirmation, CampaignID: c.ID, UnitID: unit.ID,
					TaskID: tasks[k%len(tasks)].ID, ReporterID: "earlier", CreatedAt: configtest.At(t, "2023-10-20 10:00")}
				if err := ledger.Encode(r, ledger.Confirmation{Date: "2023-10-20", Place: "社区广场"}); err != nil {
					return err
				}
				if err := store.PutRecord(tx, r); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}

	updates, runs := st.updates.Load(), st.runs.Load()
	replies := make([]string, workers)
	began := time.Now()
	for i := range workers {
		wg.Go(func() {
			replies[i] = say(i, "确认")
			if strings.Contains(replies[i], "另一次") {
				// Asked whether this is the same activity as a record
				// just confirmed by another worker: it is another one.
				replies[i] = say(i, "另一次")
			}
		})
	}
	wg.Wait()
	updates, runs = st.updates.Load()-updates, st.runs.Load()-runs
	t.Logf("%d concurrent confirmations in a unit of %d records: %v; %d units of work, %d runs",
		workers, existing, time.Since(began), updates, runs)
	if runs != updates {
		t.Errorf("%d units of work ran %d times: confirmations collided", updates, runs)
	}

	idRE := regexp.MustCompile(`上报成功，编号 (HD-\d+)`)
	acks := map[string]int{}    // record id → acknowledgements
	told := map[string]string{} // record id → worker answered passively
	for i, reply := range replies {
		switch m := idRE.FindStringSubmatch(reply); {
		case reply == bot.BusyText:
			t.Errorf("%s: busy reply", worker(i))
		case reply == "":
			// pushed
		case m == nil:
			t.Errorf("%s: reply %q", worker(i), reply)
		default:
			acks[m[1]]++
			told[m[1]] = worker(i)
			if !strings.Contains(reply, "【学田湾社区】已完成") {
				t.Errorf("%s: no progress in %q", worker(i), reply)
			}
		}
	}
	// An answer too long for a passive reply (the progress names every
	// record of the unit) is pushed to the chat instead, within the
	// robot's 20 messages a minute.
	for pushed, minute := 0, 0; len(told)+pushed < workers && minute < 30; minute++ {
		pushes, err := s.NewPushes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pushes {
			if m := idRE.FindStringSubmatch(p.Content()); m != nil {
				acks[m[1]]++
				pushed++
			}
		}
		real.Advance(time.Minute)
	}
	t.Logf("%d answered passively, %d pushed", len(told), len(acks)-len(told))
	// Each confirmation is stored exactly once, under the id it was told.
	if err := st.View(ctx, func(tx store.Tx) error {
		recs, err := store.RecordsOfUnit(tx, c.ID, unit.ID)
		if err != nil {
			return err
		}
		if len(recs) != existing+workers {
			t.Errorf("the unit holds %d records, want %d", len(recs), existing+workers)
		}
		for i := range workers {
			own, err := store.RecordsOfReporter(tx, c.ID, worker(i))
			if err != nil {
				return err
			}
			if len(own) != 1 {
				t.Errorf("%s has %d records, want 1", worker(i), len(own))
				continue
			}
			id := own[0].ID
			if acks[id] != 1 {
				t.Errorf("%s's record %s was acknowledged %d times, want once", worker(i), id, acks[id])
			}
			if got, ok := told[id]; ok && got != worker(i) {
				t.Errorf("%s's record %s was acknowledged to %s", worker(i), id, got)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
