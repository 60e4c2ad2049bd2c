package outbox

import (
	"context"
	"time"

	"firebot/store"
)

// laneCap bounds the entries of one lane (one destination) claimed at once:
// the one being delivered and one waiting behind it. A destination that is
// slow or failing therefore holds at most laneCap of the Pool's slots, and
// its other due entries stay unclaimed in the store, visible to the other
// replicas and to the metrics, until it is free again.
const laneCap = 2

// DeliverDue claims and delivers every entry due now and returns how many
// delivery attempts it made.
//
// At most Pool entries are claimed at any moment (claimed and not yet
// acknowledged or put back), so after a crash at most that many can be
// delivered twice. Claiming is continuous: as deliveries finish, the freed
// slots are claimed again, so a slow call holds up only its own slot, not
// a whole batch. Entries to one target (a lane: channel + target) are
// delivered one after another in the order they were due, with at most
// laneCap of them claimed; when one must be retried, the lane's entries
// due before its retry are put back due at the same time, behind it.
//
// A claimed entry is always acknowledged or put back before DeliverDue
// returns, unless the process dies (then it reappears after the visibility
// timeout). When ctx ends, DeliverDue stops claiming, lets the calls in
// flight end, puts back what it did not attempt and returns ctx's error.
func (w *Worker) DeliverDue(ctx context.Context) (int, error) {
	if w.opts.Hold {
		return 0, nil
	}
	return w.newDispatcher().run(ctx, nil)
}

// Run delivers until ctx ends. Unlike a loop of DeliverDue calls, it never
// waits for a slow call before looking again: on every Kick and every poll
// it claims what is due into the free slots, and it refreshes the metrics
// on every poll, whatever is in flight.
func (w *Worker) Run(ctx context.Context, poll time.Duration) {
	if poll <= 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	w.opts.Stats.refresh(ctx, w.opts.Store, w.opts.Real.Now())
	_, _ = w.newDispatcher().run(ctx, &signals{tick: t.C, wake: w.wake})
}

// signals wake a long-running dispatcher (Run); DeliverDue has none.
type signals struct {
	tick <-chan time.Time
	wake <-chan struct{}
}

// lane is the delivery state of one target.
type lane struct {
	busy    bool                 // one of its entries is being delivered
	queue   []*store.OutboxEntry // claimed, waiting behind the busy one
	blocked time.Time            // an entry is to be retried then: earlier ones wait for it
	skipped bool                 // a claim left due entries of the lane in the store
}

func (l *lane) load() int {
	n := len(l.queue)
	if l.busy {
		n++
	}
	return n
}

// event is the end of one goroutine's work: the slots it frees and, for a
// delivery, its outcome.
type event struct {
	freed    int
	delivery bool
	lane     string
	final    bool
	next     time.Time
}

// dispatcher is one DeliverDue or Run call. Only run's goroutine touches
// its fields (and the claim's filter, while run waits for the claim);
// deliveries and releases run on their own goroutines (at most one per held
// entry) and report on events, which has room for all of them.
type dispatcher struct {
	w         *Worker
	held      int // entries claimed and not yet acknowledged or put back
	attempts  int
	lanes     map[string]*lane
	events    chan event
	look      bool // something may be due: claim when a slot is free
	exhausted bool // the last claim found fewer entries than it asked for
}

func (w *Worker) newDispatcher() *dispatcher {
	return &dispatcher{w: w, lanes: map[string]*lane{}, events: make(chan event, w.opts.Pool), look: true, exhausted: true}
}

func (d *dispatcher) run(ctx context.Context, sig *signals) (int, error) {
	var stopErr error
	var tick <-chan time.Time
	var wake <-chan struct{}
	if sig != nil {
		tick, wake = sig.tick, sig.wake
	}
	for {
		if stopErr == nil {
			stopErr = ctx.Err()
		}
		if stopErr == nil && d.look && d.held < d.w.opts.Pool && !d.w.opts.Hold {
			d.look = false
			asked := d.w.opts.Pool - d.held
			got, err := d.claim(ctx, asked)
			switch {
			case err != nil && sig == nil:
				stopErr = err
			case err != nil:
				d.w.opts.Logger.Warn("claim failed", "err", err)
			case got == asked:
				d.look = true // more may be due
			}
		}
		if d.held == 0 && (sig == nil || stopErr != nil) {
			return d.attempts, stopErr
		}
		done := ctx.Done()
		if stopErr != nil {
			done = nil // only the calls in flight are waited for now
		}
		// In-flight calls end on their own (they carry ctx), and their
		// outcomes must be recorded: wait for them even after ctx ended.
		select {
		case ev := <-d.events:
			d.handle(ctx, ev)
		case <-tick:
			d.look = true
			now := d.w.opts.Real.Now()
			d.w.opts.Stats.refresh(ctx, d.w.opts.Store, now)
			d.forgetIdle(now)
		case <-wake:
			d.look = true
		case <-done:
		}
		// Take whatever else has finished too: one claim covers all the
		// slots freed meanwhile (claims batch themselves under load).
		for more := true; more; {
			select {
			case ev := <-d.events:
				d.handle(ctx, ev)
			default:
				more = false
			}
		}
	}
}

