package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
	"firebot/zhfmt"
)

// Every message of a report is read once, the same way, by
// textparse.Read: the first message told in free text, an answer at any
// step of the dialog, and a correction on the checklist. fill applies a
// reading to the dialog state; what it had to choose (several people
// numbers, a total over parts) is noted on the checklist on its own line.
//
// Values used here (confirmData): Hint (the free text a report started
// with, read again once the unit or task is known), Cand (task ids that fit
// the text equally, for the task question), and the State's notes (what a
// value was taken from, handlers.State.SetNote).

// vocabKey names the compiled vocabulary of a list of tasks (a unit's
// tasks) in the router's handlers.Memo, so a reading does not compile it again.
type vocabKey string

// vocabulary is the compiled vocabulary of tasks, kept in memo (nil:
// compiled for this reading).
func vocabulary(memo *handlers.Memo, camp *campaign.Campaign, tasks []campaign.Task) *textparse.Vocabulary {
	if memo == nil {
		return textparse.NewVocabulary(textparse.TermsOf(tasks))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%p", camp)
	for _, t := range tasks {
		b.WriteString("|" + t.ID)
	}
	key := vocabKey(b.String())
	if x, ok := memo.Load(key); ok {
		return x.(*textparse.Vocabulary)
	}
	voc := textparse.NewVocabulary(textparse.TermsOf(tasks))
	memo.Store(key, voc)
	return voc
}

// unitsTasks lists the tasks of units, each once, in configuration order.
func unitsTasks(camp *campaign.Campaign, units []campaign.Unit) []campaign.Task {
	var out []campaign.Task
	for _, t := range camp.Tasks {
		if slices.ContainsFunc(units, t.AppliesToUnit) {
			out = append(out, t)
		}
	}
	return out
}

// readFor reads text with the tasks of the dialog's unit, or of all the
// user's units while the unit is not chosen.
func readFor(e *handlers.Env, s *handlers.State, text string) textparse.Reading {
	var tasks []campaign.Task
	if u, ok := handlers.CurrentUnit(e, s); ok {
		tasks = e.Campaign.TasksFor(u)
	} else {
		tasks = unitsTasks(e.Campaign, e.Units)
	}
	return textparse.ReadWith(text, vocabulary(e.Memo, e.Campaign, tasks), e.Today)
}

// filled is what fill changed: step ids and "名称 值" for the reply.
type filled struct {
	steps   map[string]bool
	said    []string
	refused string // why a date said was not taken (late.go), or ""
}

// fill applies a reading to s. With chooseTask it also sets the task when
// one stands out (or notes the tasks that fit equally, for the question);
// otherwise it fills only the date and the current task's fields. With
// strict a lone number (no unit, no label) is not taken for a count.
func fill(e *handlers.Env, s *handlers.State, r textparse.Reading, chooseTask, strict bool) filled {
	if strict {
		for _, c := range []*textparse.Count{&r.People, &r.Homes, &r.Materials} {
			if c.Bare {
				*c = textparse.Count{}
			}
		}
	}
	out := filled{steps: map[string]bool{}}
	// took marks step id answered by the reading, said as said.
	took := func(id, said string) {
		s.Done[id] = true
		out.steps[id] = true
		out.said = append(out.said, said)
	}
	if chooseTask && data(s).Task == "" {
		if id, ok := r.Task(); ok {
			if t, ok := e.Campaign.Task(id); ok {
				if u, uok := handlers.CurrentUnit(e, s); uok && t.AppliesToUnit(u) {
					setTask(e, s, t)
					data(s).Cand = ""
					leaveOptional(e, s)
					s.SetNote(stepTask, runnerUp(e, u, r, t))
					took(stepTask, "项目"+quoted(t.Name))
				}
			}
		} else if tied := r.Tied(); len(tied) > 1 {
			data(s).Cand = strings.Join(tied, ",")
		}
	}
	if r.HasDate {
		v := r.Date.Format(zhfmt.DayLayout)
		t, hasTask := currentTask(e, s)
		p := e.Campaign.Period
		if !r.Future && (hasTask && checkWindow(e, t, v) == "" || !hasTask && (p.IsZero() || p.Contains(r.Date))) {
			data(s).Date = v
			took(stepDate, "日期 "+zhfmt.StoredDate(v))
		} else {
			out.refused = dateRefusal(e, t, hasTask, r.Date)
		}
	}
	if r.Place != "" && textparse.CountChars(r.Place) <= placeMax {
		data(s).Place = r.Place
		out.steps[stepPlace] = true
	}
	t, ok := currentTask(e, s)
	if !ok {
		return out
	}
	var ints []campaign.Field
	materials := false
	for _, fd := range t.Fields {
		switch fd.Type {
		case campaign.FieldInt:
			ints = append(ints, fd)
		case campaign.FieldList:
			materials = true
		}
	}
	setInt := func(fd campaign.Field, v int, from string) {
		id := fieldStepID(fd.ID)
		if !answerInt(fd, s, handlers.Input{Text: strconv.Itoa(v)}).Done {
			return // out of range, or large: the step asks
		}
		took(id, fd.Name+" "+strconv.Itoa(v))
		s.SetNote(id, "")
		if from != "" {
			s.SetNote(id, fmt.Sprintf("（%s取“%s”）", shortName(fd.Name), from))
		}
	}
	switch {
	case len(ints) > 1:
		names := make([]string, len(ints))
		for i, fd := range ints {
			names[i] = fd.Name
		}
		for i, v := range r.Assign(names) {
			setInt(ints[i], v, "")
		}
	case len(ints) == 1 && materials:
		if r.Materials.OK {
			setInt(ints[0], r.Materials.Value, r.Materials.From)
		}
	case len(ints) == 1 && strings.Contains(ints[0].Name, "户"):
		if r.Homes.OK {
			setInt(ints[0], r.Homes.Value, r.Homes.From)
		}
	case len(ints) == 1:
		if r.People.OK {
			setInt(ints[0], r.People.Value, r.People.From)
		}
	}
	for _, fd := range t.Fields {
		id := fieldStepID(fd.ID)
		switch {
		case fd.Type == campaign.FieldList && len(r.Kinds) > 0:
			var items []string
			for _, k := range r.Kinds {
				if o, ok := matchOption(fd.Options, k); ok && !slices.Contains(items, o) {
					items = append(items, o)
				}
			}
			if len(items) > 0 && answerList(fd, s, handlers.Input{Text: strings.Join(items, "、")}).Done {
				took(id, fd.Name+" "+strings.Join(items, "、"))
			}
		case fd.Type == campaign.FieldText && strings.Contains(fd.Name, "形式") && r.Form != "":
			if answerText(fd, s, handlers.Input{Text: r.Form}).Done {
				took(id, shortName(fd.Name)+" "+r.Form)
			}
		case fd.Type == campaign.FieldText && strings.Contains(fd.Name, "预案") && r.Plan != "":
			if answerText(fd, s, handlers.Input{Text: r.Plan}).Done {
				took(id, shortName(fd.Name)+" "+r.Plan)
			}
		}
	}
	return out
}

// matchOption finds a list option for a kind the reading found.
func matchOption(options []string, kind string) (string, bool) {
	if len(options) == 0 {
		return kind, true
	}
	for _, o := range options {
		if o == kind {
			return o, true
		}
	}
	for _, o := range options {
		if strings.Contains(o, kind) || strings.Contains(kind, o) {
			return o, true
		}
	}
	return "", false
}

// shortName is a field name without its parenthesised hint, and "人数"
// for the ways of counting people (参演人数 → 人数).
func shortName(name string) string {
	if i := strings.Index(name, "（"); i > 0 {
		name = name[:i]
	}
	if strings.HasSuffix(name, "人数") && !strings.Contains(name, "一次") {
		return "人数"
	}
	return name
}

// readAnswers makes a step read its answer like any other message when
// the step alone cannot: "11月3号，80人" at the date step fills the date and
// the count. A reply fills every field it contains.
func readAnswers(st *handlers.Step) *handlers.Step {
	orig := st.Answer
	st.Answer = func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
		a := orig(e, s, in)
		if a.Done || a.Ask || a.Cancel || in.Edit || strings.TrimSpace(in.Text) == "" {
			return a
		}
		f := fill(e, s, readFor(e, s, in.Text), st.ID == stepTask, true)
		if f.steps[st.ID] {
			return handlers.Answered("")
		}
		if len(f.said) > 0 {
			return handlers.Again("已记下：" + strings.Join(f.said, "，") + "。")
		}
		if handlers.IsQuestion(in.Text) && st.Help != "" {
			return handlers.Again(st.Help) // a question is never an answer
		}
		return a
	}
	return st
}

