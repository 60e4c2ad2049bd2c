package roster

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"firebot/campaign"
	"firebot/store"
)

// Parse reads a roster sheet (.xlsx, or .csv in UTF-8 or GB18030) and checks
// each row on its own. Checks that need the stored roster (sectors, names
// of other units) are made by Import. It returns an *InvalidError listing
// every problem found.
func Parse(name string, data []byte) ([]Entry, error) {
	entries, problems, err := parseSheet(name, data)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, &InvalidError{Problems: problems}
	}
	return entries, nil
}

func parseSheet(name string, data []byte) ([]Entry, []Problem, error) {
	g, err := readGrid(name, data)
	if err != nil {
		return nil, nil, err
	}
	hi, h, ok := findHeader(g)
	if !ok {
		return nil, nil, fileProblem("没有找到表头：前 10 行中需要有一行包含“单位名称”和“类型”（各列见模板）")
	}
	problems := duplicateColumns(g[hi])
	var entries []Entry
	for _, r := range g[hi+1:] {
		if p, bad := fieldCount(g[hi], r); bad {
			problems = append(problems, p)
		}
		e, ps := parseEntry(h, r)
		problems = append(problems, ps...)
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		return nil, nil, fileProblem("表头下面没有任何单位")
	}
	if len(entries) > MaxRows {
		return nil, nil, fileProblem(fmt.Sprintf("单位太多（%d 个，最多 %d 个）", len(entries), MaxRows))
	}
	return entries, problems, nil
}

// fieldCount reports a CSV line whose number of fields differs from the
// header's: a comma inside a cell that was not quoted, or one missing,
// shifts every value after it into the wrong column.
func fieldCount(header, r row) (Problem, bool) {
	if !r.csv {
		return Problem{}, false
	}
	n, want := len(r.cells), len(header.cells)
	if n == want {
		return Problem{}, false
	}
	return Problem{Row: r.num, Reason: fmt.Sprintf("这一行有 %d 列，表头有 %d 列：可能是单元格里的逗号没有用双引号括起来，或少了逗号", n, want)}, true
}

// Diff is one changed field of a unit.
type Diff struct {
	Field string // column title
	Old   string
	New   string
}

// Change is a unit the import adds or updates.
type Change struct {
	Row  int           // the sheet row it comes from
	Unit campaign.Unit // as it will be stored; chats carry the new keys
	New  bool
	// Diffs lists what changes (for an added unit: every field it sets).
	// A webhook key appears only as 已设置/已更新, never its value.
	Diffs []Diff
	// Bind and Unbind are the chat ids to bind to and unbind from the unit.
	Bind, Unbind []string
}

// plan is what an import will do.
type plan struct {
	changes   []Change
	unchanged int
}

// current is the stored state an import is planned against.
type current struct {
	units []campaign.Unit // in id order
	byID  map[string]campaign.Unit
	chats map[string][]string // unit id → bound chat ids (sorted)
}

func loadCurrent(tx store.Tx) (*current, error) {
	units, err := store.Roster(tx)
	if err != nil {
		return nil, err
	}
	c := &current{units: units, byID: map[string]campaign.Unit{}, chats: map[string][]string{}}
	for _, u := range units {
		c.byID[u.ID] = u
		chats, err := store.ChatsOfUnit(tx, u.ID)
		if err != nil {
			return nil, err
		}
		c.chats[u.ID] = chats
	}
	return c, nil
}

