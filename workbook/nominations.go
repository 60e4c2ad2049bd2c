package workbook

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
)

// The nominations list (志愿者推荐) has one line per active nomination with
// every field, the deeds in full, and the 逾期 and under-minimum-years flags;
// each nomination also gets its own 推荐表 sheet laid out like the paper form.
// A district workbook's list has every street's, with a 街道 column first
// and each id shown with its street (解放碑街道 TJ-0001).
type nominationSheet struct {
	*sheet
	e        *exporter // the first (or only) street's, for the header
	district bool
	names    map[string]bool // form sheet names taken
	forms    []form          // written by writeForms, in record id order
}

// form is a 推荐表 sheet to write; order is its street's place in a
// district (0 alone).
type form struct {
	name  string
	x     nomination
	order int
}

const redacted = "（已按保留期限删除）"

func (n *nominationSheet) cols() []column {
	id := column{"编号", 10}
	var street []column
	if n.district {
		street, id = []column{{"街道", 14}}, column{"编号", 22}
	}
	return append(street, []column{
		id, {"推荐单位", 24}, {"板块", 12}, {"类型", 8}, {"名称", 16}, {"所在单位", 24},
		{"从事消防公益服务年限", 12}, {"年限说明", 20}, {"推荐范围", 16}, {"事迹材料", 80}, {"事迹字数", 9},
		{"联系电话", 15}, {"推荐人", 12}, {"代录人", 10}, {"提交时间", 17},
		{"逾期", 7}, {n.e.underTitle(), 9}, {"推荐表", 28},
	}...)
}

func (e *exporter) underTitle() string {
	return fmt.Sprintf("不满%d年", e.minYears())
}

func (e *exporter) minYears() int {
	if e.c.Nomination != nil {
		return e.c.Nomination.MinYears
	}
	return 0
}

// newNominationSheet starts the list; district adds the 街道 column.
func newNominationSheet(e *exporter, district bool) (*nominationSheet, error) {
	s, err := newSheet(e.f, SheetNominations, landscape, 1)
	if err != nil {
		return nil, err
	}
	n := &nominationSheet{sheet: s, e: e, district: district, names: map[string]bool{}}
	cols := n.cols()
	if err := s.widths(cols); err != nil {
		return nil, err
	}
	frozen := 1
	if district {
		frozen = 2
	}
	if err := s.freeze(frozen, 1); err != nil {
		return nil, err
	}
	return n, s.header(e.st.header, cols)
}

// nomination is one decoded nomination with what the sheets show of it;
// e is the exporter of its street (campaign, zone, names).
type nomination struct {
	e           *exporter
	r           *store.Record
	n           ledger.Nomination
	unit        campaign.Unit
	kind        string // 最美消防志愿个人 / 最美消防志愿集体
	scope       string // "2. 宣传教育培训"
	scopeText   string
	under       bool
	deeds       string
	phone       string
	recommender string
	enteredBy   string
}

// id is the record id as shown: with the street in a district workbook.
func (x nomination) id() string {
	if x.e.street != "" {
		return x.e.street + " " + x.r.ID
	}
	return x.r.ID
}

func (e *exporter) decodeNomination(r *store.Record, u campaign.Unit) nomination {
	pay, err := ledger.DecodeNomination(r)
	if err != nil {
		e.opts.logger().Warn("unreadable record", "street", e.street, "id", r.ID, "err", err)
	}
	x := nomination{e: e, r: r, n: pay, unit: u, deeds: pay.Deeds, phone: pay.Phone, recommender: pay.RecommenderName}
	title := "最美消防志愿"
	if c := e.c.Nomination; c != nil && c.Title != "" {
		title = strings.TrimSuffix(c.Title, "者")
	}
	x.kind = title + pay.NomineeKind
	if c := e.c.Nomination; c != nil && pay.Scope >= 1 && pay.Scope <= len(c.Scopes) {
		sc := c.Scopes[pay.Scope-1]
		x.scope = fmt.Sprintf("%d. %s", pay.Scope, sc.Label)
		x.scopeText = sc.Text
	} else if pay.Scope > 0 {
		x.scope = fmt.Sprintf("%d", pay.Scope)
	}
	x.under = pay.UnderYears || (e.minYears() > 0 && pay.Years < e.minYears())
	if pay.Redacted {
		x.deeds, x.phone = redacted, redacted
	}
	x.recommender = e.nameOf(pay.RecommenderID, pay.RecommenderName)
	x.enteredBy = e.nameOf(pay.EnteredBy, "")
	return x
}

