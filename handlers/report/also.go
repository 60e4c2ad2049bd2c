package report

import (
	"slices"
	"strings"

	"firebot/campaign"
	"firebot/handlers"
)

// One activity counts for every task it satisfies. Where the campaign's
// tasks overlap (a drill with a revised plan is also the unit's drill and
// its all-hands drill), the checklist offers the other tasks and the person
// ticks them in the same reply as 确认 ("确认，都算", "也算 疏散演练"). The
// record keeps its main task and lists the others in its payload
// (ledger.Confirmation.AlsoTasks); progress, statistics, reminders and the
// export show it under each, and 撤回/退回 act on the record, so on all.
//
// Its value: confirmData.Also (task ids ticked, comma-separated).

// related reports tasks of the same kind: one's name inside the other's
// (疏散演练 in 全员应急疏散演练), or both containing a third task's name
// (全员应急疏散演练 and 疏散演练及预案修订 both name 疏散演练). Trainings
// for different people (专项能力培训, 职业技能培训) are not related.
func related(a, b campaign.Task, all []campaign.Task) bool {
	na, nb := bareName(a), bareName(b)
	if strings.Contains(na, nb) || strings.Contains(nb, na) {
		return true
	}
	for _, t := range all {
		if n := bareName(t); t.ID != a.ID && t.ID != b.ID && strings.Contains(na, n) && strings.Contains(nb, n) {
			return true
		}
	}
	return false
}

// bareName is a task's name without its parenthesised note: （三个一）.
func bareName(t campaign.Task) string {
	if i := strings.Index(t.Name, "（"); i > 0 {
		return t.Name[:i]
	}
	return t.Name
}

// alsoOffered lists the unit's other tasks the activity also satisfies:
// related to the main task, and every required field already answered.
func alsoOffered(e *handlers.Env, s *handlers.State) []campaign.Task {
	main, ok := currentTask(e, s)
	u, uok := handlers.CurrentUnit(e, s)
	if !ok || !uok {
		return nil
	}
	var out []campaign.Task
	for _, t := range e.Campaign.TasksFor(u) {
		if t.ID == main.ID || !related(main, t, e.Campaign.Tasks) {
			continue
		}
		complete := true
		for _, fd := range t.Fields {
			if fd.Required && data(s).Fields[fd.ID] == "" {
				complete = false
			}
		}
		if complete {
			out = append(out, t)
		}
	}
	return out
}

// alsoChosen lists the ticked tasks still offered, in configuration order.
func alsoChosen(e *handlers.Env, s *handlers.State) []campaign.Task {
	ids := strings.Split(data(s).Also, ",")
	var out []campaign.Task
	for _, t := range alsoOffered(e, s) {
		if slices.Contains(ids, t.ID) {
			out = append(out, t)
		}
	}
	return out
}

// alsoSuffix is what follows the main task's name: （也算：A、B）.
func alsoSuffix(e *handlers.Env, s *handlers.State) string {
	ts := alsoChosen(e, s)
	if len(ts) == 0 {
		return ""
	}
	return "（也算：" + strings.Join(names(ts), "、") + "）"
}

// alsoOffer is the checklist's line offering the other tasks.
func alsoOffer(e *handlers.Env, s *handlers.State) []string {
	offered := alsoOffered(e, s)
	if len(offered) == 0 || len(alsoChosen(e, s)) == len(offered) {
		return nil
	}
	ex := "也算 " + offered[0].Name
	return []string{"这次活动也可以同时算作" + strings.Join(quotedAll(names(offered)), "、") +
		"。要一并计入，请回复“都算”或“" + ex + "”（可以和“确认”一起说，例如“确认，都算”）。"}
}

func quotedAll(ns []string) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = quoted(n)
	}
	return out
}

// tickAlso reads 都算 / 也算 … / 不算 on the checklist. It returns the text
// left over (maybe 确认) and whether the text ticked anything.
func tickAlso(e *handlers.Env, s *handlers.State, text string) (string, bool) {
	offered := alsoOffered(e, s)
	if len(offered) == 0 {
		return text, false
	}
	switch {
	case strings.Contains(text, "都不算") || strings.Contains(text, "不用算") || strings.TrimSpace(text) == "不算":
		data(s).Also = ""
		return "", true
	case strings.Contains(text, "都算") || strings.Contains(text, "全算") || strings.Contains(text, "都计入"):
		var ids []string
		for _, t := range offered {
			ids = append(ids, t.ID)
		}
		data(s).Also = strings.Join(ids, ",")
		rest := strings.NewReplacer("都算", "", "全算", "", "都计入", "").Replace(text)
		return rest, true
	}
	i := strings.Index(text, "也算")
	if i < 0 {
		return text, false
	}
	tail := text[i+len("也算"):]
	ids := strings.Split(data(s).Also, ",")
	hit := false
	// Longest names first, so 疏散演练 inside 全员应急疏散演练 is not ticked by it.
	byLen := slices.Clone(offered)
	slices.SortFunc(byLen, func(a, b campaign.Task) int { return len(b.Name) - len(a.Name) })
	for _, t := range byLen {
		n := bareName(t)
		if strings.Contains(tail, n) {
			tail = strings.Replace(tail, n, "", 1)
			if !slices.Contains(ids, t.ID) {
				ids = append(ids, t.ID)
			}
			hit = true
		}
	}
	if !hit {
		return text, false
	}
	data(s).Also = strings.Trim(strings.Join(ids, ","), ",")
	return text[:i] + strings.Trim(tail, "（）() ，,、"), true
}

// readSummary reads a reply on the checklist (handlers.Flow.ReadSummary): related
// tasks ticked ("确认，都算"), and the natural confirmations (对的, 好的…).
func readSummary(e *handlers.Env, s *handlers.State, text string) (handlers.Reaction, bool) {
	rest, ticked := tickAlso(e, s, text)
	rest = strings.Trim(rest, " ，,。.!！、")
	switch {
	case ticked && (handlers.Control(rest) == handlers.CtlConfirm || isConfirmWord(rest)):
		return handlers.Answered(""), true
	case ticked && rest == "":
		return handlers.Again("已记下。"), true
	case isConfirmWord(text):
		return handlers.Answered(""), true
	}
	return handlers.Reaction{}, false
}
