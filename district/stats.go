// Package district is what the district level sees across its streets:
// statistics by street, then by unit kind and category, read street by
// street (each street's data lives in its own store slot, so no read ever
// spans two streets in one unit of work). District views are read-only:
// nothing here writes a street's records. The one write into streets is
// a district broadcast to their units, which each street sends as its own
// broadcast, in its own slot, through Units (units.go).
package district

import (
	"context"
	"fmt"
	"strings"

	"firebot/campaign"
	"firebot/config"
	"firebot/ledger"
	"firebot/store"
)

// Street is one street as the district reads it.
type Street struct {
	ID       string
	Name     string
	Campaign *campaign.Campaign
	Config   *config.Config // the street's whole configuration (exports)
	Store    store.Store    // the street's own store (its slot)
	// The street's office: where the district's 催报 and 广播 go.
	OfficeChats []campaign.Chat
	OfficeUsers []string
}

// Tally is one line of the district's 统计 (ledger.Tally).
type Tally = ledger.Tally

// Overview is the district's 统计.
type Overview struct {
	Total      Tally
	Streets    []Tally // in the order streets were given
	Kinds      []Tally // sectors, communities, organisations (those present)
	Categories []Tally // organisations by category (those present)
	// Unreadable names the streets whose store could not be read; their
	// units are in no line (the reply says so rather than under-count
	// silently).
	Unreadable []string
}

// Stats reads every street, one read-only view each, and totals them.
// A street whose store fails is listed in Unreadable; ctx ending stops
// the reading with its error.
func Stats(ctx context.Context, streets []Street) (Overview, error) {
	o := Overview{Total: Tally{Label: "全区"}}
	kinds := map[campaign.Kind]*Tally{}
	cats := map[campaign.Category]*Tally{}
	for _, s := range streets {
		if err := ctx.Err(); err != nil {
			return Overview{}, err
		}
		var progress []ledger.UnitProgress
		err := s.Store.View(ctx, func(tx store.Tx) error {
			roster, err := store.Roster(tx)
			if err != nil {
				return err
			}
			progress, err = ledger.All(tx, s.Campaign, roster)
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return Overview{}, ctx.Err()
			}
			o.Unreadable = append(o.Unreadable, s.label())
			continue
		}
		line := Tally{Label: s.label()}
		for _, p := range progress {
			if !ledger.Counted(p) {
				continue
			}
			line.Add(p)
			k := kinds[p.Unit.Kind]
			if k == nil {
				k = &Tally{Label: p.Unit.Kind.Label()}
				kinds[p.Unit.Kind] = k
			}
			k.Add(p)
			if p.Unit.Kind == campaign.KindOrganisation {
				cat := p.Unit.Category
				if cat == "" {
					cat = campaign.CategoryOther
				}
				c := cats[cat]
				if c == nil {
					c = &Tally{Label: string(cat)}
					cats[cat] = c
				}
				c.Add(p)
			}
		}
		o.Total.Merge(line)
		o.Streets = append(o.Streets, line)
	}
	for _, k := range campaign.Kinds() {
		if t := kinds[k]; t != nil {
			o.Kinds = append(o.Kinds, *t)
		}
	}
	for _, c := range campaign.Categories() {
		if t := cats[c]; t != nil {
			o.Categories = append(o.Categories, *t)
		}
	}
	return o, nil
}

func (s Street) label() string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID
}

// Text is the overview as the district's 统计 reply.
func (o Overview) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "【全区进度】%d个街道，%d个单位\n%s\n", len(o.Streets), o.Total.Units, o.Total.Line())
	section := func(title string, lines []Tally) {
		if len(lines) == 0 {
			return
		}
		b.WriteString("\n" + title + "\n")
		for _, t := range lines {
			b.WriteString("· " + t.Line() + "\n")
		}
	}
	section("按街道：", o.Streets)
	section("按单位类型：", o.Kinds)
	section("社会单位按类别：", o.Categories)
	if len(o.Unreadable) > 0 {
		fmt.Fprintf(&b, "\n以下街道的数据暂时读不到，未计入：%s\n", strings.Join(o.Unreadable, "、"))
	}
	return strings.TrimRight(b.String(), "\n")
}
