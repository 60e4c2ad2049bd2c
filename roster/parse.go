package roster

import (
	"fmt"
	"strings"
	"unicode"

	"firebot/campaign"
)

// column is one of the roster sheet's columns.
type column int

const (
	colID column = iota
	colName
	colKind
	colSector
	colCategory
	colOfficers
	colChats
	colWebhookKey
	colContact
	colContactPhone
	numColumns
)

// Columns are the column titles of the roster sheet, in template order.
var Columns = [numColumns]string{"单位编号", "单位名称", "类型", "所属板块", "类别", "安全员", "群聊ID", "群机器人key", "联系人", "联系电话"}

// headerAliases maps normalised header titles to columns; see normHeader.
var headerAliases = map[string]column{
	"单位编号": colID, "编号": colID, "单位id": colID, "id": colID,
	"单位名称": colName, "名称": colName,
	"类型": colKind, "单位类型": colKind,
	"所属板块": colSector, "板块": colSector,
	"类别": colCategory, "单位类别": colCategory, "行业类别": colCategory,
	"安全员": colOfficers, "安全员账号": colOfficers, "安全员id": colOfficers,
	"群聊id": colChats, "群聊": colChats, "群id": colChats,
	"群机器人key": colWebhookKey, "机器人key": colWebhookKey, "webhookkey": colWebhookKey,
	"key": colWebhookKey, "群机器人": colWebhookKey,
	"联系人": colContact, "联系人姓名": colContact,
	"联系电话": colContactPhone, "联系人电话": colContactPhone, "电话": colContactPhone,
}

// normHeader lowercases a header title and drops spaces and any remark in
// parentheses, so "群聊 ID（选填）" reads as "群聊id".
func normHeader(s string) string {
	s = cleanCell(s)
	for _, open := range []string{"（", "("} {
		if i := strings.Index(s, open); i > 0 {
			s = s[:i]
		}
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '*' || r == '＊' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return s
}

// cleanCell trims spaces (also full-width and non-breaking ones) and
// invisible marks that spreadsheets leave around values.
func cleanCell(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' || r == '\u00A0'
	})
}

// header maps a column to its cell index, or -1 when the sheet lacks it.
type header [numColumns]int

// findHeader returns the index in g of the header row: the first of the
// leading rows that has both a 单位名称 and a 类型 column.
func findHeader(g grid) (int, header, bool) {
	for i := 0; i < len(g) && i < headerSearchRows; i++ {
		var h header
		for c := range h {
			h[c] = -1
		}
		for j, cell := range g[i].cells {
			if c, ok := headerAliases[normHeader(cell)]; ok && h[c] < 0 {
				h[c] = j
			}
		}
		if h[colName] >= 0 && h[colKind] >= 0 {
			return i, h, true
		}
	}
	return 0, header{}, false
}

// duplicateColumns reports header titles that name a column twice.
func duplicateColumns(r row) []Problem {
	seen := map[column]string{}
	var out []Problem
	for _, cell := range r.cells {
		c, ok := headerAliases[normHeader(cell)]
		if !ok {
			continue
		}
		if prev, dup := seen[c]; dup {
			out = append(out, Problem{Row: r.num, Column: Columns[c], Reason: fmt.Sprintf("表头“%s”与“%s”是同一列，只能出现一次", cleanCell(cell), prev)})
			continue
		}
		seen[c] = cleanCell(cell)
	}
	return out
}

// Entry is one data row of the sheet, parsed and checked on its own.
type Entry struct {
	Row      int // row number in the sheet
	ID       string
	Name     string
	Kind     campaign.Kind
	Sector   string // as written: a sector's id or name
	Category campaign.Category
	// Officers and Chats are nil when the cell was left empty (keep what
	// is stored) and empty but non-nil when it says 无 (clear).
	Officers   []string
	Chats      []string
	WebhookKey campaign.Secret
	// People are the officers written with a name or phone,
	// "chener（陈二，13800000002）"; Contact is 联系人/联系电话 (nil when
	// both are empty: keep what is stored).
	People  []campaign.Person
	Contact *campaign.Person
}

// noneWords clear a list column.
var noneWords = map[string]bool{"无": true, "没有": true, "-": true, "—": true, "／": true, "/": true}

