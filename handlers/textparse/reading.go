package textparse

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Read is the one reading of a free-text message: everything it says about
// an activity, found once, so that the first message of a report and every
// later answer are understood the same way. It is pure and table-tested;
// the task vocabulary comes from configuration (TaskTerms).

// TaskTerms is what configuration says about a task, for finding it in
// text: its name, keywords, field names and list options (materials).
type TaskTerms struct {
	ID       string
	Name     string
	Keywords []string
	Fields   []string // names of its fields (预案修订情况…)
	Options  []string // options of its list fields (横幅, 海报…)
}

// TaskScore is a task the text may be about; higher is likelier.
type TaskScore struct {
	ID    string
	Score int
	Weak  bool // found only by a generic word (演练, 培训)
}

// Count is a value the reading settled on.
type Count struct {
	Value int
	OK    bool
	From  string // what it was taken from when it had to choose: 共92人, 员工18人+住客22人
	Bare  bool   // a lone number with no unit or label (80): a count only where a count is asked
}

// Reading is what one message says.
type Reading struct {
	Tasks     []TaskScore // tasks the text fits, best first
	Date      time.Time
	HasDate   bool
	Future    bool // the date is after today
	Numbers   []Number
	People    Count
	Homes     Count
	Materials Count
	Kinds     []string // material kinds in order of mention (横幅, LED屏…)
	Form      string   // 警示片 or 警示教育会
	Place     string
	Plan      string // 修订了…预案
	// Report: the message tells of something already done. A question,
	// an announcement, an intention or an acknowledgement is not.
	Report bool
	Not    string // why it is not a report: question, future, ack
}

// Task returns the best task when one stands out.
func (r Reading) Task() (string, bool) {
	switch {
	case len(r.Tasks) == 0:
		return "", false
	case len(r.Tasks) == 1 || r.Tasks[0].Score > r.Tasks[1].Score:
		return r.Tasks[0].ID, true
	}
	return "", false
}

// Tied lists the tasks sharing the best score (an ambiguity to ask about).
func (r Reading) Tied() []string {
	var out []string
	for _, t := range r.Tasks {
		if t.Score == r.Tasks[0].Score {
			out = append(out, t.ID)
		}
	}
	return out
}

// Any reports whether the reading found a fact for a report.
func (r Reading) Any() bool {
	return len(r.Tasks) > 0 || r.HasDate || r.People.OK || r.Materials.OK || r.Homes.OK || len(r.Kinds) > 0
}

var (
	questionWords = []string{"吗", "怎么", "如何", "哪里", "哪儿", "哪个", "哪些", "哪天", "是否", "要不要", "能不能", "可不可以",
		"什么", "谁", "几张", "几个", "几人", "几次", "多少", "请问", "咋"}
	futureWords = []string{"明天", "明早", "明晚", "后天", "下周", "下星期", "下礼拜", "下个月", "下月", "将于", "即将",
		"请大家", "请各", "准时参加", "报给我", "提前通知"}
	// intentionWords announce a plan unless the text also says it was done
	// (按计划开展了演练).
	intentionWords = []string{"准备", "计划", "打算", "预计", "拟于", "要搞", "要开展", "要组织", "要做", "安排一下"}
	ackWords       = []string{"收到", "好的", "好滴", "知道了", "明白", "已阅", "谢谢", "辛苦", "ok", "嗯", "👍", "👌", "🙏", "了解"}
	doneWords      = []string{"组织", "开展", "举办", "举行", "进行", "完成", "参加", "参与", "参训", "参演", "搞了", "做了", "办了", "张贴",
		"悬挂", "发放", "布置", "挂了", "贴了", "注册", "观看", "看了", "开始", "更新", "设置", "播放", "到场", "开了", "召开", "来了"}
	// colloquial words that name a kind of activity without a keyword.
	colloquial = []struct{ word, means string }{
		{"参训", "培训"}, {"授课", "培训"}, {"讲课", "培训"}, {"讲座", "培训"}, {"消防课", "培训"},
		{"参演", "演练"}, {"疏散", "演练"}, {"演习", "演练"}, {"宣讲", "宣传"},
	}
)

// Read reads text. tasks are the candidate tasks, the unit's own first
// (only the unit's own when the unit is known); today is midnight on the
// campaign clock.
func Read(text string, tasks []TaskTerms, today time.Time) Reading {
	return ReadWith(text, NewVocabulary(tasks), today)
}

// ReadWith is Read with a compiled vocabulary (what the handlers use: the
// vocabulary of a unit's tasks is compiled once).
func ReadWith(text string, v *Vocabulary, today time.Time) Reading {
	var r Reading
	raw := strings.TrimSpace(text)
	if raw == "" {
		return r
	}
	rs := fold(raw)
	low := string(rs)
	covered, date, hasDate := scanDates(rs, today)
	r.Date, r.HasDate = date, hasDate
	r.Future = r.HasDate && IsFuture(r.Date, today)
	kinds := findKinds(rs)
	for _, k := range kinds {
		if !slices.Contains(r.Kinds, k.kind) {
			r.Kinds = append(r.Kinds, k.kind)
		}
	}
	r.Numbers = readNumbers(rs, kinds, covered)
	r.People = settle(r.Numbers, RolePeople)
	r.Homes = settle(r.Numbers, RoleHouseholds)
	r.Materials = settle(r.Numbers, RoleMaterials)
	r.Form = readForm(low)
	r.Place = readPlace(foldCase(raw))
	r.Plan = readPlan(rs)
	r.Tasks = scoreTasks(low, v, r)
	r.Report, r.Not = isReport(low, r)
	return r
}

