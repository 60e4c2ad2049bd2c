package stats

import (
	"fmt"
	"sort"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/chart"
	"firebot/handlers"
	"firebot/ledger"
	"firebot/office"
	"firebot/store"
	"firebot/zhfmt"
)

// Group labels of 统计 besides sector names and categories.
const (
	labelNoSector  = "未分板块"
	labelCommunity = chart.LabelCommunity
	labelSector    = chart.LabelSector
)

// stats is campaign-wide progress, as 统计 shows it.
type stats struct {
	Total      ledger.Tally
	Sectors    []*ledger.Tally
	Categories []*ledger.Tally
	Nothing    []campaign.Unit       // units with nothing reported
	Behind     []ledger.UnitProgress // the units furthest behind (at most 5)
	progress   []ledger.UnitProgress // every counted unit
}

// computeStats reads every unit's progress.
func computeStats(tx store.Tx, camp *campaign.Campaign) (*stats, error) {
	roster, err := store.Roster(tx)
	if err != nil {
		return nil, err
	}
	all, err := ledger.All(tx, camp, roster)
	if err != nil {
		return nil, err
	}
	s := &stats{Total: ledger.Tally{Label: "全街道"}}
	sectors := map[string]*ledger.Tally{}
	var sectorOrder []string
	for _, u := range roster {
		if u.Kind == campaign.KindSector {
			sectors[u.ID] = &ledger.Tally{Label: u.Name}
			sectorOrder = append(sectorOrder, u.ID)
		}
	}
	cats := map[string]*ledger.Tally{}
	for _, p := range all {
		if !ledger.Counted(p) {
			continue
		}
		s.progress = append(s.progress, p)
		u := p.Unit
		s.Total.Add(p)
		sec := u.Sector
		if u.Kind == campaign.KindSector {
			sec = u.ID
		}
		sb, ok := sectors[sec]
		if !ok {
			sec = labelNoSector
			if sb, ok = sectors[sec]; !ok {
				sb = &ledger.Tally{Label: labelNoSector}
				sectors[sec] = sb
				sectorOrder = append(sectorOrder, sec)
			}
		}
		sb.Add(p)
		cat := chart.CategoryOf(u)
		cb, ok := cats[cat]
		if !ok {
			cb = &ledger.Tally{Label: cat}
			cats[cat] = cb
		}
		cb.Add(p)
		if !p.Reported() {
			s.Nothing = append(s.Nothing, u)
		}
	}
	for _, id := range sectorOrder {
		if b := sectors[id]; b.Units > 0 {
			s.Sectors = append(s.Sectors, b)
		}
	}
	for _, label := range categoryOrder() {
		if b, ok := cats[label]; ok {
			s.Categories = append(s.Categories, b)
		}
	}
	s.Behind = furthestBehind(s.progress, 5)
	return s, nil
}

func categoryOrder() []string {
	out := []string{labelCommunity}
	for _, c := range campaign.Categories() {
		out = append(out, string(c))
	}
	return append(out, labelSector)
}

// furthestBehind lists the n units with the smallest share done (most
// owed first among equals), leaving out units that owe nothing.
func furthestBehind(ps []ledger.UnitProgress, n int) []ledger.UnitProgress {
	var cand []ledger.UnitProgress
	for _, p := range ps {
		if p.OwedCount() > 0 {
			cand = append(cand, p)
		}
	}
	share := func(p ledger.UnitProgress) float64 {
		done, applicable := p.DoneCount()
		if p.NominationExpected {
			applicable++
			if len(p.Nominations) > 0 {
				done++
			}
		}
		if applicable == 0 {
			return 1
		}
		return float64(done) / float64(applicable)
	}
	sort.SliceStable(cand, func(i, j int) bool {
		si, sj := share(cand[i]), share(cand[j])
		if si != sj {
			return si < sj
		}
		return cand[i].OwedCount() > cand[j].OwedCount()
	})
	return cand[:min(n, len(cand))]
}

