package report

import (
	"slices"
	"strings"

	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
)

// unitStep asks which of the user's units the report is for; a task that
// does not apply to the unit chosen is forgotten, and a report told in
// free text is read again with the unit's own tasks.
func unitStep() *handlers.Step {
	st := handlers.UnitStep("单位", "为哪个单位上报？")
	choose := st.Answer
	st.Answer = func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
		before := s.Unit
		a := choose(e, s, in)
		if !a.Done {
			return a
		}
		if u, ok := handlers.CurrentUnit(e, s); ok && s.Unit != before {
			if t, ok := currentTask(e, s); ok && !t.AppliesToUnit(u) {
				clearTask(s)
			}
		}
		// A report told in free text: now that the unit is known, read
		// it again with the unit's own tasks.
		if h := data(s).Hint; h != "" && data(s).Task == "" {
			fill(e, s, readFor(e, s, h), true, false)
		}
		return a
	}
	return st
}

// taskStep asks which task was done, among those that apply to the unit.
func taskStep() *handlers.Step {
	return &handlers.Step{
		ID:     stepTask,
		Label:  "项目",
		Labels: []string{"任务", "活动项目", "活动类型", "类型", "活动"},
		Help:   "请选择这次开展的是哪一项工作，回复序号即可（例如 2）。只列出适用于本单位的项目。",
		Ask: func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			tasks := offeredTasks(e, s)
			q := "开展的是哪一项活动？请回复序号：\n"
			if len(tasks) < len(e.Campaign.TasksFor(mustUnit(e, s))) {
				q = "这次活动可以算作下面哪一项？请回复序号（都不是请回复项目名称）：\n"
			}
			ns := names(tasks)
			return handlers.Prompt{Text: q + handlers.Numbered(ns), Buttons: handlers.ChoiceButtons(ns)}
		},
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			u, ok := handlers.CurrentUnit(e, s)
			if !ok {
				return handlers.Bad("请先选择单位。")
			}
			all := e.Campaign.TasksFor(u)
			if len(all) == 0 {
				return handlers.Bad(u.Name + "没有需要上报的项目。")
			}
			tasks := offeredTasks(e, s)
			if !in.Edit {
				if i, err := textparse.ParseChoice(in.Text, names(tasks)); err == nil {
					return handlers.Answered(chooseTask(e, s, tasks[i]))
				}
			}
			i, err := textparse.ParseChoice(in.Text, names(all))
			if err != nil {
				return handlers.Bad(handlers.UserMessage(err))
			}
			return handlers.Answered(chooseTask(e, s, all[i]))
		},
		Show: func(e *handlers.Env, s *handlers.State) string {
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

func mustUnit(e *handlers.Env, s *handlers.State) campaign.Unit {
	u, _ := handlers.CurrentUnit(e, s)
	return u
}

// offeredTasks are the tasks the task question lists: only those that fit
// the text equally (cand), else every task of the unit.
func offeredTasks(e *handlers.Env, s *handlers.State) []campaign.Task {
	all := e.Campaign.TasksFor(mustUnit(e, s))
	c := data(s).Cand
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
func chooseTask(e *handlers.Env, s *handlers.State, t campaign.Task) string {
	note := setTask(e, s, t)
	data(s).Cand = ""
	leaveOptional(e, s)
	if h := data(s).Hint; h != "" {
		date, dateDone := data(s).Date, s.Done[stepDate]
		fill(e, s, readFor(e, s, h), false, false)
		if date != "" {
			data(s).Date = date
			s.Done[stepDate] = dateDone
		}
	}
	return note
}

// setTask records the task; a change of task forgets the fields of the old
// one and a date outside the new task's window. It applies a count taken
// from free text to the task's first number field.
func setTask(e *handlers.Env, s *handlers.State, t campaign.Task) string {
	var note string
	defer func() { s.Done[stepTask] = true }()
	if data(s).Task != t.ID {
		clearTask(s)
		data(s).Task = t.ID
		if d := data(s).Date; d != "" {
			if msg := checkWindow(e, t, d); msg != "" {
				data(s).Date = ""
				delete(s.Done, stepDate)
				note = msg + "请重新填写日期。"
			}
		}
	}
	return note
}

// clearTask forgets the task and everything collected for it.
func clearTask(s *handlers.State) {
	d := data(s)
	d.Task, d.Also, d.Fields, d.Proposed = "", "", nil, nil
	delete(s.Notes, stepTask)
	delete(s.Done, stepTask)
	for id := range s.Notes {
		if strings.HasPrefix(id, stepFieldPrefix) {
			delete(s.Notes, id)
		}
	}
	for k := range s.Done {
		if strings.HasPrefix(k, stepFieldPrefix) {
			delete(s.Done, k)
		}
	}
}