// makePlan checks the entries against each other and against the stored
// roster, and works out the changes. keyOf returns a chat's stored webhook
// key ("" when none).
func makePlan(entries []Entry, cur *current, keyOf func(chatID string) (string, error)) (*plan, []Problem, error) {
	var problems []Problem
	bad := func(row int, c column, format string, a ...any) {
		problems = append(problems, Problem{Row: row, Column: Columns[c], Reason: fmt.Sprintf(format, a...)})
	}

	// Ids: from the sheet, or from the stored unit of the same name.
	storedByName := map[string]campaign.Unit{}
	for _, u := range cur.units {
		storedByName[u.Name] = u
	}
	rowOfID := map[string]int{}
	var valid []*Entry
	for i := range entries {
		e := &entries[i]
		if e.ID == "" {
			u, ok := storedByName[e.Name]
			if !ok || e.Name == "" {
				if e.Name != "" {
					bad(e.Row, colID, "缺少单位编号（新单位必须填写；系统中已有的单位可以只写名称）")
				}
				continue
			}
			e.ID = u.ID
		}
		if prev, dup := rowOfID[e.ID]; dup {
			bad(e.Row, colID, "单位编号“%s”与第 %d 行重复", e.ID, prev)
			continue
		}
		rowOfID[e.ID] = e.Row
		valid = append(valid, e)
	}

	// The roster after the import: stored units overlaid by the sheet.
	final := map[string]campaign.Unit{}
	for _, u := range cur.units {
		final[u.ID] = u
	}
	for _, e := range valid {
		final[e.ID] = campaign.Unit{ID: e.ID, Name: e.Name, Kind: e.Kind, Category: e.Category}
	}
	ids := make([]string, 0, len(final))
	for id := range final {
		ids = append(ids, id)
	}
	sort.Strings(ids)

	// Names are unique across the final roster.
	nameOwner := map[string]string{} // name → id
	for _, e := range valid {
		if e.Name == "" {
			continue
		}
		if other, dup := nameOwner[e.Name]; dup {
			bad(e.Row, colName, "单位名称“%s”与第 %d 行重复", clip(e.Name), rowOfID[other])
			continue
		}
		nameOwner[e.Name] = e.ID
	}
	for _, id := range ids {
		if _, inSheet := rowOfID[id]; inSheet {
			continue
		}
		u := final[id]
		if other, clash := nameOwner[u.Name]; clash {
			bad(rowOfID[other], colName, "单位名称“%s”与系统中已有的单位（编号 %s）重复", clip(u.Name), u.ID)
		}
	}

	// Sectors: by id or by name, among the final roster.
	sectorOf := func(ref string) (campaign.Unit, bool) {
		if u, ok := final[ref]; ok {
			return u, true
		}
		for _, id := range ids {
			if final[id].Name == ref {
				return final[id], true
			}
		}
		return campaign.Unit{}, false
	}
	sectorID := map[string]string{} // entry id → resolved sector id
	for _, e := range valid {
		if e.Sector == "" || e.Kind == campaign.KindSector {
			continue
		}
		s, ok := sectorOf(e.Sector)
		switch {
		case !ok:
			bad(e.Row, colSector, "所属板块“%s”不存在（须是本表或系统中已有的板块，填名称或编号）", clip(e.Sector))
		case s.Kind != campaign.KindSector:
			bad(e.Row, colSector, "“%s”是%s，不是板块", clip(e.Sector), s.Kind.Label())
		default:
			sectorID[e.ID] = s.ID
		}
	}
	// A stored unit outside the sheet must not lose its sector.
	for _, e := range valid {
		old, existed := cur.byID[e.ID]
		if !existed || old.Kind != campaign.KindSector || e.Kind == campaign.KindSector {
			continue
		}
		var members []string
		for _, u := range cur.units {
			if _, inSheet := rowOfID[u.ID]; !inSheet && u.Sector == e.ID {
				members = append(members, u.Name)
			}
		}
		if len(members) > 0 {
			bad(e.Row, colKind, "改为%s后，仍有单位属于这个板块：%s", e.Kind.Label(), strings.Join(members, "、"))
		}
	}
	if len(problems) > 0 {
		return nil, problems, nil
	}

	label := func(id string) string {
		if u, ok := final[id]; ok && id != "" {
			return u.Name
		}
		return id
	}
	p := &plan{}
	for _, e := range valid {
		ch, err := change(e, sectorID[e.ID], cur, label, keyOf)
		if err != nil {
			return nil, nil, err
		}
		if !ch.New && len(ch.Diffs) == 0 {
			p.unchanged++
			continue
		}
		p.changes = append(p.changes, ch)
	}
	return p, nil, nil
}