func (s *stats) text(camp *campaign.Campaign, now string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "【统计】%s（截至 %s）\n", camp.Name, now)
	t := s.Total
	fmt.Fprintf(&b, "全街道%d个单位：完成%d/%d项（%s）", t.Units, t.Done, t.Applicable, ledger.Percent(t.Done, t.Applicable))
	if t.ExpectNom > 0 {
		fmt.Fprintf(&b, "；志愿者推荐%d份，来自%d/%d个单位", t.Nominations, t.Nominators, t.ExpectNom)
	}
	fmt.Fprintf(&b, "；%d个单位还没有上报任何内容。", t.Nothing)
	if len(s.Sectors) > 0 {
		b.WriteString("\n\n按板块：")
		for _, x := range s.Sectors {
			b.WriteString("\n· " + x.Line())
		}
	}
	if len(s.Categories) > 0 {
		b.WriteString("\n\n按类别：")
		for _, x := range s.Categories {
			b.WriteString("\n· " + x.Line())
		}
	}
	if len(s.Nothing) > 0 {
		fmt.Fprintf(&b, "\n\n还没有上报任何内容（%d个）：%s", len(s.Nothing), zhfmt.UnitNames(s.Nothing[:min(len(s.Nothing), office.MaxListed)]))
		if len(s.Nothing) > office.MaxListed {
			fmt.Fprintf(&b, "……等%d个", len(s.Nothing))
		}
	}
	if len(s.Behind) > 0 {
		b.WriteString("\n\n进度最慢的单位：")
		for i, p := range s.Behind {
			done, applicable := p.DoneCount()
			l := fmt.Sprintf("\n%d. %s：完成%d/%d项", i+1, p.Unit.Name, done, applicable)
			if p.OwesNomination() {
				l += "，尚未推荐"
			}
			b.WriteString(l)
		}
	}
	b.WriteString("\n\n发送“统计 单位名”查看单个单位的详情。")
	return b.String()
}

func (t *tools) runStats(c *handlers.Context) (bot.Reply, error) {
	camp := c.Campaign()
	if arg := strings.TrimSpace(c.Args); arg != "" {
		return t.unitStats(c, arg)
	}
	s, err := computeStats(c.Tx, camp)
	if err != nil {
		return bot.NoReply, err
	}
	return c.Reply(s.text(camp, zhfmt.Moment(c.Now))), nil
}

// unitStats is 统计 <单位名>: one unit in detail.
func (t *tools) unitStats(c *handlers.Context, arg string) (bot.Reply, error) {
	u, roster, why, err := office.NamedUnit(c.Tx, arg)
	if err != nil {
		return bot.NoReply, err
	}
	if why != "" {
		return c.Reply(why), nil
	}
	var b strings.Builder
	kind := u.Kind.Label()
	if u.Kind == campaign.KindOrganisation && u.Category != "" {
		kind += " · " + string(u.Category)
	}
	if sec, ok := office.ExactUnit(roster, u.Sector); ok && u.Sector != "" {
		kind += " · " + sec.Name
	}
	chats, err := store.ChatsOfUnit(c.Tx, u.ID)
	if err != nil {
		return bot.NoReply, err
	}
	fmt.Fprintf(&b, "%s（%s）\n安全员：%s；绑定的群：%d个\n", u.Name, kind, orNone(strings.Join(u.Officers, "、")), len(chats))
	prog, err := c.ProgressText(u)
	if err != nil {
		return bot.NoReply, err
	}
	b.WriteString(prog)
	tasks := c.Campaign().TasksFor(u)
	if len(tasks) > 0 {
		b.WriteString("\n\n任务编号（“不适用”可用）：")
		for i, tk := range tasks {
			fmt.Fprintf(&b, "%d %s", i+1, tk.Name)
			if i < len(tasks)-1 {
				b.WriteString("；")
			}
		}
	}
	recs, err := store.RecordsOfUnit(c.Tx, c.Campaign().ID, u.ID)
	if err != nil {
		return bot.NoReply, err
	}
	if len(recs) > 0 {
		b.WriteString("\n\n记录：")
		for i, r := range recs {
			if i == 20 {
				fmt.Fprintf(&b, "\n……另有%d条", len(recs)-20)
				break
			}
			b.WriteString("\n· " + handlers.RecordLine(c.Campaign(), r, "", true))
		}
	}
	return c.Reply(b.String()), nil
}

func orNone(s string) string {
	if s == "" {
		return "无"
	}
	return s
}
