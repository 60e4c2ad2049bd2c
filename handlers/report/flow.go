package report

import (
	"fmt"
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// The activity-confirmation flow (上报): unit, task, date, the task's own
// fields, place, description, photos, summary. What it collects is
// confirmData (state.go).

const flowConfirm = "confirm"

// Limits of the optional confirmation fields, in characters.
const (
	placeMax = 100
	descMax  = 500
)

func newConfirmFlow() *handlers.Flow {
	f := &handlers.Flow{ID: flowConfirm, Name: "上报", Photos: true, Submit: submitConfirmation,
		Edits: store.KindConfirmation, FromRecord: confirmationState,
		Data:  func() handlers.Data { return &confirmData{} },
		Pause: func(s *handlers.State) bool { return len(s.Done) >= pauseMinAnswers }, Resume: CommandResume,
		ReadSummary: readSummary, ReadCorrection: readCorrection,
		Interrupt: answerDuplicate, Answers: dupAnswer,
		AsksLeave: func(s *handlers.State) bool { return data(s).EnteredBy != "" }}
	sum := handlers.SummaryStep(f, "请核对上报内容：")
	f.Order = confirmOrder
	f.Extra = confirmNotes
	f.Step = func(e *handlers.Env, s *handlers.State, id string) *handlers.Step {
		switch {
		case id == handlers.StepUnit:
			return unitStep()
		case id == stepTask:
			return readAnswers(taskStep())
		case id == stepDate:
			return readAnswers(dateStep())
		case id == stepSupplier:
			return supplierStep()
		case strings.HasPrefix(id, stepFieldPrefix):
			t, ok := currentTask(e, s)
			if !ok {
				return nil
			}
			fd, ok := t.Field(strings.TrimPrefix(id, stepFieldPrefix))
			if !ok {
				return nil
			}
			return readAnswers(fieldStep(t, fd))
		case id == stepPlace:
			return textStep(stepPlace, "地点", []string{"活动地点", "地址"}, func(d *confirmData) *string { return &d.Place }, 1, placeMax,
				"活动在哪里开展的？（可选，例如“社区广场”）")
		case id == stepDesc:
			return textStep(stepDesc, "简要描述", []string{"描述", "说明", "简介", "情况"}, func(d *confirmData) *string { return &d.Desc }, 1, descMax,
				fmt.Sprintf("请简要描述活动情况（可选，%d字以内）。", descMax))
		case id == stepPhotos:
			return photoStep()
		case id == handlers.StepSummary:
			return sum
		}
		return nil
	}
	return f
}

func confirmOrder(e *handlers.Env, s *handlers.State) []string {
	ids := []string{handlers.StepUnit, stepTask, stepDate}
	if data(s).EnteredBy != "" { // 代录: who at the unit supplied it
		ids = []string{handlers.StepUnit, stepSupplier, stepTask, stepDate}
	}
	if t, ok := currentTask(e, s); ok {
		for _, fd := range t.Fields {
			ids = append(ids, fieldStepID(fd.ID))
		}
	}
	ids = append(ids, stepPlace, stepDesc)
	if e.Images {
		ids = append(ids, stepPhotos)
	}
	return append(ids, handlers.StepSummary)
}

// stepSupplier asks, in 代录, who at the unit supplied the material
// (ledger.Confirmation.SuppliedBy).

func supplierStep() *handlers.Step {
	st := textStep(stepSupplier, "材料提供人", []string{"提供人", "联系人"}, func(d *confirmData) *string { return &d.Supplier }, 1, 30,
		"材料由单位的哪位提供？请回复姓名（可加电话，例如“王主任 13800000000”）。")
	st.Optional = false
	st.Help = "请回复提供材料的人的姓名，会记录在导出的活动明细中。"
	return st
}

func currentTask(e *handlers.Env, s *handlers.State) (campaign.Task, bool) {
	id := data(s).Task
	if id == "" {
		return campaign.Task{}, false
	}
	return e.Campaign.Task(id)
}

// dateStep asks when the activity took place.
func dateStep() *handlers.Step {
	return &handlers.Step{
		ID:     stepDate,
		Label:  "日期",
		Labels: []string{"活动日期", "时间"},
		Help:   "请回复活动开展的日期，例如：今天、昨天、上周五、11月3日、11.3、2023-11-03。日期不能晚于今天，并且要在活动期内。",
		Ask: func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			return handlers.Prompt{
				Text: "活动是哪天开展的？例如：今天、昨天、11月3日。",
				Buttons: []bot.Button{
					{Text: "今天", Value: "今天"}, {Text: "昨天", Value: "昨天"}, {Text: "前天", Value: "前天"},
				},
			}
		},
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			d, err := textparse.ParseDate(in.Text, e.Today)
			if err != nil {
				return handlers.Bad(handlers.UserMessage(err))
			}
			if textparse.IsFuture(d, e.Today) {
				return handlers.Bad(fmt.Sprintf("活动日期不能晚于今天（%s），请填写已经开展的活动的日期。", zhfmt.Day(e.Today, e.Now)))
			}
			v := d.Format(zhfmt.DayLayout)
			if t, ok := currentTask(e, s); ok {
				if msg := checkWindow(e, t, v); msg != "" {
					return handlers.Bad(msg)
				}
			} else if p := e.Campaign.Period; !p.IsZero() && !p.Contains(d) {
				return handlers.Bad(windowMsg("活动", p, d))
			}
			data(s).Date = v
			return handlers.Answered("")
		},
		Show: func(e *handlers.Env, s *handlers.State) string {
			if v := data(s).Date; v != "" {
				return zhfmt.StoredDay(v, e.Now)
			}
			return ""
		},
	}
}

