package embedded

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"firebot/clock"
	"firebot/store"
)

// maxBatch bounds how many Update functions share one transaction, so that
// one commit's work (and the memory of its dirty pages) stays bounded.
const maxBatch = 512

// update is one Update call waiting for its group commit.
type update struct {
	ctx  context.Context
	ns   string // the street's namespace
	fn   func(store.Tx) error
	done chan error // buffered: the committer never blocks on it
}

// committer group-commits Updates: while one transaction is being written
// and synced, every Update that arrives queues, and the next transaction
// takes the whole queue. Batches therefore grow with the load and a lone
// writer commits at once (bbolt's own Batch instead closes a batch on a
// timer, which under load yields many small commits, each paying the
// fsyncs).
type committer struct {
	db   *bolt.DB
	real clock.Clock // stamps each transaction's Now
	idx  *expIndex

	mu      sync.Mutex
	queue   []*update
	running bool
}

// submit queues u and starts the commit loop when it is not running.
func (c *committer) submit(u *update) {
	c.mu.Lock()
	c.queue = append(c.queue, u)
	start := !c.running
	c.running = true
	c.mu.Unlock()
	if start {
		go c.loop()
	}
}

// loop commits batches until the queue is empty.
func (c *committer) loop() {
	last := 0 // size of the batch just committed
	for {
		if last > 1 && c.queued() < 2*last {
			c.gather()
		}
		c.mu.Lock()
		n := min(len(c.queue), maxBatch)
		if n == 0 {
			c.running = false
			c.mu.Unlock()
			return
		}
		batch := make([]*update, n)
		copy(batch, c.queue)
		c.queue = c.queue[:copy(c.queue, c.queue[n:])]
		c.mu.Unlock()
		last = len(batch)
		if retry := c.commit(batch); len(retry) > 0 {
			c.mu.Lock()
			c.queue = append(retry, c.queue...)
			c.mu.Unlock()
		}
	}
}

// gatherYields bounds how many times gather yields.
const gatherYields = 16

// gather lets writers that are on their way join the next batch: it yields
// the processor to them, again as long as each yield brought new Updates.
// Under load the next batch grows, and each commit's fsyncs serve more
// Updates; when no writer is running, each yield returns at once and finds
// nothing new. It replaced a fixed 250µs sleep, which under load overslept
// (the sleeping goroutine then waits for a processor) and measured 4-8%
// fewer callbacks/s (docs/performance.md).
func (c *committer) gather() {
	for range gatherYields {
		n := c.queued()
		runtime.Gosched()
		if c.queued() == n {
			return
		}
	}
}

// queued is the length of the queue.
func (c *committer) queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue)
}

// commit runs the batch's functions in order in one transaction and
// commits it. A function that fails at the head of the batch saw only
// committed data, so its error is its answer. A function that fails further
// in may have failed because of what the functions before it wrote: it is
// returned, to run again at the head of the next batch, where its outcome
// is settled. Either way the others run again without it (their writes
// were rolled back with the failure). Each round removes one function, so
// a batch of n takes at most n+1 rounds; failures are rare (callers'
// functions return errors for conflicts and bad input only).
func (c *committer) commit(batch []*update) (retry []*update) {
	for len(batch) > 0 {
		// Functions whose context ended before they ran write nothing.
		live := batch[:0]
		for _, u := range batch {
			if err := u.ctx.Err(); err != nil {
				u.done <- &fnError{err}
				continue
			}
			live = append(live, u)
		}
		batch = live
		if len(batch) == 0 {
			break
		}
		failed, failErr := -1, error(nil)
		var id uint64
		pend := pending{}
		err := c.db.Update(func(btx *bolt.Tx) error {
			now := c.real.Now()
			for i, u := range batch {
				if err := apply(btx, now, c.idx, pend, u); err != nil {
					failed, failErr = i, err
					return err
				}
			}
			// Publish before the commit makes the transaction visible.
			id = uint64(btx.ID())
			c.idx.publish(id, pend)
			return nil
		})
		if id != 0 {
			c.idx.settle(id, pend, err == nil)
		}
		switch {
		case failed < 0:
			// Committed, or the commit itself failed for all of them.
			for _, u := range batch {
				u.done <- err
			}
			return retry
		case failed == 0:
			batch[0].done <- failErr
		default:
			retry = append(retry, batch[failed])
		}
		batch = append(batch[:failed], batch[failed+1:]...)
	}
	return retry
}

// apply runs one Update function inside the batch's transaction. Its
// errors (and a cancelled context, checked after it ran) are wrapped in
// fnError so that they reach the caller unchanged; a panic becomes an
// error for that caller only.
func apply(btx *bolt.Tx, now time.Time, idx *expIndex, pend pending, u *update) (err error) {
	t := &tx{btx: btx, ns: u.ns, writable: true, now: now, idx: idx, pend: pend}
	defer func() {
		t.done = true
		if r := recover(); r != nil {
			err = &fnError{fmt.Errorf("embedded: update function panicked: %v", r)}
		}
	}()
	if err := u.fn(t); err != nil {
		return &fnError{err}
	}
	if err := u.ctx.Err(); err != nil {
		return &fnError{err}
	}
	return nil
}
