package handlers

import (
	"slices"
	"strings"

	"firebot/campaign"
	"firebot/handlers/textparse"
	"firebot/zhfmt"
)

// UnitStep asks which of the user's units the dialog is for.
func UnitStep(label, prompt string) *Step {
	return &Step{
		ID:     StepUnit,
		Label:  label,
		Labels: []string{"单位", "上报单位", "推荐单位"},
		Help:   "本群（或你）对应多个单位，请选择这次是为哪个单位填写，回复序号或单位名称。",
		Ask: func(e *Env, s *State) Prompt {
			names := make([]string, 0, len(e.Units))
			for _, u := range e.Units {
				names = append(names, u.Name)
			}
			return Prompt{Text: prompt + "\n" + Numbered(names), Buttons: ChoiceButtons(names)}
		},
		Answer: func(e *Env, s *State, in Input) Reaction {
			if len(e.Units) < 2 {
				return Bad("只能为" + zhfmt.UnitNames(e.Units) + "填写，不能更换单位。")
			}
			names := make([]string, 0, len(e.Units))
			for _, u := range e.Units {
				names = append(names, u.Name)
			}
			i, err := textparse.ParseChoice(in.Text, names)
			if err != nil {
				return Bad(UserMessage(err))
			}
			u := e.Units[i]
			if s.Get(StepUnit) != u.ID {
				s.Set(StepUnit, u.ID)
				if t, ok := currentTask(e, s); ok && !t.AppliesToUnit(u) {
					clearTask(s)
				}
			}
			// A report told in free text: now that the unit is known, read
			// it again with the unit's own tasks.
			if h := s.Get(valHint); h != "" && s.Get(stepTask) == "" {
				fill(e, s, readFor(e, s, h), true)
			}
			return Answered("")
		},
		Show: func(e *Env, s *State) string {
			u, _ := CurrentUnit(e, s)
			return u.Name
		},
	}
}

// taskStep asks which task was done, among those that apply to the unit.
func taskStep() *Step {
	return &Step{
		ID:     stepTask,
		Label:  "项目",
		Labels: []string{"任务", "活动项目", "活动类型", "类型", "活动"},
		Help:   "请选择这次开展的是哪一项工作，回复序号即可（例如 2）。只列出适用于本单位的项目。",
		Ask: func(e *Env, s *State) Prompt {
			tasks := offeredTasks(e, s)
			names := make([]string, len(tasks))
			for i, t := range tasks {
				names[i] = t.Name
			}
			q := "开展的是哪一项活动？请回复序号：\n"
			if len(tasks) < len(e.Campaign.TasksFor(mustUnit(e, s))) {
				q = "这次活动可以算作下面哪一项？请回复序号（都不是请回复项目名称）：\n"
			}
			return Prompt{Text: q + Numbered(names), Buttons: ChoiceButtons(names)}
		},
		Answer: func(e *Env, s *State, in Input) Reaction {
			u, ok := CurrentUnit(e, s)
			if !ok {
				return Bad("请先选择单位。")
			}
			all := e.Campaign.TasksFor(u)
			if len(all) == 0 {
				return Bad(u.Name + "没有需要上报的项目。")
			}
			tasks := offeredTasks(e, s)
			if !in.Edit {
				if i, err := textparse.ParseChoice(in.Text, names(tasks)); err == nil {
					return Answered(chooseTask(e, s, tasks[i]))
				}
			}
			i, err := textparse.ParseChoice(in.Text, names(all))
			if err != nil {
				return Bad(UserMessage(err))
			}
			return Answered(chooseTask(e, s, all[i]))
		},
		Show: func(e *Env, s *State) string {
			t, _ := currentTask(e, s)
			return t.Name + alsoSuffix(e, s)
		},
	}
}

func names(tasks []campaign.Task) []string {
	out := make([]string, len(tasks))
	for i, t := range tasks {
		out[i] = t.Name
	}
	return out
}

func mustUnit(e *Env, s *State) campaign.Unit {
	u, _ := CurrentUnit(e, s)
	return u
}

// offeredTasks are the tasks the task question lists: only those that fit
// the text equally (cand), else every task of the unit.
func offeredTasks(e *Env, s *State) []campaign.Task {
	all := e.Campaign.TasksFor(mustUnit(e, s))
	c := s.Get(valCand)
	if c == "" {
		return all
	}
	var out []campaign.Task
	for _, t := range all {
		if slices.Contains(strings.Split(c, ","), t.ID) {
			out = append(out, t)
		}
	}
	if len(out) < 2 {
		return all
	}
	return out
}

// chooseTask sets the task the user chose and fills its fields from the
// text the report started with.
func chooseTask(e *Env, s *State, t campaign.Task) string {
	note := setTask(e, s, t)
	s.Set(valCand, "")
	leaveOptional(e, s)
	if h := s.Get(valHint); h != "" {
		date, dateDone := s.Get(stepDate), s.Done[stepDate]
		fill(e, s, readFor(e, s, h), false)
		if date != "" {
			s.Set(stepDate, date)
			s.Done[stepDate] = dateDone
		}
	}
	return note
}

// setTask records the task; a change of task forgets the fields of the old
// one and a date outside the new task's window. It applies a count taken
// from free text to the task's first number field.
func setTask(e *Env, s *State, t campaign.Task) string {
	var note string
	defer func() { s.Done[stepTask] = true }()
	if s.Get(stepTask) != t.ID {
		clearTask(s)
		s.Set(stepTask, t.ID)
		if d := s.Get(stepDate); d != "" {
			if msg := checkWindow(e, t, d); msg != "" {
				s.Set(stepDate, "")
				delete(s.Done, stepDate)
				note = msg + "请重新填写日期。"
			}
		}
	}
	return note
}

// clearTask forgets the task and everything collected for it.
func clearTask(s *State) {
	s.Set(stepTask, "")
	s.Set(noteKey(stepTask), "")
	s.Set(valAlso, "")
	delete(s.Done, stepTask)
	for k := range s.Values {
		if strings.HasPrefix(k, valFieldPrefix) || strings.HasPrefix(k, valProposedPrefix) || strings.HasPrefix(k, valNotePrefix+stepFieldPrefix) {
			delete(s.Values, k)
		}
	}
	for k := range s.Done {
		if strings.HasPrefix(k, stepFieldPrefix) {
			delete(s.Done, k)
		}
	}
}
