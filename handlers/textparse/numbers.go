package textparse

import "strings"

// The numbers of a free-text report and what each one counts: people
// (人, 名, 位, 人次, 个 when people are meant), households (户), publicity
// materials (条, 张, 块, 幅, 处, 个 after a material) or something that is
// not a count at all (minutes, vehicles, buildings, classes, leaflets,
// instructors).

// Role is what a number in a report counts.
type Role int

const (
	RoleNone       Role = iota // a bare number: people only if nothing else is
	RolePeople                 // 80人, 八十名, 87个 (registrations)
	RoleHouseholds             // 60户
	RoleMaterials              // 横幅5条, 1块LED屏, 一共4处
	RoleOther                  // 5分钟, 3台, 32个班级, 300份, 2名教官
)

// Number is one number of a report with its role.
type Number struct {
	Value   int
	Role    Role
	Text    string // as written with its unit and total word: 共92人
	Context string // the words before it in its clause: 走疏散通道
	Kind    string // a material's kind (横幅, LED屏…)
	Total   bool   // a total over parts: 共, 一共, 合计…
	Correct bool   // a correction: 不对，是…, 应该是, 改成…
	Dropped bool   // negated (不是80, 80人不对) or replaced by a correction
	Approx  bool   // 约, 多, 余, 来, 左右…
	Labeled bool   // after a label such as 参加人数, 注册了
	Weak    bool   // 个 or a bare number: people only when nothing says 人
	Bare    bool   // no unit and no label at all: 80
	start   int
	end     int
}

var (
	peopleUnits    = []string{"人次", "个人", "号人", "人", "名", "位"}
	householdUnits = []string{"户"}
	materialUnits  = []string{"条", "张", "块", "幅", "面", "处", "副", "座"}
	otherUnits     = []string{
		"分钟", "小时", "分", "秒", "辆", "台", "栋", "幢", "单元", "个班级", "个年级", "班级", "年级", "个班",
		"份", "家", "层", "楼", "次", "场", "天", "岁", "元", "米", "号", "点", "时", "周", "遍", "项",
		"所", "支", "队", "期", "间", "箱", "瓶", "具", "组", "本", "册", "套", "样", "种", "节", "课",
	}
	// instructors follow a people unit but are not participants (2名教官).
	instructorWords = []string{"教官", "消防员", "讲师", "专家", "教练", "民警", "老师授课", "老师讲", "队员指导", "指导员"}
	// leafletWords before a number make it a count of leaflets, not materials.
	leafletWords = []string{"传单", "资料", "宣传单", "折页", "手册", "宣传册", "单页"}
	totalWords   = []string{"一共", "总共", "合计", "共计", "总计", "累计", "共有", "总人数", "总数", "共"}
	fixWords     = []string{"不对", "应该是", "应是", "应为", "改成", "改为", "更正", "纠正", "说错了", "错了"}
	approxBefore = []string{"大约", "大概", "差不多", "约", "近", "将近"}
	approxAfter  = []string{"余", "多", "来", "几"}
	// subsetWords make a number part of one already counted (其中党员12人)
	// or not what happened (应到50人, 计划80人).
	subsetWords  = []string{"其中", "应到", "应参加", "计划", "预计", "原定"}
	peopleLabels = []string{
		"人数", "人次", "参加", "参与", "参训", "参演", "参会", "到场", "注册了", "注册", "注册数", "注册数量",
		"来了", "学员", "一共", "总共", "合计", "共计", "总计", "共", "大约", "约", "大概", "差不多", "出席", "到会", "参加者", "参与者",
	}
)

// materialKinds maps the words for publicity materials to their kind.
var materialKinds = []struct{ word, kind string }{
	{"夜间巡逻喊话", "夜间巡逻喊话"}, {"巡逻喊话", "夜间巡逻喊话"}, {"喊话", "夜间巡逻喊话"},
	{"led屏", "LED屏"}, {"led", "LED屏"}, {"电子屏", "LED屏"}, {"显示屏", "LED屏"}, {"大屏", "LED屏"}, {"屏", "LED屏"},
	{"宣传栏", "宣传栏"}, {"灯箱", "灯箱"}, {"广告牌", "广告牌"}, {"横幅", "横幅"}, {"海报", "海报"},
}

