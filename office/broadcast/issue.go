package broadcast

import (
	"errors"
	"fmt"
	"time"

	"firebot/campaign"
	"firebot/office"
	"firebot/outbox"
	"firebot/store"
)

// The exported seam below lets a caller outside a street's chat — the
// district's broadcast to every unit of chosen streets — plan, send and
// read a street's broadcast with the street's own machinery, in a unit of
// work of the street's own store slot.

// ErrUnknownScope: the scope names no roster scope; nothing was written.
var ErrUnknownScope = errors.New("office/broadcast: unknown scope")

// ErrNoneReached: no group, officer or sector of the scope can receive the
// broadcast; nothing was written.
var ErrNoneReached = errors.New("office/broadcast: nobody to reach")

// Request is a broadcast to send: what a confirmed preview holds.
type Request struct {
	Scope      string // scope names as 广播 keeps them ("" = 全部)
	Content    string
	From       string // the heading's sender; "" = the campaign's organiser
	MentionAll bool
	Ack        bool
	IssuerID   string
	IssuerName string
	ReportChat string // where the delivery report goes ("" = the issuer 1:1)
	// Report asks for the delivery report when every push is final.
	Report bool
}

// Reach is what a broadcast to a scope would reach now (Plan).
type Reach struct {
	Label   string // the scope as shown
	Units   int    // units addressed
	Groups  int    // groups sent to
	Direct  int    // units without a group, reached through their officers
	Missed  int    // units no channel reaches
	Sectors int    // sectors without a group, reached through their officers
}

// Plan reads what a broadcast to scope would reach, as its preview shows
// it. ErrUnknownScope when scope names nothing in the roster.
func Plan(tx store.Tx, scope string) (Reach, error) {
	roster, err := store.Roster(tx)
	if err != nil {
		return Reach{}, err
	}
	sc, ok := office.ParseScopeNames(scope, roster)
	if !ok {
		return Reach{}, ErrUnknownScope
	}
	rc, err := reach(tx, sc.Units, sc.Sectors)
	if err != nil {
		return Reach{}, err
	}
	return Reach{Label: sc.Label, Units: len(sc.Units), Groups: len(rc.groups), Direct: len(rc.direct),
		Missed: len(rc.missed), Sectors: len(rc.sectors)}, nil
}

// Issue sends req in tx as 确认 of a street's preview does (its record
// GB-…, one outbox entry per group keyed by its id, the application
// messages, 收到's bookkeeping), at now on the campaign clock. The
// caller's unit of work makes it happen once.
func Issue(tx store.Tx, camp *campaign.Campaign, now time.Time, req Request) (string, Broadcast, error) {
	roster, err := store.Roster(tx)
	if err != nil {
		return "", Broadcast{}, err
	}
	sc, ok := office.ParseScopeNames(req.Scope, roster)
	if !ok {
		return "", Broadcast{}, ErrUnknownScope
	}
	return issue(tx, camp, roster, sc, now, req)
}

// issue writes the broadcast of req to the units of sc: its record, one
// outbox entry per group, the application messages to units without a
// group and to sectors, and the bookkeeping of its delivery report and
// acknowledgements.
func issue(tx store.Tx, camp *campaign.Campaign, roster campaign.Roster, sc office.Scope, now time.Time, req Request) (string, Broadcast, error) {
	rc, err := reach(tx, sc.Units, sc.Sectors)
	if err != nil {
		return "", Broadcast{}, err
	}
	if len(rc.groups) == 0 && len(rc.direct) == 0 && len(rc.sectors) == 0 {
		return "", Broadcast{}, ErrNoneReached
	}
	id, err := store.NewRecordID(tx, store.KindBroadcast)
	if err != nil {
		return "", Broadcast{}, err
	}
	bc := Broadcast{
		Content: req.Content, Scope: req.Scope, ScopeLabel: sc.Label, MentionAll: req.MentionAll, Ack: req.Ack,
		IssuerID: req.IssuerID, IssuerName: req.IssuerName, From: req.From, ReportChat: req.ReportChat,
		Groups: rc.groups, Direct: rc.direct, Missed: rc.missed,
	}
	for _, u := range sc.Units {
		bc.Units = append(bc.Units, u.ID)
	}
	round := Round{N: 1, At: now, By: req.IssuerID}
	text := broadcastText(camp, id, bc)
	var mentions []string
	if bc.MentionAll {
		mentions = []string{"@all"}
	}
	for _, g := range rc.groups {
		if err := outbox.GroupText(tx, Key(id, 1, g.ChatID), Source(id, 1), g.ChatID, text, mentions); err != nil {
			return "", bc, err
		}
		round.Chats = append(round.Chats, g.ChatID)
		if bc.Ack {
			for _, u := range g.Units {
				if err := tx.Put(bAckWait, store.JoinKey(u, id), nil); err != nil {
					return "", bc, err
				}
			}
		}
	}
	// A unit without a group takes part fully: its officers get the whole
	// text by application message (the card below only carries 收到).
	byID := office.IndexUnits(roster)
	for _, uid := range rc.direct {
		u := byID[uid]
		if err := outbox.UserText(tx, outbox.Key("broadcast-app", id, u.ID), outbox.Key("broadcast-app", id), u.Officers, appText(camp, id, bc, bc.Ack)); err != nil {
			return "", bc, err
		}
		if bc.Ack {
			if err := tx.Put(bAckWait, store.JoinKey(u.ID, id), nil); err != nil {
				return "", bc, err
			}
		}
	}
	// A sector is not a reporting unit, but its officers receive what is
	// sent to their sector, by application message.
	for _, s := range rc.sectors {
		if err := outbox.UserText(tx, outbox.Key("broadcast-app", id, s.ID), outbox.Key("broadcast-app", id), s.Officers, appText(camp, id, bc, false)); err != nil {
			return "", bc, err
		}
	}
	if bc.Ack {
		if err := ackCards(tx, id, bc, sc.Units); err != nil {
			return "", bc, err
		}
	}
	bc.Rounds = []Round{round}
	if err := saveBroadcast(tx, &store.Record{
		// No ReporterID: the issuer is in the payload, and a broadcast is
		// not one of the records 我的记录 lists for editing.
		ID: id, Kind: store.KindBroadcast, CampaignID: camp.ID,
		CreatedAt: now, UpdatedAt: now,
	}, bc); err != nil {
		return "", bc, err
	}
	if req.Report {
		if err := tx.Put(bReportDue, reportKey(id, 1), nil); err != nil {
			return "", bc, err
		}
	}
	return id, bc, nil
}