// claim claims up to n due entries and hands them to their lanes. After a
// claim that found less than it asked for, it first looks in a read-only
// view, so that nothing is written while nothing is due.
func (d *dispatcher) claim(ctx context.Context, n int) (int, error) {
	w := d.w
	now := w.opts.Real.Now()
	if d.exhausted {
		var any bool
		err := w.opts.Store.View(ctx, func(tx store.Tx) error {
			var err error
			take, _ := d.filter(now)
			any, err = store.OutboxClaimable(tx, now, take)
			return err
		})
		if err != nil || !any {
			return 0, err
		}
	}
	var claimed []*store.OutboxEntry
	var skipped map[string]bool
	err := w.opts.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		var take func(*store.OutboxEntry) bool
		take, skipped = d.filter(now)
		claimed, err = store.ClaimOutboxFunc(tx, now, n, w.opts.Visibility, w.token, take)
		return err
	})
	if err != nil {
		return 0, err
	}
	d.exhausted = len(claimed) < n
	d.held += len(claimed)
	for _, e := range claimed {
		d.dispatch(ctx, now, e)
	}
	for name := range skipped {
		if l := d.lanes[name]; l != nil {
			l.skipped = true
		}
	}
	return len(claimed), nil
}

// filter is the claim's choice of entries: none of a lane that already
// holds laneCap, but every one of a lane blocked by a retry (to be put back
// behind it). It reports the lanes it refused entries of.
func (d *dispatcher) filter(now time.Time) (func(*store.OutboxEntry) bool, map[string]bool) {
	taken, skipped := map[string]int{}, map[string]bool{}
	return func(e *store.OutboxEntry) bool {
		name := laneOf(e)
		n := taken[name]
		if l := d.lanes[name]; l != nil {
			if l.blocked.After(now) {
				return true
			}
			n += l.load()
		}
		if n >= laneCap {
			skipped[name] = true
			return false
		}
		taken[name]++
		return true
	}, skipped
}

func laneOf(e *store.OutboxEntry) string { return e.Channel + "|" + e.Target }

// dispatch starts e, queues it behind its lane's entry in flight, or puts
// it back behind its lane's entry waiting for a retry.
func (d *dispatcher) dispatch(ctx context.Context, now time.Time, e *store.OutboxEntry) {
	name := laneOf(e)
	l := d.lanes[name]
	if l == nil {
		l = &lane{}
		d.lanes[name] = l
	}
	switch {
	case l.blocked.After(now):
		d.release(ctx, []*store.OutboxEntry{e}, l.blocked)
	case l.busy:
		l.queue = append(l.queue, e)
	default:
		d.start(ctx, name, l, e)
	}
}

func (d *dispatcher) start(ctx context.Context, name string, l *lane, e *store.OutboxEntry) {
	l.busy = true
	d.attempts++
	go func() {
		final, next := d.w.deliverOne(ctx, e)
		d.events <- event{freed: 1, delivery: true, lane: name, final: final, next: next}
	}()
}

// release puts entries back, due at next, without attempting them.
func (d *dispatcher) release(ctx context.Context, entries []*store.OutboxEntry, next time.Time) {
	go func() {
		for _, e := range entries {
			d.w.release(ctx, e, next, store.DeliveryResult{})
		}
		d.events <- event{freed: len(entries)}
	}()
}

func (d *dispatcher) handle(ctx context.Context, ev event) {
	d.held -= ev.freed
	if d.held == 0 {
		d.look = true // look once more when all is done
	}
	if !ev.delivery {
		return
	}
	l := d.lanes[ev.lane]
	l.busy = false
	if l.skipped {
		l.skipped = false
		d.look = true // its other due entries can be claimed now
	}
	switch {
	case !ev.final:
		// Keep the order: the lane's later entries wait for this one.
		// ev.next was computed after the call, so it is not in the past
		// (and if it were, the lane would simply not be blocked).
		l.blocked = ev.next
		if len(l.queue) > 0 {
			d.release(ctx, l.queue, ev.next)
			l.queue = nil
		}
	case len(l.queue) == 0:
	case ctx.Err() != nil:
		d.release(ctx, l.queue, d.w.opts.Real.Now())
		l.queue = nil
	default:
		e := l.queue[0]
		l.queue = l.queue[1:]
		d.start(ctx, ev.lane, l, e)
	}
	if !l.busy && len(l.queue) == 0 && l.blocked.IsZero() {
		delete(d.lanes, ev.lane)
	}
}

// forgetIdle drops the lanes that have nothing claimed and no retry ahead.
func (d *dispatcher) forgetIdle(now time.Time) {
	for name, l := range d.lanes {
		if !l.busy && len(l.queue) == 0 && !l.skipped && !l.blocked.After(now) {
			delete(d.lanes, name)
		}
	}
}