type kindAt struct {
	kind       string
	start, end int
}

// findKinds lists the material words of rs in order, longest word first
// at each place.
func findKinds(rs []rune) []kindAt {
	var out []kindAt
	for i := 0; i < len(rs); {
		hit := false
		for _, mk := range materialKinds {
			if hasPrefixAt(rs, i, mk.word) {
				n := len([]rune(mk.word))
				out = append(out, kindAt{mk.kind, i, i + n})
				i += n
				hit = true
				break
			}
		}
		if !hit {
			i++
		}
	}
	return out
}

// isBoundary ends a clause: punctuation or space.
func isBoundary(r rune) bool { return isSpaceOrPunct(r) }

// readNumbers finds every number of rs that can be a count, with its role.
func readNumbers(rs []rune, kinds []kindAt, covered []bool) []Number {
	var out []Number
	prevEnd := 0
	c := counts{rs: rs, covered: covered}
	for {
		start, end, v, ok := c.next()
		if !ok {
			break
		}
		if start > 0 && (isASCIILetter(rs[start-1]) || rs[start-1] == '.' || rs[start-1] == '/') {
			continue
		}
		if isASCIIDigit(rs[start]) && end-start >= 7 {
			continue // a phone number
		}
		n := Number{Value: v, start: start}
		k := end
		for k < len(rs) && isSpace(rs[k]) && k-end < 1 {
			k++
		}
		if w := matchWordAt(rs, k, approxAfter); w > 0 {
			n.Approx = true
			k += w
		}
		unitEnd := k
		switch {
		case matchWordAt(rs, k, peopleUnits) > 0:
			n.Role = RolePeople
			unitEnd = k + matchWordAt(rs, k, peopleUnits)
			if matchWordAt(rs, skipSpace(rs, unitEnd), instructorWords) > 0 || followedByWithin(rs, unitEnd, 4, instructorWords) {
				n.Role = RoleOther
			}
		case matchWordAt(rs, k, otherUnits) > 0:
			n.Role = RoleOther
			unitEnd = k + matchWordAt(rs, k, otherUnits)
		case matchWordAt(rs, k, householdUnits) > 0:
			n.Role = RoleHouseholds
			unitEnd = k + 1
		case matchWordAt(rs, k, materialUnits) > 0:
			n.Role = RoleMaterials
			unitEnd = k + 1
		case k < len(rs) && rs[k] == '个':
			unitEnd = k + 1
			next := rune(0)
			if unitEnd < len(rs) {
				next = rs[unitEnd]
			}
			switch {
			case kindBefore(kinds, start, 4) != "":
				n.Role = RoleMaterials
			case next == 0 || isSpaceOrPunct(next) || next < 0x80 || strings.ContainsRune("了参注全都到左来多余", next):
				n.Role, n.Weak = RolePeople, true
			default:
				n.Role = RoleOther // 3个小区, 32个班级
			}
		default:
			if end-start == 1 && !isASCIIDigit(rs[start]) {
				continue // 一 of 统一, 四个一
			}
			n.Role, n.Weak = RoleNone, true
		}
		if hasPrefixAt(rs, unitEnd, "左右") {
			n.Approx = true
			unitEnd += 2
		}
		n.end = unitEnd
		// The clause before the number, back to a boundary or the previous
		// number.
		cs := start
		for cs > prevEnd && !isBoundary(rs[cs-1]) {
			cs--
		}
		n.Context = string(rs[cs:start])
		// A wider window for totals and corrections: back over at most one
		// boundary, never before the previous number.
		ws := cs
		for b := 0; ws > prevEnd && b < 2; {
			if isBoundary(rs[ws-1]) {
				b++
			}
			ws--
		}
		for ws > prevEnd && !isBoundary(rs[ws-1]) {
			ws--
		}
		before := string(rs[ws:start])
		n.Total = containsAny(n.Context, totalWords) && !strings.Contains(n.Context, "公共") && !strings.Contains(n.Context, "其中")
		n.Correct = containsAny(before, fixWords)
		if strings.HasSuffix(strings.TrimRight(before, " ，,、：:"), "不是") {
			n.Dropped = true
		}
		if w := skipSpace(rs, unitEnd); matchWordAt(rs, w, []string{"不对", "有误", "错了", "说错"}) > 0 {
			n.Dropped = true
		}
		if containsAny(n.Context, subsetWords) {
			n.Dropped = true
		}
		if containsSuffixAny(strings.TrimRight(n.Context, " "), approxBefore) || containsAny(n.Context, approxBefore) {
			n.Approx = true
		}
		if n.Role == RoleNone || n.Weak {
			n.Labeled = hasLabelBefore(rs, cs, start)
		}
		if n.Role == RoleNone && n.Labeled {
			n.Role = RolePeople
		}
		if n.Role == RoleNone && isPlainCount(rs, start, end) {
			n.Role, n.Bare = RolePeople, true // the text's lone bare number
		}
		if (n.Role == RoleMaterials || n.Role == RolePeople && n.Weak) && containsAny(n.Context, leafletWords) {
			n.Role = RoleOther
		}
		if n.Role == RoleMaterials {
			n.Kind = kindAfter(rs, kinds, unitEnd, 3)
			if n.Kind == "" {
				n.Kind = kindBefore(kinds, start, 12)
			}
		}
		n.Text = strings.TrimSpace(string(rs[max(cs, start-2):unitEnd]))
		if n.Total {
			n.Text = strings.TrimSpace(string(rs[cs:unitEnd]))
			if len([]rune(n.Text)) > 12 {
				n.Text = string(rs[max(cs, start-4):unitEnd])
			}
		}
		out = append(out, n)
		prevEnd = unitEnd
		c.i = max(c.i, unitEnd)
	}
	// A correction replaces what came before it in the same role.
	for i := range out {
		if !out[i].Correct {
			continue
		}
		for j := 0; j < i; j++ {
			if sameRole(out[j], out[i]) {
				out[j].Dropped = true
			}
		}
	}
	return out
}