// Readout is where a broadcast stands (Status): its units by name, those
// that acknowledged and those that have not, in the order addressed, and
// how its first round's groups were delivered.
type Readout struct {
	Broadcast
	Acked, Silent, Missed []string
	Sent, Failed, Pending int
}

// Status reads broadcast id of campaign campaignID: store.ErrNotFound
// when there is none.
func Status(tx store.Tx, campaignID, id string) (Readout, error) {
	_, bc, err := loadBroadcast(tx, campaignID, id)
	if err != nil {
		return Readout{}, err
	}
	roster, err := store.Roster(tx)
	if err != nil {
		return Readout{}, err
	}
	byID := office.IndexUnits(roster)
	name := func(u string) string {
		if x, ok := byID[u]; ok {
			return x.Name
		}
		return u
	}
	acks, err := Acks(tx, id)
	if err != nil {
		return Readout{}, err
	}
	r := Readout{Broadcast: bc}
	for _, u := range expected(bc) {
		if _, ok := acks[u]; ok {
			r.Acked = append(r.Acked, name(u))
		} else {
			r.Silent = append(r.Silent, name(u))
		}
	}
	for _, u := range bc.Missed {
		r.Missed = append(r.Missed, name(u))
	}
	if len(bc.Rounds) == 0 {
		return r, fmt.Errorf("office: %s has no round", id)
	}
	ds, err := roundDeliveries(tx, id, bc, bc.Rounds[0])
	if err != nil {
		return r, err
	}
	r.Sent, r.Failed, r.Pending = tally(ds)
	return r, nil
}

// ErrNoReceipt: the broadcast did not ask for 回执, so there is nobody to
// remind; nothing was written.
var ErrNoReceipt = errors.New("office/broadcast: no receipt asked")

// Remind sends the street's broadcast id a 回执 reminder, as 回执 GB-… 催
// does (Reminded says what went; nothing when every unit has
// acknowledged), by by at now on the campaign clock, in the caller's unit
// of work. store.ErrNotFound when there is no such broadcast.
func Remind(tx store.Tx, camp *campaign.Campaign, now time.Time, by, id string) (Reminded, error) {
	r, bc, err := loadBroadcast(tx, camp.ID, id)
	if err != nil {
		return Reminded{}, err
	}
	if !bc.Ack {
		return Reminded{}, ErrNoReceipt
	}
	roster, err := store.Roster(tx)
	if err != nil {
		return Reminded{}, err
	}
	acks, err := Acks(tx, id)
	if err != nil {
		return Reminded{}, err
	}
	rm, err := remind(tx, camp, now, by, r, bc, acks, office.IndexUnits(roster))
	if err != nil || rm.Chats+rm.Direct == 0 {
		return rm, err
	}
	return rm, store.AppendAudit(tx, store.AuditEntry{At: now, Actor: by, Action: "broadcast_remind", Target: id, Allowed: true, Detail: rm.detail()})
}

// sender is who a broadcast is from, as its heading shows it.
func sender(camp *campaign.Campaign, bc Broadcast) string {
	if bc.From != "" {
		return bc.From
	}
	if camp.Organiser != "" {
		return camp.Organiser
	}
	return "街道"
}