// confirmNotes are the checklist's lines saying what the reading chose,
// and the offer of the other tasks the activity also satisfies.
func confirmNotes(e *handlers.Env, s *handlers.State) []string {
	var out []string
	for _, id := range confirmOrder(e, s) {
		if n := s.Notes[id]; n != "" {
			out = append(out, n)
		}
	}
	return append(out, alsoOffer(e, s)...)
}

// confirmWords confirm the checklist (and only the checklist).
var confirmWords = []string{"对的", "对", "好的", "好", "没问题", "ok", "okay", "是", "是的", "确认无误", "无误", "没错", "正确",
	"可以", "行", "嗯", "嗯嗯", "👌", "👍", "对了", "没有问题", "都对", "对的没问题", "确认无误提交", "提交吧"}

func isConfirmWord(text string) bool {
	t := strings.ToLower(strings.Trim(strings.TrimSpace(text), "。.!！~，,"))
	return slices.Contains(confirmWords, t)
}

// leaveOptional leaves the current task's optional fields for the
// checklist, as a report told in free text does with place and
// description.
func leaveOptional(e *handlers.Env, s *handlers.State) {
	if t, ok := currentTask(e, s); ok && data(s).Hint != "" {
		for _, fd := range t.Fields {
			if !fd.Required {
				s.Done[fieldStepID(fd.ID)] = true
			}
		}
	}
}

// runnerUp notes a second task the text also fits, when the reading chose
// between two (“四个一” and 主题宣传 both named, say).
func runnerUp(e *handlers.Env, u campaign.Unit, r textparse.Reading, chosen campaign.Task) string {
	if len(r.Tasks) < 2 || r.Tasks[1].Weak {
		return ""
	}
	t, ok := e.Campaign.Task(r.Tasks[1].ID)
	if !ok || !t.AppliesToUnit(u) || t.ID == chosen.ID {
		return ""
	}
	return "（项目按" + quoted(chosen.Name) + "记；如果是" + quoted(t.Name) + "，请回复“项目 " + t.Name + "”）"
}

// readCorrection reads a correction on the checklist without a field name
// (90人; 日期是昨天 is named) like any message (handlers.Flow.ReadCorrection).
func readCorrection(e *handlers.Env, s *handlers.State, text string) (handlers.Reaction, bool) {
	if got := fill(e, s, readFor(e, s, text), false, true); len(got.said) > 0 {
		return handlers.Again("已修改：" + strings.Join(got.said, "，") + "。"), true
	}
	return handlers.Reaction{}, false
}
