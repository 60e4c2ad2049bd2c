package office

import (
	"slices"
	"strconv"
	"strings"

	"firebot/campaign"
	"firebot/handlers"
	"firebot/store"
	"firebot/zhfmt"
)

// ExactUnit finds a unit by its exact name or id.
func ExactUnit(roster campaign.Roster, s string) (campaign.Unit, bool) {
	for _, u := range roster {
		if u.Name == s || u.ID == s {
			return u, true
		}
	}
	return campaign.Unit{}, false
}

// FindUnit finds the unit a user named: its exact name or id, or the only
// unit whose name contains what was typed (学田湾 → 学田湾社区). When
// several units match, they are returned as candidates.
func FindUnit(roster campaign.Roster, s string) (campaign.Unit, []campaign.Unit, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return campaign.Unit{}, nil, false
	}
	if u, ok := ExactUnit(roster, s); ok {
		return u, nil, true
	}
	var cands []campaign.Unit
	for _, u := range roster {
		if strings.Contains(u.Name, s) {
			cands = append(cands, u)
		}
	}
	if len(cands) == 1 {
		return cands[0], nil, true
	}
	return campaign.Unit{}, cands, false
}

// SplitUnitArgs finds the unit named at the start of args (the longest
// run of words that names one) and returns it with the rest.
func SplitUnitArgs(roster campaign.Roster, args string) (campaign.Unit, []campaign.Unit, string, bool) {
	words := strings.Fields(args)
	var cands []campaign.Unit
	for n := len(words); n >= 1; n-- {
		u, cs, ok := FindUnit(roster, strings.Join(words[:n], " "))
		if ok {
			return u, nil, strings.Join(words[n:], " "), true
		}
		if n == 1 {
			cands = cs
		}
	}
	return campaign.Unit{}, cands, "", false
}

// NamedUnit reads the roster and finds the unit typed names (FindUnit).
// When none or several match, why says so (UnknownUnit) and u is zero.
func NamedUnit(tx store.Tx, typed string) (u campaign.Unit, roster campaign.Roster, why string, err error) {
	if roster, err = store.Roster(tx); err != nil {
		return campaign.Unit{}, nil, "", err
	}
	u, cands, ok := FindUnit(roster, typed)
	if !ok {
		return campaign.Unit{}, roster, UnknownUnit(typed, cands), nil
	}
	return u, roster, "", nil
}

// UnknownUnit explains that no single unit was found.
func UnknownUnit(typed string, cands []campaign.Unit) string {
	if len(cands) > 1 {
		return "“" + ClipRunes(typed, 20) + "”对应多个单位：" + zhfmt.UnitNames(cands[:min(len(cands), 10)]) + "。请写完整的单位名称。"
	}
	return "没有找到单位“" + ClipRunes(typed, 20) + "”。请写完整的单位名称（与名单一致）。"
}

// FindTask finds one of u's tasks by id, exact name, its number in the
// unit's task list (as 统计 <单位> lists them) or a keyword only it has.
// Nothing looser: 疏散演练 must not mark 全员应急疏散演练.
func FindTask(c *campaign.Campaign, u campaign.Unit, s string) (campaign.Task, bool) {
	tasks := c.TasksFor(u)
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(tasks) {
		return tasks[n-1], true
	}
	for _, t := range tasks {
		if t.ID == s || t.Name == s {
			return t, true
		}
	}
	var found []campaign.Task
	for _, t := range tasks {
		if slices.Contains(t.Keywords, s) {
			found = append(found, t)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return campaign.Task{}, false
}

// NamesOf renders unit ids as names, at most max of them ("……等N个").
func NamesOf(ids []string, byID map[string]campaign.Unit, max int) string {
	names := make([]string, 0, min(len(ids), max))
	for i, id := range ids {
		if i == max {
			break
		}
		if u, ok := byID[id]; ok {
			names = append(names, u.Name)
		} else {
			names = append(names, id)
		}
	}
	s := strings.Join(names, "、")
	if len(ids) > max {
		s += "……等" + strconv.Itoa(len(ids)) + "个"
	}
	return s
}

// IndexUnits maps the roster by unit id.
func IndexUnits(roster campaign.Roster) map[string]campaign.Unit {
	m := make(map[string]campaign.Unit, len(roster))
	for _, u := range roster {
		m[u.ID] = u
	}
	return m
}

// RawArgs is the text after the command word as the user wrote it: the
// router's Args lose trailing punctuation ("注意安全！" → "注意安全"), which
// a broadcast's content or a reason must keep.
func RawArgs(c *handlers.Context) string {
	if c.Args == "" {
		return ""
	}
	// Args is the trimmed tail of the text, followed only by whitespace
	// and punctuation, so its last occurrence is the one.
	if i := strings.LastIndex(c.Msg.Text, c.Args); i >= 0 {
		return strings.TrimSpace(c.Msg.Text[i:])
	}
	return c.Args
}
