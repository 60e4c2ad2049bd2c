package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
)

// The fields a task defines in configuration (campaign.Field): whole
// numbers (participants, registrations), texts and lists. Values are kept
// normalised in confirmData.Fields; a number above confirm_above waits in
// confirmData.Proposed until the user confirms it.

// fieldStep asks for one configured field of task t.
func fieldStep(t campaign.Task, fd campaign.Field) *handlers.Step {
	st := &handlers.Step{
		ID:       fieldStepID(fd.ID),
		Label:    fd.Name,
		Labels:   fieldAliases(t, fd),
		Optional: !fd.Required,
		Show: func(e *handlers.Env, s *handlers.State) string {
			v := data(s).Fields[fd.ID]
			if fd.Type == campaign.FieldText && e.Group {
				return textparse.Preview(v, 50)
			}
			return v
		},
		Clear: func(s *handlers.State) { data(s).setField(fd.ID, ""); data(s).propose(fd.ID, "") },
	}
	switch fd.Type {
	case campaign.FieldInt:
		st.Controls = true // 确认 answers "is this large number right?"
		st.Help = fmt.Sprintf("请回复一个整数，例如 80、八十 或 80人。%s", intRange(fd))
		st.Ask = func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			if p := data(s).Proposed[fd.ID]; p != "" {
				return handlers.Prompt{
					Text:    fmt.Sprintf("%s是 %s，数字比较大，确认无误吗？回复“是”确认，或直接输入正确的数字。", fd.Name, p),
					Buttons: []bot.Button{{Text: "是", Value: "是"}, {Text: "重新输入", Value: "否"}},
				}
			}
			q := fmt.Sprintf("%s是多少？请回复一个整数，例如 80。", fd.Name)
			if fd.Min == 0 {
				q += "没有开展请填 0。"
			}
			return handlers.Prompt{Text: q}
		}
		st.Answer = func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			return answerInt(fd, s, in)
		}
	case campaign.FieldList:
		st.Help = "可以多选，用顿号、逗号或空格分开，也可以回复序号，例如“1、3、5”。"
		st.Ask = func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			q := fmt.Sprintf("%s有哪些？可以多选，用顿号分开，或回复序号（例如 1、3）：", fd.Name)
			if len(fd.Options) > 0 {
				q += "\n" + handlers.Numbered(fd.Options)
			}
			return handlers.Prompt{Text: q}
		}
		st.Answer = func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			return answerList(fd, s, in)
		}
	default:
		st.Help = fmt.Sprintf("请用文字回答，%s。", textRange(fd))
		st.Ask = func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			q := fmt.Sprintf("请填写%s（%s）。", fd.Name, textRange(fd))
			return handlers.Prompt{Text: q}
		}
		st.Answer = func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			return answerText(fd, s, in)
		}
	}
	return st
}

// fieldAliases are more names for a field on the summary: its id, and for
// the task's only number field the usual ways to say "how many".
func fieldAliases(t campaign.Task, fd campaign.Field) []string {
	al := []string{fd.ID}
	ints := 0
	for _, f := range t.Fields {
		if f.Type == campaign.FieldInt {
			ints++
		}
	}
	if fd.Type == campaign.FieldInt && ints == 1 {
		for _, w := range []string{"人数", "数量", "参加人数", "参与人数", "参演人数", "培训人数", "注册人数"} {
			if w != fd.Name {
				al = append(al, w)
			}
		}
	}
	if fd.Type == campaign.FieldList {
		al = append(al, "种类")
	}
	return al
}

func intRange(fd campaign.Field) string {
	switch {
	case fd.Max > 0:
		return fmt.Sprintf("范围 %d–%d。", fd.Min, fd.Max)
	case fd.Min == 0:
		return "没有开展请填 0。"
	}
	return ""
}

func textRange(fd campaign.Field) string {
	switch {
	case fd.Max > 0 && fd.Min > 1:
		return fmt.Sprintf("%d–%d字", fd.Min, fd.Max)
	case fd.Max > 0:
		return fmt.Sprintf("不超过%d字", fd.Max)
	}
	return "简短填写"
}

// answerInt reads a whole number for fd; a value above ConfirmAbove is held
// until the user confirms it.
func answerInt(fd campaign.Field, s *handlers.State, in handlers.Input) handlers.Reaction {
	d := data(s)
	text := strings.TrimSpace(in.Text)
	if p := d.Proposed[fd.ID]; p != "" {
		d.propose(fd.ID, "")
		if yes, err := textparse.ParseYesNo(text); err == nil {
			if yes {
				d.setField(fd.ID, p)
				return handlers.Answered("")
			}
			return handlers.Again("好的，请重新输入。")
		}
	}
	n, msg := handlers.ParseAmount(text)
	if msg != "" {
		return handlers.Bad(msg)
	}
	switch {
	case n < fd.Min:
		return handlers.Bad(fmt.Sprintf("%s至少是 %d。", fd.Name, fd.Min))
	case fd.Max > 0 && n > fd.Max:
		return handlers.Bad(fmt.Sprintf("%s不能超过 %d。", fd.Name, fd.Max))
	case fd.ConfirmAbove > 0 && n > fd.ConfirmAbove:
		d.propose(fd.ID, strconv.Itoa(n))
		return handlers.Again("")
	}
	d.setField(fd.ID, strconv.Itoa(n))
	return handlers.Answered("")
}

// answerText checks a text's length in characters.
func answerText(fd campaign.Field, s *handlers.State, in handlers.Input) handlers.Reaction {
	v := strings.TrimSpace(in.Text)
	n := textparse.CountChars(v)
	minChars := max(fd.Min, 1)
	switch {
	case n < minChars:
		if n == 0 {
			return handlers.Bad(fmt.Sprintf("请填写%s。", fd.Name))
		}
		return handlers.Bad(fmt.Sprintf("%s至少%d字，现在只有%d字。", fd.Name, minChars, n))
	case fd.Max > 0 && n > fd.Max:
		return handlers.Bad(fmt.Sprintf("%s最多%d字，现在有%d字，请精简后重新发送。", fd.Name, fd.Max, n))
	}
	data(s).setField(fd.ID, v)
	return handlers.Answered("")
}

// answerList reads several items: option texts or numbers, separated by
// 、，, spaces or 和.
func answerList(fd campaign.Field, s *handlers.State, in handlers.Input) handlers.Reaction {
	items := splitList(in.Text)
	var out []string
	for _, it := range items {
		v := it
		if len(fd.Options) > 0 {
			if i, err := textparse.ParseChoice(it, fd.Options); err == nil {
				v = fd.Options[i]
			} else if isDigits(it) {
				return handlers.Bad(fmt.Sprintf("没有第 %s 项，请回复 1–%d 之间的序号或直接写名称。", it, len(fd.Options)))
			}
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	minItems := max(fd.Min, 1)
	switch {
	case len(out) < minItems:
		return handlers.Bad(fmt.Sprintf("请至少填写%d项%s。", minItems, fd.Name))
	case fd.Max > 0 && len(out) > fd.Max:
		return handlers.Bad(fmt.Sprintf("%s最多%d项，现在有%d项。", fd.Name, fd.Max, len(out)))
	}
	data(s).setField(fd.ID, strings.Join(out, "、"))
	return handlers.Answered("")
}

func splitList(text string) []string {
	f := strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("、，,;；/和及", r)
	})
	var out []string
	for _, it := range f {
		if it = strings.Trim(it, "。.！!"); it != "" {
			out = append(out, it)
		}
	}
	return out
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
