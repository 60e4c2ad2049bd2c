package sim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/clock"
	"firebot/config/configtest"
	"firebot/sim"
	"firebot/store"
)

// countingHandler records, inside the message's unit of work, how many
// times each message was processed; a message processed twice would read 2.
var countingHandler = bot.HandlerFunc(func(ctx context.Context, tx store.Tx, m *bot.Message) (bot.Reply, error) {
	n := 0
	if b, err := tx.Get("processed", m.MsgID); err == nil {
		n, _ = strconv.Atoi(string(b))
	} else if !errors.Is(err, store.ErrNotFound) {
		return bot.NoReply, err
	}
	if err := tx.Put("processed", m.MsgID, []byte(strconv.Itoa(n+1))); err != nil {
		return bot.NoReply, err
	}
	return bot.Reply{Text: "已处理 " + m.MsgID + " 第" + strconv.Itoa(n+1) + "次"}, nil
})

// 10,000 distinct callbacks, each delivered three times at once (WeCom's
// re-sends racing the first delivery): every message is processed exactly
// once and the three replies decrypt to the same plaintext.
func TestTenThousandCallbacksDeliveredThriceConcurrently(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 1000
	}
	ctx := context.Background()
	cfg := configtest.Example(t)
	s, err := sim.New(ctx, sim.Options{Config: cfg, Dir: t.TempDir(), Handler: countingHandler, Real: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := s.Robot
	type job struct{ req *driver.Request }
	jobs := make(chan job)
	var mu sync.Mutex
	var failures []string
	fail := func(format string, a ...any) {
		mu.Lock()
		if len(failures) < 10 {
			failures = append(failures, fmt.Sprintf(format, a...))
		}
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				replies := make([][]byte, 3)
				var inner sync.WaitGroup
				for k := range replies {
					inner.Add(1)
					go func() {
						defer inner.Done()
						res, err := d.Do(ctx, j.req)
						if err != nil || res.Status != 200 {
							fail("delivery %d: %v", k, err)
							return
						}
						replies[k] = res.Reply
					}()
				}
				inner.Wait()
				for k := 1; k < 3; k++ {
					if !bytes.Equal(replies[k], replies[0]) || len(replies[0]) == 0 {
						fail("replies differ: %q vs %q", replies[0], replies[k])
					}
				}
			}
		}()
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		h, err := d.RobotHeader(fmt.Sprintf("chat_%d", i%50), "group", fmt.Sprintf("u%d", i%300), "用户")
		if err != nil {
			t.Fatal(err)
		}
		h.MsgID = fmt.Sprintf("load-%06d", i)
		req, err := d.Seal("/wecom/robot", driver.RobotText(d.Format(), h, "@firebot 进度"))
		if err != nil {
			t.Fatal(err)
		}
		jobs <- job{req}
	}
	close(jobs)
	wg.Wait()
	t.Logf("%d callbacks × 3 in %v", n, time.Since(start))
	if len(failures) > 0 {
		t.Fatalf("failures: %v", failures)
	}
	processed := 0
	err = s.Service.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan("processed", "", "", func(key string, v []byte) error {
			processed++
			if string(v) != "1" {
				return fmt.Errorf("%s processed %s times", key, v)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if processed != n {
		t.Fatalf("%d messages processed, want %d", processed, n)
	}
}
