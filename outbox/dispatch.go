package outbox

import (
	"context"
	"time"

	"firebot/store"
)

// DeliverDue claims and delivers every entry due now and returns how many
// delivery attempts it made.
//
// At most Pool entries are claimed at any moment (claimed and not yet
// acknowledged or put back), so after a crash at most that many can be
// delivered twice. Claiming is continuous: as deliveries finish, the freed
// slots are claimed again, so a slow call holds up only its own slot, not
// a whole batch. Entries to one target (a lane: channel + target) are
// delivered one after another in the order they were due; when one must be
// retried, the lane's later entries claimed in this call are put back due at
// the same time, behind it.
//
// A claimed entry is always acknowledged or put back before DeliverDue
// returns, unless the process dies (then it reappears after the visibility
// timeout). When ctx ends, DeliverDue stops claiming, lets the calls in
// flight end, puts back what it did not attempt and returns ctx's error.
func (w *Worker) DeliverDue(ctx context.Context) (int, error) {
	w.init()
	if w.Hold {
		return 0, nil
	}
	d := &dispatcher{w: w, lanes: map[string]*lane{}, events: make(chan event, w.Pool)}
	return d.run(ctx)
}

// lane is the delivery state of one target within a DeliverDue call.
type lane struct {
	busy    bool                 // one of its entries is being delivered
	queue   []*store.OutboxEntry // claimed, waiting behind the busy one
	blocked time.Time            // an entry is to be retried then: later ones wait for it
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

// dispatcher is one DeliverDue call. Only run's goroutine touches its
// fields; deliveries and releases run on their own goroutines (at most
// one per held entry) and report on events, which has room for all of them.
type dispatcher struct {
	w        *Worker
	held     int // entries claimed and not yet acknowledged or put back
	attempts int
	lanes    map[string]*lane
	events   chan event
}

func (d *dispatcher) run(ctx context.Context) (int, error) {
	var stopErr error
	exhausted := false // the last claim found fewer due entries than it asked for
	for {
		if stopErr == nil {
			stopErr = ctx.Err()
		}
		// While entries are in flight, claim again only while the queue
		// still had more; once it ran dry, look once more when all is done.
		if stopErr == nil && d.held < d.w.Pool && (!exhausted || d.held == 0) {
			asked := d.w.Pool - d.held
			got, err := d.claim(ctx, asked)
			switch {
			case err != nil:
				stopErr = err
			case got == 0 && d.held == 0:
				return d.attempts, nil
			}
			exhausted = got < asked
		}
		if d.held == 0 {
			if stopErr != nil {
				return d.attempts, stopErr
			}
			continue
		}
		// In-flight calls end on their own (they carry ctx), and their
		// outcomes must be recorded: wait for them even after ctx ended.
		d.handle(ctx, <-d.events)
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

// claim claims up to n due entries and hands them to their lanes.
func (d *dispatcher) claim(ctx context.Context, n int) (int, error) {
	w := d.w
	var claimed []*store.OutboxEntry
	now := w.Real.Now()
	err := w.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		claimed, err = store.ClaimOutbox(tx, now, n, w.Visibility, w.token)
		return err
	})
	if err != nil {
		return 0, err
	}
	d.held += len(claimed)
	for _, e := range claimed {
		d.dispatch(ctx, e)
	}
	return len(claimed), nil
}

func laneOf(e *store.OutboxEntry) string { return e.Channel + "|" + e.Target }

// dispatch starts e, queues it behind its lane's entry in flight, or puts
// it back behind its lane's entry waiting for a retry.
func (d *dispatcher) dispatch(ctx context.Context, e *store.OutboxEntry) {
	name := laneOf(e)
	l := d.lanes[name]
	if l == nil {
		l = &lane{}
		d.lanes[name] = l
	}
	switch {
	case !l.blocked.IsZero():
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
	if !ev.delivery {
		return
	}
	l := d.lanes[ev.lane]
	l.busy = false
	switch {
	case !ev.final:
		// Keep the order: the lane's later entries wait for this one.
		l.blocked = ev.next
		if len(l.queue) > 0 {
			d.release(ctx, l.queue, ev.next)
			l.queue = nil
		}
	case len(l.queue) == 0:
	case ctx.Err() != nil:
		d.release(ctx, l.queue, d.w.Real.Now())
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
