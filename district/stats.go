// Package district is what the district level sees across its streets:
// statistics by street, then by unit kind and category, read street by
// street (each street's data lives in its own store slot, so no read ever
// spans two streets in one unit of work). District views are read-only:
// nothing here writes a street's records.
package district

import (
	"context"
	"fmt"
	"strings"

	"firebot/campaign"
	"firebot/chart"
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

// Tally counts the units of one line of the statistics.
type Tally struct {
	Label       string
	Units       int // units with something to do
	Done        int // applicable tasks done (不适用 counts as done)
	Applicable  int
	Nominations int // active nominations
	Nominators  int // units that nominated
	ExpectNom   int // units asked to nominate
	Nothing     int // units that reported nothing at all
}

func (t *Tally) add(p ledger.UnitProgress) {
	done, applicable := p.DoneCount()
	t.Units++
	t.Done += done
	t.Applicable += applicable
	t.Nominations += len(p.Nominations)
	if p.NominationExpected {
		t.ExpectNom++
		if len(p.Nominations) > 0 {
			t.Nominators++
		}
	}
	if !p.Reported() {
		t.Nothing++
	}
}

func (t *Tally) merge(o Tally) {
	t.Units += o.Units
	t.Done += o.Done
	t.Applicable += o.Applicable
	t.Nominations += o.Nominations
	t.Nominators += o.Nominators
	t.ExpectNom += o.ExpectNom
	t.Nothing += o.Nothing
}

// Line is the tally as one line of text.
func (t Tally) Line() string {
	s := fmt.Sprintf("%s：完成%d/%d项（%s）", t.Label, t.Done, t.Applicable, percent(t.Done, t.Applicable))
	if t.ExpectNom > 0 {
		s += fmt.Sprintf("，推荐%d份（%d/%d个单位）", t.Nominations, t.Nominators, t.ExpectNom)
	}
	if t.Nothing > 0 {
		s += fmt.Sprintf("，%d个单位未报任何内容", t.Nothing)
	}
	return s
}

func percent(done, total int) string {
	if total <= 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", chart.Percent(done, total))
}

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
			if _, applicable := p.DoneCount(); applicable == 0 && !p.NominationExpected {
				continue
			}
			line.add(p)
			k := kinds[p.Unit.Kind]
			if k == nil {
				k = &Tally{Label: p.Unit.Kind.Label()}
				kinds[p.Unit.Kind] = k
			}
			k.add(p)
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
				c.add(p)
			}
		}
		o.Total.merge(line)
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
