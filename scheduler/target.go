package scheduler

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"firebot/campaign"
	"firebot/config"
	"firebot/ledger"
	"firebot/store"
)

// Target keys name who one delivery of a fire goes to. They are part of the
// exactly-once claim and of the outbox idempotency key.
const (
	targetChat   = "chat:"   // a group bound to units: one markdown push covering them
	targetOffice = "office:" // an office chat: the digest
	targetUser   = "user:"   // an officer: one application message covering their units
	targetUnit   = "unit:"   // a unit with no bound group: application message to its officers
)

// delivery is one message of a fire to one target.
type delivery struct {
	target   string
	chatID   string   // group push when set
	users    []string // application message otherwise
	units    []string // unit ids the message is about
	content  string   // markdown for a group, plain text for users
	mentions []string // officers to @-mention in a group
}

// targeter decides, from the store, who a fire reaches and what it says.
// Everything it does happens inside the caller's unit of work.
type targeter struct {
	cfg *config.Config
	tt  *Timetable
}

// view caches what one unit of work has read.
type view struct {
	*targeter
	tx       store.Tx
	progress map[string]ledger.UnitProgress
	loaded   bool // preload has read every unit
}

func (t *targeter) view(tx store.Tx) *view {
	return &view{targeter: t, tx: tx, progress: map[string]ledger.UnitProgress{}}
}

// preload reads the progress of every unit of roster at once
// (ledger.All: a few reads for the whole street instead of a few per
// unit), before a fire walks the roster.
func (v *view) preload(roster campaign.Roster) error {
	if v.loaded {
		return nil
	}
	all, err := ledger.All(v.tx, &v.cfg.Campaign, roster)
	if err != nil {
		return err
	}
	for _, p := range all {
		v.progress[p.Unit.ID] = p
	}
	v.loaded = true
	return nil
}

func (v *view) progressOf(u campaign.Unit) (ledger.UnitProgress, error) {
	if p, ok := v.progress[u.ID]; ok {
		return p, nil
	}
	p, err := ledger.Of(v.tx, &v.cfg.Campaign, u)
	if err != nil {
		return p, err
	}
	v.progress[u.ID] = p
	return p, nil
}

// owed is what a unit still owes for a fire.
type owed struct {
	nomination bool
	tasks      []ledger.TaskStatus
}

func (o owed) count() int {
	n := len(o.tasks)
	if o.nomination {
		n++
	}
	return n
}

// text says what is owed (ledger.OwedText).
func (o owed) text() string { return ledger.OwedText(o.tasks, o.nomination) }

// matches applies the audience's filters (kinds, categories, sectors, units).
func matches(a config.Audience, u campaign.Unit) bool {
	if len(a.Kinds) > 0 && !slices.Contains(a.Kinds, u.Kind) {
		return false
	}
	if len(a.Categories) > 0 && !slices.Contains(a.Categories, u.Category) {
		return false
	}
	if len(a.Sectors) > 0 && !slices.Contains(a.Sectors, u.Sector) && !slices.Contains(a.Sectors, u.ID) {
		return false
	}
	if len(a.Units) > 0 && !slices.Contains(a.Units, u.ID) {
		return false
	}
	return true
}

// owedFor lists what p chases that u still owes at time at: the items due
// by the plan's deadline, or, without a deadline, every item whose deadline
// has not passed. audience.tasks narrows it further.
func (v *view) owedFor(p *plan, prog ledger.UnitProgress, at time.Time) owed {
	c := &v.cfg.Campaign
	want := p.cfg.Audience.Tasks
	var o owed
	d := p.anchor.deadline
	nominationOpen := prog.OwesNomination()
	if d != nil {
		nominationOpen = nominationOpen && d.CoversNomination()
	} else if nominationOpen && c.Nomination != nil {
		id := c.Nomination.LateAfter
		if id == "" {
			id = c.Nomination.ChasedDeadline
		}
		if nd, ok := c.Deadline(id); ok && at.After(nd.Time) {
			nominationOpen = false
		}
	}
	o.nomination = nominationOpen && (len(want) == 0 || slices.Contains(want, TaskNomination))
	for _, t := range prog.Missing() {
		if len(want) > 0 && !slices.Contains(want, t.Task.ID) {
			continue
		}
		if d != nil {
			if !deadlineCoversTask(c, *d, t.Task) {
				continue
			}
		} else if td, ok := c.TaskDeadline(t.Task); ok && at.After(td.Time) {
			continue
		}
		o.tasks = append(o.tasks, t)
	}
	return o
}

// addressed reports whether a fire of p reaches u, and what u owes. A plan
// that chases addresses only units owing something; otherwise every unit
// passing the audience's filters is addressed.
func (v *view) addressed(p *plan, u campaign.Unit, at time.Time) (owed, bool, error) {
	if !matches(p.cfg.Audience, u) {
		return owed{}, false, nil
	}
	prog, err := v.progressOf(u)
	if err != nil {
		return owed{}, false, err
	}
	if !p.chases() {
		return owed{}, true, nil
	}
	o := v.owedFor(p, prog, at)
	return o, o.count() > 0, nil
}

