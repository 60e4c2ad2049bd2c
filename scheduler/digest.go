package scheduler

import (
	"slices"
	"sort"
	"time"

	"firebot/campaign"
	"firebot/store"
	"firebot/textsafe"
	"firebot/zhfmt"
)

// behindListed is how many of the units furthest behind the digest names.
const behindListed = 5

// standing is one unit's score in the digest.
type standing struct {
	unit       campaign.Unit
	applicable int // items chased (tasks applicable, nomination expected)
	owed       int
	done       int
}

// standings scores every unit the plan's filters select that has anything
// to do for the plan's deadline (or at all, without one), in roster order.
func (v *view) standings(p *plan, at time.Time) ([]standing, campaign.Roster, error) {
	roster, err := store.Roster(v.tx)
	if err != nil {
		return nil, nil, err
	}
	if err := v.preload(roster); err != nil {
		return nil, nil, err
	}
	c := &v.cfg.Campaign
	want := p.cfg.Audience.Tasks
	var out []standing
	for _, u := range roster {
		if !matches(p.cfg.Audience, u) {
			continue
		}
		prog, err := v.progressOf(u)
		if err != nil {
			return nil, nil, err
		}
		s := standing{unit: u}
		if prog.NominationExpected && (len(want) == 0 || slices.Contains(want, TaskNomination)) &&
			(p.anchor.deadline == nil || p.anchor.deadline.CoversNomination()) {
			s.applicable++
		}
		for _, t := range prog.Tasks {
			if len(want) > 0 && !slices.Contains(want, t.Task.ID) {
				continue
			}
			if d := p.anchor.deadline; d != nil && !deadlineCoversTask(c, *d, t.Task) {
				continue
			}
			s.applicable++
		}
		if s.applicable == 0 {
			continue
		}
		s.owed = v.owedFor(p, prog, at).count()
		s.done = s.applicable - s.owed
		out = append(out, s)
	}
	return out, roster, nil
}

// composeDigest builds the office digest: totals, counts by sector and by
// category, and the units furthest behind.
func (v *view) composeDigest(p *plan, f Fire, chatID string, now time.Time) (*delivery, error) {
	if !f.LastDay {
		if _, muted, err := Muted(v.tx, &v.cfg.Campaign, chatID); err != nil || muted {
			return nil, err
		}
	}
	ss, roster, err := v.standings(p, f.At)
	if err != nil {
		return nil, err
	}
	m := v.message(p, f, nil, now)
	m.footer = ""
	done, owed := 0, 0
	for _, s := range ss {
		if s.owed == 0 {
			done++
		}
		owed += s.owed
	}
	m.notes = append(m.notes, "截至 "+zhfmt.MomentWeekday(now)+"：已完成 "+zhfmt.Ratio(done, len(ss))+" 个单位，共尚缺 "+itoa(owed)+" 项")

	sectorName := map[string]string{}
	for _, u := range roster {
		if u.Kind == campaign.KindSector {
			sectorName[u.ID] = u.Name
		}
	}
	var sectors []string
	bySector := map[string][]standing{}
	for _, s := range ss {
		k := s.unit.Sector
		if _, ok := sectorName[k]; !ok {
			k = ""
		}
		if _, ok := bySector[k]; !ok {
			sectors = append(sectors, k)
		}
		bySector[k] = append(bySector[k], s)
	}
	sort.SliceStable(sectors, func(i, j int) bool { return sectors[i] != "" && sectors[j] == "" }) // roster order, 未分板块 last
	sec := section{title: "按板块"}
	for _, k := range sectors {
		name := sectorName[k]
		if k == "" {
			name = "未分板块"
		}
		sec.lines = append(sec.lines, summaryLine(textsafe.Neutralize(name), bySector[k]))
	}
	m.section = append(m.section, sec)

	byCat := map[string][]standing{}
	for _, s := range ss {
		k := categoryLabel(s.unit)
		byCat[k] = append(byCat[k], s)
	}
	cat := section{title: "按类别"}
	for _, k := range categoryOrder() {
		if len(byCat[k]) > 0 {
			cat.lines = append(cat.lines, summaryLine(k, byCat[k]))
		}
	}
	m.section = append(m.section, cat)

	behind := slices.Clone(ss)
	behind = slices.DeleteFunc(behind, func(s standing) bool { return s.owed == 0 })
	sort.SliceStable(behind, func(i, j int) bool {
		a, b := behind[i], behind[j]
		if a.owed != b.owed {
			return a.owed > b.owed
		}
		return a.done*b.applicable < b.done*a.applicable // smaller share done first
	})
	d := &delivery{target: targetOffice + chatID, chatID: chatID}
	if len(behind) == 0 {
		m.section = append(m.section, section{title: "所有单位均已完成"})
	} else {
		b := section{title: "进度最慢的单位"}
		for i, s := range behind[:min(behindListed, len(behind))] {
			name := s.unit.Name
			if n := sectorName[s.unit.Sector]; n != "" {
				name += "（" + n + "）"
			}
			b.lines = append(b.lines, itoa(i+1)+". "+textsafe.Neutralize(name)+"：尚缺 "+itoa(s.owed)+" 项")
		}
		m.section = append(m.section, b)
	}
	for _, s := range behind {
		d.units = append(d.units, s.unit.ID)
	}
	d.content = m.markdown()
	return d, nil
}

func summaryLine(name string, ss []standing) string {
	done, owed := 0, 0
	for _, s := range ss {
		if s.owed == 0 {
			done++
		}
		owed += s.owed
	}
	line := name + "：已完成 " + zhfmt.Ratio(done, len(ss))
	if owed > 0 {
		line += "，尚缺 " + itoa(owed) + " 项"
	}
	return line
}

// categoryLabel groups a unit for the digest: communities and sectors by
// kind, organisations by category.
func categoryLabel(u campaign.Unit) string {
	switch u.Kind {
	case campaign.KindOrganisation:
		if u.Category == "" {
			return string(campaign.CategoryOther)
		}
		return string(u.Category)
	default:
		return u.Kind.Label()
	}
}

func categoryOrder() []string {
	out := []string{campaign.KindSector.Label(), campaign.KindCommunity.Label()}
	for _, c := range campaign.Categories() {
		out = append(out, string(c))
	}
	return out
}