// settle decides the value of one role: a total (the last one) over
// parts, else the sum of the parts; corrections have already dropped what
// they replace.
func settle(ns []Number, role Role) Count {
	var strong, weak []Number
	for _, n := range ns {
		if n.Dropped || n.Role != role {
			continue
		}
		if n.Weak && !n.Labeled && !n.Total && !n.Correct {
			weak = append(weak, n)
			continue
		}
		strong = append(strong, n)
	}
	if len(strong) == 0 {
		if len(weak) == 1 {
			return Count{Value: weak[0].Value, OK: true, Bare: weak[0].Bare}
		}
		return Count{}
	}
	for i := len(strong) - 1; i >= 0; i-- {
		if strong[i].Total || strong[i].Correct {
			// A total covers the parts before it. Materials of another
			// kind named after it are added (海报共计120张，横幅10条);
			// people named after it are a part of it (共15人，合格15人).
			c := Count{Value: strong[i].Value, OK: true}
			from := []string{strong[i].Text}
			for _, n := range strong[i+1:] {
				if role == RoleMaterials && n.Kind != "" && n.Kind != strong[i].Kind {
					c.Value += n.Value
					from = append(from, n.Text)
				}
			}
			if len(strong) > 1 || len(weak) > 0 || hasDropped(ns, role) {
				c.From = strings.Join(from, "+")
			}
			return c
		}
	}
	if len(strong) == 1 {
		c := Count{Value: strong[0].Value, OK: true}
		if hasDropped(ns, role) || len(weak) > 0 {
			c.From = strong[0].Text
		}
		return c
	}
	sum := 0
	var parts []string
	for _, n := range strong {
		sum += n.Value
		parts = append(parts, n.Text)
	}
	return Count{Value: sum, OK: true, From: strings.Join(parts, "+")}
}

func hasDropped(ns []Number, role Role) bool {
	for _, n := range ns {
		if n.Dropped && (n.Role == role || role == RolePeople && n.Role == RoleNone) {
			return true
		}
	}
	return false
}

// Summary renders a reading for logs and tests.
func (r Reading) Summary() string {
	var b []string
	for _, t := range r.Tasks {
		b = append(b, t.ID+"="+strconv.Itoa(t.Score))
	}
	s := "tasks[" + strings.Join(b, " ") + "]"
	if r.HasDate {
		s += " date=" + r.Date.Format("01-02")
	}
	if r.People.OK {
		s += " people=" + strconv.Itoa(r.People.Value)
	}
	if r.Homes.OK {
		s += " homes=" + strconv.Itoa(r.Homes.Value)
	}
	if r.Materials.OK {
		s += " materials=" + strconv.Itoa(r.Materials.Value)
	}
	if len(r.Kinds) > 0 {
		s += " kinds=" + strings.Join(r.Kinds, "、")
	}
	if !r.Report {
		s += " not-report(" + r.Not + ")"
	}
	return s
}

// Assign gives each of several number fields (the four of 四个一) the
// number whose clause shares most with the field's name: 走疏散通道120人 →
// 走一次疏散通道人数. A household count prefers a field counted in 户. It
// returns field index → value.
func (r Reading) Assign(fields []string) map[int]int {
	type pair struct{ f, n, score int }
	var pairs []pair
	for fi, name := range fields {
		fb := bigrams(name)
		for ni, n := range r.Numbers {
			if n.Dropped || n.Role != RolePeople && n.Role != RoleHouseholds && n.Role != RoleNone {
				continue
			}
			s := 0
			for _, b := range bigrams(n.Context) {
				if slices.Contains(fb, b) {
					s += 2
				}
			}
			if s == 0 {
				continue
			}
			if (n.Role == RoleHouseholds) == strings.Contains(name, "户") {
				s++
			}
			pairs = append(pairs, pair{fi, ni, s})
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return b.score - a.score })
	out := map[int]int{}
	usedN := map[int]bool{}
	for _, p := range pairs {
		if _, done := out[p.f]; done || usedN[p.n] {
			continue
		}
		out[p.f] = r.Numbers[p.n].Value
		usedN[p.n] = true
	}
	return out
}

func bigrams(s string) []string {
	rs := []rune(s)
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		if isBoundary(rs[i]) || isBoundary(rs[i+1]) {
			continue
		}
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// containsQuestionWord finds a question word; 几 right after a numeral is
// an approximation (二十几个), not a question.
func containsQuestionWord(low string) bool {
	for _, w := range questionWords {
		for off := 0; ; {
			i := strings.Index(low[off:], w)
			if i < 0 {
				break
			}
			i += off
			if strings.HasPrefix(w, "几") && i > 0 {
				if r, _ := utf8.DecodeLastRuneInString(low[:i]); isCNNumeral(r) || isASCIIDigit(r) {
					off = i + len(w)
					continue
				}
			}
			return true
		}
	}
	return false
}