// checkWindow explains why a stored date is outside the task's window, or
// returns "".
func checkWindow(e *handlers.Env, t campaign.Task, v string) string {
	d, err := parseStoredDay(v, e)
	if err != nil {
		return "日期有误。"
	}
	w := t.DateWindow
	if w.IsZero() {
		w = e.Campaign.Period
	}
	if w.IsZero() || w.Contains(d) {
		return ""
	}
	return windowMsg("“"+t.Name+"”", w, d)
}

func windowMsg(what string, w campaign.Period, d time.Time) string {
	return fmt.Sprintf("%s的日期须在%s至%s之间，%s不在这个范围内。",
		what, zhfmt.Date(w.Start), zhfmt.Date(w.End), zhfmt.Date(d))
}

func parseStoredDay(v string, e *handlers.Env) (time.Time, error) {
	return time.ParseInLocation(zhfmt.DayLayout, v, e.Now.Location())
}

// textStep asks for a short optional text, kept in field.
func textStep(id, label string, labels []string, field func(*confirmData) *string, minChars, maxChars int, prompt string) *handlers.Step {
	return &handlers.Step{
		ID:       id,
		Label:    label,
		Labels:   labels,
		Optional: true,
		Help:     fmt.Sprintf("这一项可以不填，回复“跳过”即可；填写的话不超过%d字。", maxChars),
		Ask:      func(e *handlers.Env, s *handlers.State) handlers.Prompt { return handlers.Prompt{Text: prompt} },
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			v := strings.TrimSpace(in.Text)
			n := textparse.CountChars(v)
			switch {
			case n < minChars:
				return handlers.Bad("内容是空的。请填写，或回复“跳过”。")
			case n > maxChars:
				return handlers.Bad(fmt.Sprintf("%s最多%d字，现在有%d字，请精简后重新发送。", label, maxChars, n))
			}
			*field(data(s)) = v
			return handlers.Answered("")
		},
		Show: func(e *handlers.Env, s *handlers.State) string {
			v := *field(data(s))
			if e.Group {
				return textparse.Preview(v, 50)
			}
			return v
		},
		Clear: func(s *handlers.State) { *field(data(s)) = "" },
	}
}

// photoStep collects photos in a chat where they can arrive.
func photoStep() *handlers.Step {
	return &handlers.Step{
		ID:          stepPhotos,
		Label:       "照片",
		Optional:    true,
		Controls:    true,
		TakesPhotos: true,
		Help:        "直接发送图片即可，可以发多张；发完回复“完成”。没有照片回复“跳过”，提交后也可以再补发。",
		Ask: func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			return handlers.Prompt{
				Text:    "有活动照片吗？直接发送图片（可多张），发完回复“完成”；没有请回复“跳过”。",
				Buttons: []bot.Button{{Text: handlers.CtlDone, Value: handlers.CtlDone}},
			}
		},
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			if len(in.Photos) > 0 {
				s.Photos = append(s.Photos, in.Photos...)
				return handlers.Bad(fmt.Sprintf("已收到照片，共%d张。还有请继续发送，发完回复“完成”。", len(s.Photos)))
			}
			switch handlers.Control(in.Text) {
			case handlers.CtlDone, handlers.CtlConfirm:
				return handlers.Answered("")
			case handlers.CtlContinue:
				return handlers.Bad("好的，请继续发送图片，发完回复“完成”。")
			}
			return handlers.Bad("请直接发送图片；发完回复“完成”，没有照片回复“跳过”。")
		},
		Show: func(e *handlers.Env, s *handlers.State) string {
			saved := data(s).PhotosSaved
			switch n := len(s.Photos); {
			case saved > 0 && n > 0:
				return fmt.Sprintf("已有%d张，新增%d张", saved, n)
			case saved > 0:
				return fmt.Sprintf("已有%d张", saved)
			case n > 0:
				return fmt.Sprintf("%d张", n)
			}
			return "无"
		},
		Clear: func(s *handlers.State) {},
	}
}

// confirmationState is the state of a stored confirmation, for 修改.
func confirmationState(r *store.Record) (handlers.State, error) {
	pay, err := ledger.DecodeConfirmation(r)
	if err != nil {
		return handlers.State{}, err
	}
	d := &confirmData{Task: r.TaskID, Date: pay.Date, Place: pay.Place, Desc: pay.Description,
		Also: strings.Join(pay.AlsoTasks, ","), PhotosSaved: len(pay.Photos)}
	for id, v := range pay.Fields {
		d.setField(id, v) // an empty value is no value
	}
	return handlers.State{Units: []string{r.UnitID}, Unit: r.UnitID, Data: d}, nil
}