func yes(b bool) string {
	if b {
		return "是"
	}
	return ""
}

// add writes the unit's active nominations and their forms.
func (n *nominationSheet) add(p ledger.UnitProgress) error {
	for _, r := range p.Nominations {
		if err := n.put(n.e.decodeNomination(r, p.Unit), 0); err != nil {
			return err
		}
	}
	return nil
}

// put writes x's line and names its form; order is its street's place in
// a district.
func (n *nominationSheet) put(x nomination, order int) error {
	e, st := x.e, x.e.st
	name := n.formName(x)
	flag := func(b bool) any { return cell(st.flag, yes(b)) }
	var row []any
	if n.district {
		row = append(row, e.street)
	}
	row = append(row, x.id(), x.unit.Name, e.sectorOf(x.unit), x.n.NomineeKind, x.n.Name, x.n.Affiliation,
		cell(st.number, x.n.Years), cell(st.wrap, x.n.YearsReason), x.scope,
		cell(st.wrap, x.deeds), cell(st.number, utf8.RuneCountInString(x.n.Deeds)),
		x.phone, x.recommender, x.enteredBy, e.timeCell(x.r.CreatedAt),
		flag(x.n.Late), flag(x.under), name)
	if err := n.sheet.add(st.text, 0, row...); err != nil {
		return err
	}
	n.forms = append(n.forms, form{name: name, x: x, order: order})
	return nil
}

// writeForms writes the 推荐表 sheets in record id order (TJ-0001,
// TJ-0002…), whichever unit each came from; a district's street by street.
func (n *nominationSheet) writeForms() error {
	num := func(id string) uint64 { _, k, _ := store.ParseID(id); return k }
	sort.SliceStable(n.forms, func(i, j int) bool {
		a, b := n.forms[i], n.forms[j]
		if a.order != b.order {
			return a.order < b.order
		}
		return num(a.x.r.ID) < num(b.x.r.ID)
	})
	for _, f := range n.forms {
		if err := n.writeForm(f.name, f.x); err != nil {
			return err
		}
	}
	return nil
}

// sheetSafe drops what a sheet name may not hold.
func sheetSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) || r < ' ' {
			return -1
		}
		return r
	}, s)
}

// maxStreetInName is how much of a street's name a form's sheet name
// keeps, so that the id always fits in Excel's 31 characters.
const maxStreetInName = 8

// formName is a unique, valid sheet name for a nomination's form:
// 推荐表-TJ-0001-张三, or in a district 推荐表-解放碑-TJ-0001-张三 (the
// street without 街道, at most maxStreetInName characters), cut to
// Excel's 31 characters; a name already taken gets -2, -3….
func (n *nominationSheet) formName(x nomination) string {
	cut := func(s string, n int) string {
		if r := []rune(s); len(r) > n {
			return string(r[:n])
		}
		return s
	}
	base := FormSheetPrefix + "-" + x.r.ID
	if street := cut(sheetSafe(strings.TrimSuffix(x.e.street, "街道")), maxStreetInName); street != "" {
		base = FormSheetPrefix + "-" + street + "-" + x.r.ID
	}
	name := sheetSafe(x.n.Name)
	named := base
	if name != "" {
		named += "-" + name
	}
	full := cut(named, 31)
	for i := 2; n.names[full]; i++ { // taken: the same cut of another street's
		suffix := fmt.Sprintf("-%d", i)
		full = cut(named, 31-len(suffix)) + suffix
	}
	n.names[full] = true
	return full
}

