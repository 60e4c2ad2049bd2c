package chart

import (
	"firebot/campaign"
)

// Group labels besides sector names and organisation categories.
const (
	LabelNoSector  = "未分板块"
	LabelCommunity = "社区"
	LabelSector    = "板块"
	LabelTotal     = "合计"
)

// Tally adds up done and applicable tasks by sector and by category, one
// unit at a time, so a chart of thousands of units needs no list of them.
type Tally struct {
	sectorName  map[string]string // sector unit id → name
	sectorOrder []string          // sector ids in roster order
	sectors     map[string]*Bar
	categories  map[string]*Bar
	noms        map[campaign.Kind]*NominationBar
}

// NewTally prepares a tally for roster; its sector units name the sector
// bars, in roster order.
func NewTally(roster campaign.Roster) *Tally {
	t := &Tally{sectorName: map[string]string{}, sectors: map[string]*Bar{}, categories: map[string]*Bar{},
		noms: map[campaign.Kind]*NominationBar{}}
	for _, u := range roster {
		if u.Kind == campaign.KindSector {
			t.sectorName[u.ID] = u.Name
			t.sectorOrder = append(t.sectorOrder, u.ID)
		}
	}
	return t
}

// CategoryOf is the category bar a unit counts in: 社区 for communities,
// the category of an organisation, 板块 for a sector with tasks of its own.
func CategoryOf(u campaign.Unit) string {
	switch u.Kind {
	case campaign.KindCommunity:
		return LabelCommunity
	case campaign.KindSector:
		return LabelSector
	}
	if u.Category == "" {
		return string(campaign.CategoryOther)
	}
	return string(u.Category)
}

// Add counts one unit. Units without applicable tasks are ignored.
func (t *Tally) Add(u campaign.Unit, done, applicable int) {
	if applicable <= 0 {
		return
	}
	sector := u.Sector
	if u.Kind == campaign.KindSector {
		sector = u.ID
	}
	if _, ok := t.sectorName[sector]; !ok {
		sector = ""
	}
	add(t.sectors, sector, done, applicable)
	add(t.categories, CategoryOf(u), done, applicable)
}

func add(m map[string]*Bar, key string, done, total int) {
	b := m[key]
	if b == nil {
		b = &Bar{}
		m[key] = b
	}
	b.Done += done
	b.Total += total
}

// Sectors lists the sector bars in roster order, 未分板块 last.
func (t *Tally) Sectors() []Bar {
	var out []Bar
	for _, id := range append(t.sectorOrder, "") {
		if b := t.sectors[id]; b != nil {
			bar := *b
			bar.Label = t.sectorName[id]
			if id == "" {
				bar.Label = LabelNoSector
			}
			out = append(out, bar)
		}
	}
	return out
}

// Categories lists the category bars: 社区, then the organisation categories
// in their canonical order (其他 last), then 板块.
func (t *Tally) Categories() []Bar {
	order := []string{LabelCommunity}
	for _, c := range campaign.Categories() {
		order = append(order, string(c))
	}
	order = append(order, LabelSector)
	var out []Bar
	for _, k := range order {
		if b := t.categories[k]; b != nil {
			bar := *b
			bar.Label = k
			out = append(out, bar)
		}
	}
	return out
}

// AddNominations counts one unit asked for nominations and the nominees
// it put forward (people 0: it has not nominated).
func (t *Tally) AddNominations(u campaign.Unit, people int) {
	n := t.noms[u.Kind]
	if n == nil {
		n = &NominationBar{Label: u.Kind.Label()}
		t.noms[u.Kind] = n
	}
	n.Asked++
	if people > 0 {
		n.Units++
		n.People += people
	}
}

// Nominations lists the nomination bars by kind: 社区, 社会单位, 板块.
func (t *Tally) Nominations() []NominationBar {
	var out []NominationBar
	for _, k := range []campaign.Kind{campaign.KindCommunity, campaign.KindOrganisation, campaign.KindSector} {
		if n := t.noms[k]; n != nil {
			out = append(out, *n)
		}
	}
	return out
}

// Total is the whole campaign's bar.
func (t *Tally) Total() Bar {
	var b Bar
	for _, s := range t.sectors {
		b.Done += s.Done
		b.Total += s.Total
	}
	b.Label = LabelTotal
	return b
}

// Data is the chart of the tally.
func (t *Tally) Data(title, subtitle string) Data {
	return Data{Title: title, Subtitle: subtitle, Sectors: t.Sectors(), Categories: t.Categories(), Nominations: t.Nominations()}
}