// chases reports whether p reminds units of what they owe (it counts from a
// deadline, or its audience is missing), rather than announcing something
// to everyone its audience selects.
func (p *plan) chases() bool {
	return p.anchor.deadline != nil || p.cfg.Audience.Type == config.AudienceMissing
}

// targets lists the target keys of a fire, sorted.
func (v *view) targets(p *plan, f Fire) ([]string, error) {
	if p.cfg.Audience.Type == config.AudienceOffice {
		var out []string
		for _, c := range v.cfg.Access.OfficeChats {
			out = append(out, targetOffice+c.ID)
		}
		return uniqueSorted(out), nil
	}
	roster, err := store.Roster(v.tx)
	if err != nil {
		return nil, err
	}
	if err := v.preload(roster); err != nil {
		return nil, err
	}
	var out []string
	for _, u := range roster {
		if _, ok, err := v.addressed(p, u, f.At); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		if p.cfg.Audience.Type == config.AudienceOfficers {
			for _, o := range u.Officers {
				out = append(out, targetUser+o)
			}
			continue
		}
		chats, err := store.ChatsOfUnit(v.tx, u.ID)
		if err != nil {
			return nil, err
		}
		// A unit without a group takes part fully: its officers get by
		// application message what its group would (a sector only when
		// chased: it has no group's notices to stand in for).
		if len(chats) == 0 && len(u.Officers) > 0 && (p.chases() || u.Kind != campaign.KindSector) {
			out = append(out, targetUnit+u.ID)
		}
		for _, c := range chats {
			out = append(out, targetChat+c)
		}
	}
	return uniqueSorted(out), nil
}

// entry is one addressed unit in a message.
type entry struct {
	unit campaign.Unit
	owed owed
}

// compose builds the delivery of a fire to one target, or nil when the
// target gets nothing (nothing owed any more, or a muted group). now is the
// instant the message speaks from (for the countdown).
func (v *view) compose(p *plan, f Fire, target string, now time.Time) (*delivery, error) {
	kind, id, _ := strings.Cut(target, ":")
	kind += ":"
	switch kind {
	case targetOffice:
		return v.composeDigest(p, f, id, now)
	case targetChat:
		if !f.LastDay {
			if _, muted, err := Muted(v.tx, &v.cfg.Campaign, id); err != nil || muted {
				return nil, err
			}
		}
		ids, err := store.UnitsOfChat(v.tx, id)
		if err != nil {
			return nil, err
		}
		entries, err := v.entries(p, f, ids)
		if err != nil || len(entries) == 0 {
			return nil, err
		}
		d := &delivery{target: target, chatID: id}
		for _, e := range entries {
			d.units = append(d.units, e.unit.ID)
			d.mentions = appendUnique(d.mentions, e.unit.Officers...)
		}
		d.content = v.message(p, f, entries, now).markdown()
		return d, nil
	case targetUnit:
		chats, err := store.ChatsOfUnit(v.tx, id)
		if err != nil || len(chats) > 0 {
			return nil, err
		}
		entries, err := v.entries(p, f, []string{id})
		if err != nil || len(entries) == 0 {
			return nil, err
		}
		u := entries[0].unit
		if len(u.Officers) == 0 {
			return nil, nil
		}
		return &delivery{target: target, users: u.Officers, units: []string{u.ID},
			content: v.message(p, f, entries, now).text()}, nil
	case targetUser:
		units, err := store.UnitsOfOfficer(v.tx, id)
		if err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(units))
		for _, u := range units {
			ids = append(ids, u.ID)
		}
		entries, err := v.entries(p, f, ids)
		if err != nil || len(entries) == 0 {
			return nil, err
		}
		d := &delivery{target: target, users: []string{id}}
		for _, e := range entries {
			d.units = append(d.units, e.unit.ID)
		}
		d.content = v.message(p, f, entries, now).text()
		return d, nil
	}
	return nil, nil
}

// entries lists the addressed units among ids, in id order.
func (v *view) entries(p *plan, f Fire, ids []string) ([]entry, error) {
	ids = uniqueSorted(slices.Clone(ids))
	var out []entry
	for _, id := range ids {
		u, err := store.GetUnit(v.tx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		o, ok, err := v.addressed(p, u, f.At)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, entry{unit: u, owed: o})
		}
	}
	return out, nil
}

func uniqueSorted(ss []string) []string {
	sort.Strings(ss)
	return slices.Compact(ss)
}

func appendUnique(dst []string, ss ...string) []string {
	for _, s := range ss {
		if !slices.Contains(dst, s) {
			dst = append(dst, s)
		}
	}
	return dst
}