// Form layout: four columns, label | value | label | value.
var formCols = []column{{"", 18}, {"", 30}, {"", 18}, {"", 30}}

// formValueWidth is the width of a value merged over columns B to D.
const formValueWidth = 30 + 18 + 30

// writeForm writes one 推荐表 sheet, streamed and closed at once.
func (n *nominationSheet) writeForm(name string, x nomination) error {
	e := x.e
	if _, err := e.f.NewSheet(name); err != nil {
		return err
	}
	s, err := newSheet(e.f, name, portrait, 0)
	if err != nil {
		return err
	}
	if err := s.widths(formCols); err != nil {
		return err
	}
	st := e.st
	title := "最美消防志愿者"
	if c := e.c.Nomination; c != nil && c.Title != "" {
		title = c.Title
	}
	L := func(v string) any { return cell(st.formLabel, v) }
	V := func(v any) any { return cell(st.formValue, v) }
	wide := func(label string, value string, height float64) error {
		if height == 0 {
			height = max(wrappedHeight(value, formValueWidth), 22)
		}
		if err := s.add(st.formValue, height, L(label), V(value), V(""), V("")); err != nil {
			return err
		}
		return s.merge(2, s.row, 4, s.row)
	}

	if err := s.add(st.formTitle, 36, cell(st.formTitle, title+"推荐表")); err != nil {
		return err
	}
	if err := s.merge(1, 1, 4, 1); err != nil {
		return err
	}
	info := fmt.Sprintf("编号：%s　推荐单位：%s　提交时间：%s", x.id(), x.unit.Name, e.when(x.r.CreatedAt))
	if err := s.add(st.note, 20, cell(st.note, info)); err != nil {
		return err
	}
	if err := s.merge(1, 2, 4, 2); err != nil {
		return err
	}
	years := fmt.Sprintf("%d年", x.n.Years)
	nameLabel := "姓名"
	if x.n.NomineeKind == string(campaign.NomineeCollective) {
		nameLabel = "集体名称"
	}
	rows := [][]any{
		{L("推荐类别"), V(x.kind), L("从事消防公益服务年限"), V(years)},
		{L(nameLabel), V(x.n.Name), L("联系电话"), V(x.phone)},
	}
	for _, r := range rows {
		if err := s.add(st.formValue, 24, r...); err != nil {
			return err
		}
	}
	scope := x.scope
	if x.scopeText != "" {
		scope += "：" + x.scopeText
	}
	reason := x.n.YearsReason
	if reason == "" {
		reason = "—"
	}
	var flags []string
	if x.n.Late {
		flags = append(flags, "逾期")
	}
	if x.under {
		flags = append(flags, e.underTitle())
	}
	if len(flags) == 0 {
		flags = []string{"无"}
	}
	for _, w := range []struct {
		label, value string
		height       float64
	}{
		{"所在单位", x.n.Affiliation, 0},
		{"推荐范围", scope, 0},
		{"年限说明", reason, 0},
		{fmt.Sprintf("简要事迹材料\n（%d字）", utf8.RuneCountInString(x.n.Deeds)), x.deeds, 0},
	} {
		if err := wide(w.label, w.value, w.height); err != nil {
			return err
		}
	}
	if err := s.add(st.formValue, 24, L("推荐人"), V(x.recommender), L("代录人"), V(x.enteredBy)); err != nil {
		return err
	}
	for _, w := range []struct{ label, value string }{
		{"标记", strings.Join(flags, "；")},
		{"推荐单位意见", "\n\n（盖章）　　　　年　　月　　日"},
		{"街道审核意见", "\n\n（盖章）　　　　年　　月　　日"},
	} {
		h := 0.0
		if w.label != "标记" {
			h = 70
		}
		if err := wide(w.label, w.value, h); err != nil {
			return err
		}
	}
	return s.flush()
}