// parseEntry reads one data row; it returns the problems of the row alone
// (what needs no knowledge of other rows or of the store).
func parseEntry(h header, r row) (Entry, []Problem) {
	cell := func(c column) string {
		if i := h[c]; i >= 0 && i < len(r.cells) {
			return cleanCell(r.cells[i])
		}
		return ""
	}
	e := Entry{Row: r.num, ID: cell(colID), Name: cell(colName), Sector: cell(colSector)}
	var ps []Problem
	bad := func(c column, format string, a ...any) {
		ps = append(ps, Problem{Row: r.num, Column: Columns[c], Reason: fmt.Sprintf(format, a...)})
	}
	if e.ID != "" && !validID(e.ID) {
		bad(colID, "单位编号“%s”只能由英文字母、数字、_、-、. 组成", clip(e.ID))
	}
	if e.Name == "" {
		bad(colName, "缺少单位名称")
	}
	kindText := cell(colKind)
	if kind, ok := parseKind(kindText); ok {
		e.Kind = kind
	} else if kindText == "" {
		bad(colKind, "缺少类型（可选：%s）", kindChoices())
	} else {
		bad(colKind, "未知的类型“%s”（可选：%s）", clip(kindText), kindChoices())
	}
	e.Category = campaign.Category(cell(colCategory))
	switch {
	case e.Category != "" && !e.Category.Valid():
		bad(colCategory, "未知的类别“%s”（可选：%s）", clip(string(e.Category)), categoryChoices())
	case e.Kind == campaign.KindOrganisation && e.Category == "":
		bad(colCategory, "社会单位必须填写类别（可选：%s）", categoryChoices())
	case e.Kind != "" && e.Kind != campaign.KindOrganisation && e.Category != "":
		bad(colCategory, "只有社会单位填写类别，%s不填", e.Kind.Label())
	}
	if e.Kind == campaign.KindSector && e.Sector != "" {
		bad(colSector, "板块本身不属于其他板块，请留空")
	}
	if text := cell(colOfficers); text != "" {
		e.Officers = []string{}
		if !noneWords[text] {
			for _, item := range splitOfficers(text) {
				p := parseOfficer(item)
				o := p.ID
				if !validUserID(o) {
					bad(colOfficers, "安全员“%s”不是有效的企业微信账号（账号由字母、数字和 _ - @ . 组成，请填写账号而不是姓名，姓名写在账号后的括号里）", clip(o))
					continue
				}
				e.Officers = appendUnique(e.Officers, o)
				if p.Name != "" || p.Phone != "" {
					e.People = append(e.People, p)
				}
			}
		}
	}
	if name, phone := cell(colContact), cell(colContactPhone); name != "" || phone != "" {
		e.Contact = &campaign.Person{Name: name, Phone: phone}
		if noneWords[name] && phone == "" {
			e.Contact = &campaign.Person{} // 无: clear
		}
	}
	if text := cell(colChats); text != "" {
		e.Chats = []string{}
		if !noneWords[text] {
			for _, c := range splitList(text) {
				if !validChatID(c) {
					bad(colChats, "群聊ID“%s”格式不对（只能由字母、数字和 _ - . 组成）", clip(c))
					continue
				}
				e.Chats = appendUnique(e.Chats, c)
			}
		}
	}
	if text := cell(colWebhookKey); text != "" && !noneWords[text] {
		key, ok := parseWebhookKey(text)
		switch {
		case !ok:
			// The value is a credential: never echo it.
			bad(colWebhookKey, "群机器人key格式不对（应为机器人地址中 key= 后面的部分，或整个机器人地址）")
		case len(e.Chats) != 1:
			bad(colWebhookKey, "填写了群机器人key时，群聊ID必须恰好填写一个群")
		default:
			e.WebhookKey = campaign.Secret(key)
		}
	}
	return e, ps
}

// parseKind accepts the Chinese labels and the configuration's English
// values.
func parseKind(s string) (campaign.Kind, bool) {
	switch strings.ToLower(s) {
	case "板块", "sector":
		return campaign.KindSector, true
	case "社区", "community":
		return campaign.KindCommunity, true
	case "社会单位", "单位", "organisation", "organization":
		return campaign.KindOrganisation, true
	}
	return "", false
}

func kindChoices() string {
	var names []string
	for _, k := range campaign.Kinds() {
		names = append(names, k.Label())
	}
	return strings.Join(names, "、")
}

func categoryChoices() string {
	var names []string
	for _, c := range campaign.Categories() {
		names = append(names, string(c))
	}
	return strings.Join(names, "、")
}

// splitList splits a cell listing several values at 、，,；; or spaces.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' || r == '|' || unicode.IsSpace(r)
	})
}

// splitOfficers splits the 安全员 cell like splitList, except inside
// parentheses: "wangxiao、chener（陈二，13800000002）".
func splitOfficers(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch {
		case r == '(' || r == '（':
			depth++
		case (r == ')' || r == '）') && depth > 0:
			depth--
		case depth == 0 && unicode.IsSpace(r) && strings.HasPrefix(strings.TrimLeftFunc(s[i:], unicode.IsSpace), "(") ||
			depth == 0 && unicode.IsSpace(r) && strings.HasPrefix(strings.TrimLeftFunc(s[i:], unicode.IsSpace), "（"):
			// "b (乙)": the parentheses belong to b
		case depth == 0 && (r == '、' || r == ',' || r == '，' || r == ';' || r == '；' || r == '|' || unicode.IsSpace(r)):
			if t := strings.TrimSpace(s[start:i]); t != "" {
				out = append(out, t)
			}
			start = i + len(string(r))
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

// parseOfficer reads "id" or "id（姓名，电话）" (either parentheses; name and
// phone separated by a comma or space, the phone being the part of digits).
func parseOfficer(item string) campaign.Person {
	i := strings.IndexAny(item, "(（")
	if i < 0 {
		return campaign.Person{ID: item}
	}
	p := campaign.Person{ID: strings.TrimSpace(item[:i])}
	inner := strings.TrimRight(item[i:], ")）")
	inner = strings.TrimLeft(inner, "(（")
	for _, part := range splitList(inner) {
		if isPhone(part) {
			p.Phone = part
		} else if p.Name == "" {
			p.Name = part
		}
	}
	return p
}

func isPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' || r == '+':
		default:
			return false
		}
	}
	return digits >= 5
}

func appendUnique(list []string, s string) []string {
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	const limit = 30
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}