// change works out how one entry changes its unit.
// label names a unit by id (for the sector column).
func change(e *Entry, sector string, cur *current, label func(string) string, keyOf func(string) (string, error)) (Change, error) {
	old, existed := cur.byID[e.ID]
	oldChats := cur.chats[e.ID]
	u := campaign.Unit{ID: e.ID, Name: e.Name, Kind: e.Kind, Sector: sector, Category: e.Category, Officers: e.Officers}
	if e.Officers == nil {
		u.Officers = old.Officers
	}
	u.OfficerInfo = officerInfo(u.Officers, e.People, old.OfficerInfo)
	u.Contact = old.Contact
	if e.Contact != nil {
		u.Contact = e.Contact
		if *e.Contact == (campaign.Person{}) {
			u.Contact = nil
		}
	}
	chats := e.Chats
	if chats == nil {
		chats = oldChats
	}
	for _, c := range chats {
		ch := campaign.Chat{ID: c}
		if len(e.Chats) == 1 && c == e.Chats[0] {
			ch.WebhookKey = e.WebhookKey
		}
		u.Chats = append(u.Chats, ch)
	}
	ch := Change{Row: e.Row, Unit: u, New: !existed}
	diff := func(field, o, n string) {
		if o != n {
			ch.Diffs = append(ch.Diffs, Diff{Field: field, Old: o, New: n})
		}
	}
	diff(Columns[colName], old.Name, u.Name)
	diff(Columns[colKind], kindLabel(old.Kind), kindLabel(u.Kind))
	diff(Columns[colSector], label(old.Sector), label(u.Sector))
	diff(Columns[colCategory], string(old.Category), string(u.Category))
	diff(Columns[colOfficers], officersText(old), officersText(u))
	diff(Columns[colContact], contactText(old.Contact), contactText(u.Contact))
	newChats := slices.Sorted(slices.Values(chats))
	diff(Columns[colChats], strings.Join(oldChats, "、"), strings.Join(newChats, "、"))
	for _, c := range newChats {
		if !slices.Contains(oldChats, c) {
			ch.Bind = append(ch.Bind, c)
		}
	}
	for _, c := range oldChats {
		if !slices.Contains(newChats, c) {
			ch.Unbind = append(ch.Unbind, c)
		}
	}
	if key := e.WebhookKey.Reveal(); key != "" {
		stored, err := keyOf(e.Chats[0])
		if err != nil {
			return ch, err
		}
		switch {
		case stored == "":
			ch.Diffs = append(ch.Diffs, Diff{Field: Columns[colWebhookKey], New: "已设置"})
		case stored != key:
			ch.Diffs = append(ch.Diffs, Diff{Field: Columns[colWebhookKey], Old: "原 key", New: "已更新"})
		}
	}
	return ch, nil
}

func kindLabel(k campaign.Kind) string {
	if k == "" {
		return ""
	}
	return k.Label()
}

// storedKey reads a chat's webhook key, "" when none.
func storedKey(tx store.Tx) func(string) (string, error) {
	return func(chatID string) (string, error) {
		k, err := store.WebhookKey(tx, chatID)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		return k, err
	}
}

// officerInfo is what is known of each officer: the sheet's name and
// phone, else the stored ones.
func officerInfo(ids []string, sheet, stored []campaign.Person) []campaign.Person {
	if len(sheet) == 0 && len(stored) == 0 {
		return nil
	}
	out := make([]campaign.Person, len(ids))
	for i, id := range ids {
		out[i] = campaign.Person{ID: id}
		for _, list := range [][]campaign.Person{stored, sheet} {
			for _, p := range list {
				if p.ID == id {
					out[i] = p
				}
			}
		}
	}
	return out
}

// officersText lists a unit's officers as the sheet writes them.
func officersText(u campaign.Unit) string {
	var parts []string
	for _, p := range u.OfficerPeople() {
		s := p.ID
		if info := strings.TrimSpace(p.Name + " " + p.Phone); info != "" {
			s += "（" + strings.ReplaceAll(info, " ", "，") + "）"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "、")
}

func contactText(p *campaign.Person) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(p.Name + " " + p.Phone)
}