func sameRole(a, b Number) bool {
	ra, rb := a.Role, b.Role
	if ra == RoleNone {
		ra = RolePeople
	}
	if rb == RoleNone {
		rb = RolePeople
	}
	return ra == rb
}

func skipSpace(rs []rune, i int) int {
	for i < len(rs) && isSpace(rs[i]) {
		i++
	}
	return i
}

func followedByWithin(rs []rune, i, n int, words []string) bool {
	for k := i; k < len(rs) && k < i+n; k++ {
		if isBoundary(rs[k]) {
			return false
		}
		if matchWordAt(rs, k, words) > 0 {
			return true
		}
	}
	return false
}

func kindBefore(kinds []kindAt, start, within int) string {
	best := ""
	for _, k := range kinds {
		if k.end <= start && start-k.end <= within {
			best = k.kind
		}
	}
	return best
}

// kindAfter finds a material word right after a count (5条横幅), in the
// same clause.
func kindAfter(rs []rune, kinds []kindAt, from, within int) string {
	for _, k := range kinds {
		if k.start >= from && k.start-from <= within {
			for i := from; i < k.start; i++ {
				if isBoundary(rs[i]) {
					return ""
				}
			}
			return k.kind
		}
	}
	return ""
}

func hasLabelBefore(rs []rune, cs, start int) bool {
	k := start
	for k > 0 && (isSpace(rs[k-1]) || rs[k-1] == ':' || rs[k-1] == '：' || rs[k-1] == '为' || rs[k-1] == '是' || rs[k-1] == '有' || rs[k-1] == '达') {
		k--
	}
	for _, l := range peopleLabels {
		if hasSuffixRunes(rs[:k], l) {
			return true
		}
	}
	return false
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func containsSuffixAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}
