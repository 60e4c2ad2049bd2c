package district

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"firebot/bot"
	"firebot/store"
	"firebot/zhfmt"
)

// A district broadcast to every unit of chosen streets (广播 … 全部单位)
// is kept in the district's slot as QB-0001… (unitBroadcast). 确认 only
// stores it there, marked due; FanOut then sends it street by street, each
// street in one unit of work of its own slot through Units.Send — the
// street's own broadcast (its GB id, its 收到 and 回执) — and records the
// street's GB id in the district's record. Units.Send is idempotent per
// district broadcast and street, so a FanOut run again after a crash or on
// another replica completes the missing streets without doubling any.

// Units reaches the units of a street with the street's own broadcast
// machinery (office/broadcast), each call in that street's own store slot.
// The service provides it.
type Units interface {
	// Reach reads what a broadcast to every unit of street would reach.
	Reach(ctx context.Context, street string) (Reach, error)
	// Send broadcasts b to every unit of street in one unit of work of
	// the street's slot, once per b.ID: a second call returns the first's
	// GB id. "" when nobody in the street can receive it.
	Send(ctx context.Context, street string, b UnitBroadcast) (string, error)
	// ReadBack reads where the street's broadcast id stands.
	ReadBack(ctx context.Context, street, id string) (ReadBack, error)
	// Remind sends the street's broadcast id a 回执 reminder (a new round
	// to the groups of its silent units), by by, in one unit of work of
	// the street's slot, once per key: a second call with the same key
	// returns the first's result.
	Remind(ctx context.Context, street, id, key, by string) (Reminded, error)
}

// Reach is what a broadcast to every unit of a street reaches.
type Reach struct {
	Units  int // units addressed
	Groups int // groups sent to
	Direct int // units without a group, reached through their officers
	Missed int // units no channel reaches
}

// UnitBroadcast is a district broadcast as a street sends it.
type UnitBroadcast struct {
	ID         string // the district's id, QB-0001
	Content    string
	From       string // the district's name, for the heading
	MentionAll bool
	IssuerID   string
	IssuerName string
}

// ReadBack is where a street's broadcast stands: its units by name.
type ReadBack struct {
	Acked, Silent, Missed []string
	Sent, Failed, Pending int // groups of its first round
}

// Buckets and counter of the district's slot.
const (
	bUnitBcast    = "district_unit_broadcast"     // QB id → unitBroadcast
	bUnitBcastDue = "district_unit_broadcast_due" // QB id: streets still to send to
	seqUnitBcast  = "district_unit_broadcast"
	unitIDPrefix  = "QB-"
)

// unitBroadcast is a district broadcast to every unit of its streets.
type unitBroadcast struct {
	ID         string    `json:"id"`
	Content    string    `json:"content"`
	MentionAll bool      `json:"mention_all,omitempty"`
	IssuerID   string    `json:"issuer_id"`
	IssuerName string    `json:"issuer_name,omitempty"`
	At         time.Time `json:"at"`      // campaign clock
	Streets    []string  `json:"streets"` // street ids, as chosen
	// Sent is each street's GB id once sent there ("" when nobody there
	// could receive it); a street not in it is still to send to.
	Sent map[string]string `json:"sent"`
}

// confirmUnits stores a confirmed unit broadcast in the district's slot,
// due for FanOut.
func (d *Desk) confirmUnits(tx store.Tx, m *bot.Message, p pending) (bot.Reply, error) {
	n, err := tx.TakeSeq(seqUnitBcast)
	if err != nil {
		return bot.NoReply, err
	}
	ub := unitBroadcast{ID: fmt.Sprintf("%s%04d", unitIDPrefix, n), Content: p.Text, MentionAll: p.MentionAll,
		IssuerID: m.SenderID, IssuerName: m.SenderName, Sent: map[string]string{}}
	if d.Campaign != nil {
		ub.At = d.Campaign.Now()
	}
	var names []string
	for _, id := range p.Streets {
		if s, ok := d.street(id); ok {
			ub.Streets = append(ub.Streets, s.ID)
			names = append(names, s.label())
		}
	}
	if err := store.PutJSON(tx, bUnitBcast, ub.ID, ub); err != nil {
		return bot.NoReply, err
	}
	if err := tx.Put(bUnitBcastDue, ub.ID, nil); err != nil {
		return bot.NoReply, err
	}
	return reply(fmt.Sprintf("区级广播 %s 已确认，正在发往%s的全部单位（各街道的广播编号见回执）。单位在群里 @我 回复“收到”即为回执；发送“回执 %s”查看各街道的回执情况。",
		ub.ID, zhfmt.List(names), ub.ID)), nil
}

// FanOut sends every due unit broadcast to the streets it has not reached
// yet, street by street: the street's own unit of work (Units.Send), then
// the street's GB id recorded in the district's slot. A street that fails
// is left for the next run; the others go on.
func (d *Desk) FanOut(ctx context.Context) error {
	if d.Store == nil || d.Units == nil {
		return nil
	}
	var due []string
	if err := d.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(bUnitBcastDue, "", "", func(k string, _ []byte) error {
			due = append(due, k)
			return nil
		})
	}); err != nil {
		return fmt.Errorf("district: due broadcasts: %w", err)
	}
	var errs []error
	for _, id := range due {
		ub, err := d.unitBroadcast(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, sid := range ub.Streets {
			if _, done := ub.Sent[sid]; done {
				continue
			}
			gb := ""
			if _, ok := d.street(sid); ok {
				gb, err = d.Units.Send(ctx, sid, UnitBroadcast{ID: ub.ID, Content: ub.Content, From: d.Name,
					MentionAll: ub.MentionAll, IssuerID: ub.IssuerID, IssuerName: ub.IssuerName})
				if err != nil {
					errs = append(errs, fmt.Errorf("district: %s to street %s: %w", ub.ID, sid, err))
					continue
				}
			}
			if err := d.recordSent(ctx, ub.ID, sid, gb); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func (d *Desk) unitBroadcast(ctx context.Context, id string) (unitBroadcast, error) {
	var ub unitBroadcast
	err := d.Store.View(ctx, func(tx store.Tx) error { return store.GetJSON(tx, bUnitBcast, id, &ub) })
	return ub, err
}

// recordSent notes in the district's slot that street has its GB id for
// broadcast id, and when no street is missing any more, that it is done.
func (d *Desk) recordSent(ctx context.Context, id, street, gb string) error {
	return d.Store.Update(ctx, func(tx store.Tx) error {
		var ub unitBroadcast
		if err := store.GetJSON(tx, bUnitBcast, id, &ub); err != nil {
			return err
		}
		if ub.Sent == nil {
			ub.Sent = map[string]string{}
		}
		ub.Sent[street] = gb
		if err := store.PutJSON(tx, bUnitBcast, id, ub); err != nil {
			return err
		}
		for _, s := range ub.Streets {
			if _, done := ub.Sent[s]; !done {
				return nil
			}
		}
		return tx.Delete(bUnitBcastDue, id)
	})
}

// parseUnitID reads a district broadcast id (QB-0001, qb-1, QB1).
func parseUnitID(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	digits, ok := strings.CutPrefix(s, "QB")
	if !ok {
		return "", false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(digits, "-"))
	if err != nil || n <= 0 {
		return "", false
	}
	return fmt.Sprintf("%s%04d", unitIDPrefix, n), true
}
