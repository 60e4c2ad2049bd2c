package store

import (
	"errors"
	"sort"
	"strconv"

	"firebot/campaign"
)

// The roster is seeded from configuration on first start and is
// authoritative in the store from then on (roster import and office
// corrections change it here, not in the file).

// storedUnit is a unit as persisted: webhook keys are kept apart (see
// LearnWebhookKey), because campaign.Secret never serialises its value.
type storedUnit struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Kind     campaign.Kind     `json:"kind"`
	Sector   string            `json:"sector,omitempty"`
	Category campaign.Category `json:"category,omitempty"`
	Officers []string          `json:"officers,omitempty"`
	Chats    []string          `json:"chats,omitempty"`
	// People are the officers' names and phones when the roster gave
	// them; Contact is the unit's contact person.
	People  []campaign.Person `json:"people,omitempty"`
	Contact *campaign.Person  `json:"contact,omitempty"`
	// Order is the unit's place in the roster (1, 2…; 0 in stores written
	// before it was kept): Roster lists units in this order.
	Order int `json:"order,omitempty"`
}

const metaUnitSeq = "unit_seq" // the last Order given

// PutUnit creates or replaces a roster unit. Chats listed on the unit are
// bound to it, and their webhook keys remembered.
func PutUnit(tx Tx, u campaign.Unit) error {
	order := 0
	var old storedUnit
	if err := GetJSON(tx, bUnits, u.ID, &old); err == nil {
		order = old.Order
		for _, o := range old.Officers {
			if err := tx.Delete(bUnitByOfficer, JoinKey(o, u.ID)); err != nil {
				return err
			}
		}
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	for _, o := range u.Officers {
		if err := tx.Put(bUnitByOfficer, JoinKey(o, u.ID), nil); err != nil {
			return err
		}
	}
	if order == 0 {
		var err error
		if order, err = nextUnitOrder(tx); err != nil {
			return err
		}
	}
	su := storedUnit{ID: u.ID, Name: u.Name, Kind: u.Kind, Sector: u.Sector, Category: u.Category, Officers: u.Officers,
		Contact: u.Contact, Order: order}
	for _, p := range u.OfficerInfo {
		if p.Name != "" || p.Phone != "" {
			su.People = append(su.People, p)
		}
	}
	for _, c := range u.Chats {
		su.Chats = append(su.Chats, c.ID)
		if err := LearnWebhookKey(tx, c.ID, c.WebhookKey.Reveal()); err != nil {
			return err
		}
	}
	return PutJSON(tx, bUnits, u.ID, su)
}

// GetUnit reads one unit (chats without their keys).
func GetUnit(tx Tx, id string) (campaign.Unit, error) {
	var su storedUnit
	if err := GetJSON(tx, bUnits, id, &su); err != nil {
		return campaign.Unit{}, err
	}
	return su.unit(), nil
}

func (su storedUnit) unit() campaign.Unit {
	u := campaign.Unit{ID: su.ID, Name: su.Name, Kind: su.Kind, Sector: su.Sector, Category: su.Category, Officers: su.Officers,
		Contact: su.Contact}
	for _, id := range su.Officers {
		if len(su.People) == 0 {
			break // only ids known: OfficerInfo stays nil
		}
		p := campaign.Person{ID: id}
		for _, known := range su.People {
			if known.ID == id {
				p = known
			}
		}
		u.OfficerInfo = append(u.OfficerInfo, p)
	}
	for _, c := range su.Chats {
		u.Chats = append(u.Chats, campaign.Chat{ID: c})
	}
	return u
}

// UnitsOfOfficer lists the units userID is an officer of, in id order.
func UnitsOfOfficer(tx Tx, userID string) ([]campaign.Unit, error) {
	var ids []string
	if err := scanParts(tx, bUnitByOfficer, func(id string, _ []byte) error {
		ids = append(ids, id)
		return nil
	}, userID); err != nil {
		return nil, err
	}
	return GetUnits(tx, ids)
}

// GetUnits reads the units with the given ids, in that order, skipping ids
// that are not in the roster.
func GetUnits(tx Tx, ids []string) ([]campaign.Unit, error) {
	if err := Prefetch(tx, unitReads(ids)...); err != nil {
		return nil, err
	}
	out := make([]campaign.Unit, 0, len(ids))
	for _, id := range ids {
		u, err := GetUnit(tx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// unitReads are the reads of GetUnit for ids.
func unitReads(ids []string) []Read {
	reads := make([]Read, len(ids))
	for i, id := range ids {
		reads[i] = Read{Bucket: bUnits, Key: id}
	}
	return reads
}

// orderLegacy gives the units of a store written before the roster order
// was kept their places: the configured roster's order, then the others by
// id, after any unit already placed.
func orderLegacy(tx Tx, configured campaign.Roster) error {
	var all []storedUnit
	legacy := false
	err := tx.Scan(bUnits, "", "", func(_ string, v []byte) error {
		var su storedUnit
		if err := jsonUnmarshal(v, &su); err != nil {
			return err
		}
		legacy = legacy || su.Order == 0
		all = append(all, su)
		return nil
	})
	if err != nil || !legacy {
		return err
	}
	pos := map[string]int{}
	for i, u := range configured {
		pos[u.ID] = i + 1
	}
	var todo []storedUnit
	for _, su := range all {
		if su.Order == 0 {
			todo = append(todo, su)
		}
	}
	sort.SliceStable(todo, func(i, j int) bool {
		pi, pj := pos[todo[i].ID], pos[todo[j].ID]
		switch {
		case pi != 0 && pj != 0:
			return pi < pj
		case pi != 0 || pj != 0:
			return pi != 0
		}
		return todo[i].ID < todo[j].ID
	})
	for _, su := range todo {
		n, err := nextUnitOrder(tx)
		if err != nil {
			return err
		}
		su.Order = n
		if err := PutJSON(tx, bUnits, su.ID, su); err != nil {
			return err
		}
	}
	return nil
}

// nextUnitOrder gives a new unit the place after every unit stored.
func nextUnitOrder(tx Tx) (int, error) {
	n := 0
	v, err := GetMeta(tx, metaUnitSeq)
	switch {
	case err == nil:
		n, _ = strconv.Atoi(v)
	case !errors.Is(err, ErrNotFound):
		return 0, err
	}
	n++
	return n, PutMeta(tx, metaUnitSeq, strconv.Itoa(n))
}

// Roster lists every unit in roster order: the order they were first
// seeded or imported in (units stored before the order was kept first, by
// id).
func Roster(tx Tx) (campaign.Roster, error) {
	var all []storedUnit
	err := tx.Scan(bUnits, "", "", func(_ string, v []byte) error {
		var su storedUnit
		if err := jsonUnmarshal(v, &su); err != nil {
			return err
		}
		all = append(all, su)
		return nil
	})
	sort.SliceStable(all, func(i, j int) bool { return all[i].Order < all[j].Order })
	var out campaign.Roster
	for _, su := range all {
		out = append(out, su.unit())
	}
	return out, err
}

const metaRosterSeeded = "roster_seeded"

// SeedRoster writes the configured roster on the first start of a store and
// binds the configured chats; later starts leave the stored roster alone.
// It reports whether it seeded.
func SeedRoster(tx Tx, units campaign.Roster, by string) (bool, error) {
	if _, err := GetMeta(tx, metaRosterSeeded); err == nil {
		return false, orderLegacy(tx, units)
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	for _, u := range units {
		if err := PutUnit(tx, u); err != nil {
			return false, err
		}
		for _, c := range u.Chats {
			if err := Bind(tx, Binding{ChatID: c.ID, UnitID: u.ID, By: by}); err != nil {
				return false, err
			}
		}
	}
	return true, PutMeta(tx, metaRosterSeeded, "1")
}
