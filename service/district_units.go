package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"firebot/district"
	"firebot/office/broadcast"
	"firebot/store"
)

// bDistrictSent is, in a street's slot, the district broadcasts sent to
// its units: district broadcast id → the street's GB id ("" when nobody
// in the street could receive it). It makes Send once per district
// broadcast and street.
const bDistrictSent = "district_broadcast_sent"

// fanOutEvery is how often (real time) a district retries the unit
// broadcasts still missing a street; a confirmed one is sent at once.
const fanOutEvery = 10 * time.Second

// streetUnits reaches each street's units with the street's own broadcast
// machinery (office/broadcast), in the street's own slot
// (district.Units).
type streetUnits map[string]*Service

func (u streetUnits) get(street string) (*Service, error) {
	s := u[street]
	if s == nil {
		return nil, fmt.Errorf("service: no street %q", street)
	}
	return s, nil
}

// Reach reads what a broadcast to every unit of street reaches.
func (u streetUnits) Reach(ctx context.Context, street string) (district.Reach, error) {
	s, err := u.get(street)
	if err != nil {
		return district.Reach{}, err
	}
	var r broadcast.Reach
	err = s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		r, err = broadcast.Plan(tx, "")
		return err
	})
	return district.Reach{Units: r.Units, Groups: r.Groups, Direct: r.Direct, Missed: r.Missed}, err
}

// Send broadcasts b to every unit of street, once: the street's GB record
// and pushes and the mark of b.ID in one unit of work of its slot.
func (u streetUnits) Send(ctx context.Context, street string, b district.UnitBroadcast) (string, error) {
	s, err := u.get(street)
	if err != nil {
		return "", err
	}
	var id string
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		v, err := tx.Get(bDistrictSent, b.ID)
		if err == nil {
			id = string(v)
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		now := s.Campaign.Now()
		gb, bc, err := broadcast.Issue(tx, &s.Config.Campaign, now, broadcast.Request{
			Content: b.Content, From: b.From, MentionAll: b.MentionAll, Ack: true,
			IssuerID: b.IssuerID, IssuerName: b.IssuerName,
		})
		switch {
		case errors.Is(err, broadcast.ErrNoneReached):
			gb = ""
		case err != nil:
			return err
		default:
			if err := store.AppendAudit(tx, store.AuditEntry{At: now, Actor: b.IssuerID, Action: "district_broadcast", Target: gb, Allowed: true,
				Detail: fmt.Sprintf("区级广播 %s：%d个群，%d个单位应用消息，%d个单位收不到", b.ID, len(bc.Groups), len(bc.Direct), len(bc.Missed))}); err != nil {
				return err
			}
		}
		id = gb
		return tx.Put(bDistrictSent, b.ID, []byte(gb))
	})
	if err != nil {
		return "", err
	}
	s.Outbox.Kick()
	return id, nil
}

// ReadBack reads where the street's broadcast id stands.
func (u streetUnits) ReadBack(ctx context.Context, street, id string) (district.ReadBack, error) {
	s, err := u.get(street)
	if err != nil {
		return district.ReadBack{}, err
	}
	var r broadcast.Readout
	err = s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		r, err = broadcast.Status(tx, s.Config.Campaign.ID, id)
		return err
	})
	return district.ReadBack{Acked: r.Acked, Silent: r.Silent, Missed: r.Missed, Sent: r.Sent, Failed: r.Failed, Pending: r.Pending}, err
}

// bDistrictRemind is, in a street's slot, the district's 回执 reminders
// done there: district message key → what went (JSON district.Reminded).
// It makes Remind once per key.
const bDistrictRemind = "district_remind_sent"

// Remind sends the street's broadcast id a 回执 reminder by by, once per
// key: the round and the mark of key in one unit of work of its slot.
func (u streetUnits) Remind(ctx context.Context, street, id, key, by string) (district.Reminded, error) {
	s, err := u.get(street)
	if err != nil {
		return district.Reminded{}, err
	}
	var out district.Reminded
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		v, err := tx.Get(bDistrictRemind, key)
		if err == nil {
			return json.Unmarshal(v, &out)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		rm, err := broadcast.Remind(tx, &s.Config.Campaign, s.Campaign.Now(), by, id)
		if err != nil {
			return err
		}
		out = district.Reminded{Chats: rm.Chats, Direct: rm.Direct, Silent: rm.Silent}
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return tx.Put(bDistrictRemind, key, b)
	})
	if err != nil {
		return district.Reminded{}, err
	}
	s.Outbox.Kick()
	return out, nil
}

// FanOut sends the district's confirmed unit broadcasts to the streets
// they have not reached yet (district.Desk.FanOut). Start runs it after
// every district message and every fanOutEvery, unless
// Options.ManualOutbox is set; tests call it.
func (d *District) FanOut(ctx context.Context) error { return d.desk.FanOut(ctx) }

// kickFanOut wakes the fan-out loop.
func (d *District) kickFanOut() {
	select {
	case d.fanOut <- struct{}{}:
	default:
	}
}

// runFanOut runs FanOut at start (a broadcast a stopped replica left half
// sent), when kicked, and every fanOutEvery, until ctx ends.
func (d *District) runFanOut(ctx context.Context) {
	fanOut := func() {
		if err := d.FanOut(ctx); err != nil && ctx.Err() == nil {
			d.log.Warn("district broadcast fan-out failed", "err", err)
		}
	}
	fanOut()
	wake(ctx, fanOutEvery, d.fanOut, fanOut)
}
