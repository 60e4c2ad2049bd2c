package handlers

import (
	"strings"

	"firebot/bot"
	"firebot/handlers/textparse"
)

// The summary is the last step of a collecting flow. It lists every field,
// submits on 确认, and edits one field when the user names it with a value
// ("人数 90", "日期 11月6日", "地点 社区广场") or alone ("地点").

// SummaryStep builds the summary step of f; title heads the list.
func SummaryStep(f *Flow, title string) *Step {
	return &Step{
		ID:       StepSummary,
		Label:    "核对",
		Controls: true,
		Help:     "这是最后一步：核对内容。确认无误请回复“确认”提交；要修改某一项，回复“项目名 新内容”，例如“人数 90”“日期 11月6日”；只回复项目名（如“地点”）会重新询问这一项。",
		Ask: func(e *Env, s *State) Prompt {
			return Prompt{
				Text: title + "\n" + f.summary(e, s) + "\n\n确认无误请回复“确认”；要修改某一项，请回复“项目名 新内容”，例如" + f.editExample(e, s) + "。",
				Buttons: []bot.Button{
					{Text: "确认提交", Value: ctlConfirm},
					{Text: "取消", Value: ctlCancel},
				},
			}
		},
		Answer: func(e *Env, s *State, in Input) Reaction {
			return f.answerSummary(e, s, in)
		},
	}
}

func (f *Flow) answerSummary(e *Env, s *State, in Input) Reaction {
	text := strings.TrimSpace(in.Text)
	switch Control(text) {
	case ctlConfirm:
		return Answered("")
	case ctlDone, ctlContinue:
		return Bad("确认无误请回复“确认”提交。")
	}
	if f.ReadSummary != nil {
		if a, ok := f.ReadSummary(e, s, text); ok {
			return a
		}
	}
	for _, w := range []string{"修改", "更改", "改成", "改为", "改", "更正", "应该是"} {
		if rest, found := strings.CutPrefix(text, w); found {
			text = strings.TrimSpace(rest)
			break
		}
	}
	target, value := f.findLabel(e, s, text)
	if target == nil && f.ReadCorrection != nil {
		if a, ok := f.ReadCorrection(e, s, text); ok {
			return a
		}
	}
	if target == nil {
		return Bad("没看懂要修改哪一项。可以修改：" + strings.Join(f.labels(e, s), "、") +
			"。\n请回复“项目名 新内容”，例如" + f.editExample(e, s) + "；确认无误请回复“确认”。")
	}
	if value == "" {
		s.History = append(s.History, StepSummary)
		s.Step = target.ID
		return Again("")
	}
	sub := target.Answer(e, s, Input{Text: value, Edit: true})
	if !sub.Done {
		s.History = append(s.History, StepSummary)
		s.Step = target.ID
		if sub.Msg == "" {
			return Again("")
		}
		return Bad(sub.Msg)
	}
	s.Done[target.ID] = true
	delete(s.Notes, target.ID)
	msg := JoinLines(sub.Msg, "已修改“"+target.Label+"”。")
	if next := f.pending(e, s); next != "" && next != StepSummary {
		s.History = append(s.History, StepSummary)
		s.Step = next
	}
	return Again(msg)
}

// summary lists every step's label and value.
func (f *Flow) summary(e *Env, s *State) string {
	var lines []string
	for _, id := range f.Order(e, s) {
		st := f.Step(e, s, id)
		if st == nil || id == StepSummary || st.Label == "" || st.Show == nil {
			continue
		}
		v := st.Show(e, s)
		if v == "" {
			v = "（未填）"
		}
		lines = append(lines, st.Label+"："+v)
	}
	if f.Extra != nil {
		lines = append(lines, f.Extra(e, s)...)
	}
	return strings.Join(lines, "\n")
}

// labels lists the names of the editable steps.
func (f *Flow) labels(e *Env, s *State) []string {
	var out []string
	for _, id := range f.Order(e, s) {
		st := f.Step(e, s, id)
		if st == nil || id == StepSummary || st.Label == "" || st.Answer == nil || !editable(e, st) {
			continue
		}
		out = append(out, st.Label)
	}
	return out
}

// editable reports whether the summary offers st for editing (a unit
// can be changed only when there is a choice).
func editable(e *Env, st *Step) bool {
	return st.ID != StepUnit || len(e.Units) > 1
}

func (f *Flow) editExample(e *Env, s *State) string {
	labels := f.labels(e, s)
	for _, l := range labels {
		if strings.Contains(l, "人数") {
			return "“人数 90”“日期 11月6日”"
		}
	}
	for _, l := range labels {
		if l == "联系电话" {
			return "“电话 新号码”"
		}
	}
	if len(labels) > 0 {
		return "“" + labels[len(labels)-1] + " 新内容”"
	}
	return "“项目名 新内容”"
}

// findLabel finds the step text starts with the name of, longest name
// first, and returns it with the rest of the text as the new value.
func (f *Flow) findLabel(e *Env, s *State, text string) (*Step, string) {
	var best *Step
	bestLen := 0
	for _, id := range f.Order(e, s) {
		st := f.Step(e, s, id)
		if st == nil || id == StepSummary || st.Answer == nil || !editable(e, st) {
			continue
		}
		for _, w := range append([]string{st.Label}, st.Labels...) {
			if w != "" && len(w) > bestLen && strings.HasPrefix(strings.ToLower(text), strings.ToLower(w)) {
				best, bestLen = st, len(w)
			}
		}
	}
	if best == nil {
		return nil, ""
	}
	return best, trimValue(text[bestLen:])
}

// trimValue removes what separates a label from its value ("人数：90",
// "人数 改为 90").
func trimValue(v string) string {
	const seps = " \t\u3000:：,，=＝、"
	v = strings.TrimLeft(v, seps)
	for again := true; again; {
		again = false
		for _, w := range []string{"不对", "有误", "错了", "应该是", "应该为", "应为", "改为", "改成", "更正为", "是", "为"} {
			rest, ok := strings.CutPrefix(v, w)
			if ok && (w == "是" || w == "为") && !startsNumberOrDay(rest) {
				ok = false // 为民 is a name, 是张三 a value
			}
			if ok && strings.TrimLeft(rest, seps) != "" {
				v = strings.TrimLeft(rest, seps)
				again = true
				break
			}
		}
	}
	return strings.TrimSpace(v)
}

// UserMessage returns the Chinese text of a textparse input error.
func UserMessage(err error) string {
	if m, ok := textparse.UserMessage(err); ok {
		return m
	}
	return "没看懂，请再试一次。"
}

// startsNumberOrDay reports text starting like a count or a date (90,
// 九十, 昨天, 上周五, 今天, 11月3日).
func startsNumberOrDay(s string) bool {
	for _, r := range s {
		return r >= '0' && r <= '9' || r >= '０' && r <= '９' || strings.ContainsRune("零一二两三四五六七八九十百千今昨前上本这", r)
	}
	return false
}
