package report

import (
	"firebot/handlers"
	"fmt"
	"strconv"
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers/textparse"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// The activity-confirmation flow (上报): unit, task, date, the task's own
// fields, place, description, photos, summary. handlers.State.Values keys (named
// in state.go): the step ids unit, task, date (2006-01-02), place, desc;
// fieldKey and proposedKey (a large number awaiting confirmation) per
// field; valAlso; and those of reading.go (valHint, valCand, noteKey).

const flowConfirm = "confirm"

// Limits of the optional confirmation fields, in characters.
const (
	placeMax = 100
	descMax  = 500
)

func newConfirmFlow() *handlers.Flow {
	f := &handlers.Flow{ID: flowConfirm, Name: "上报", Photos: true, Submit: submitConfirmation,
		Edits: store.KindConfirmation, FromRecord: confirmationState,
		Stored: func() handlers.StoredValues { return &confirmValues{} },
		Pause:  func(s *handlers.State) bool { return len(s.Done) >= pauseMinAnswers }, Resume: CommandResume,
		ReadSummary: readSummary, ReadCorrection: readCorrection,
		Interrupt: answerDuplicate, Answers: dupAnswer,
		AsksLeave: func(s *handlers.State) bool { return s.Get(valEnteredBy) != "" }}
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
			return textStep(stepPlace, "地点", []string{"活动地点", "地址"}, 1, placeMax,
				"活动在哪里开展的？（可选，例如“社区广场”）")
		case id == stepDesc:
			return textStep(stepDesc, "简要描述", []string{"描述", "说明", "简介", "情况"}, 1, descMax,
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
	if s.Get(valEnteredBy) != "" { // 代录: who at the unit supplied it
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
	st := textStep(stepSupplier, "材料提供人", []string{"提供人", "联系人"}, 1, 30,
		"材料由单位的哪位提供？请回复姓名（可加电话，例如“王主任 13800000000”）。")
	st.Optional = false
	st.Help = "请回复提供材料的人的姓名，会记录在导出的活动明细中。"
	return st
}

func currentTask(e *handlers.Env, s *handlers.State) (campaign.Task, bool) {
	id := s.Get(stepTask)
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
			s.Set(stepDate, v)
			return handlers.Answered("")
		},
		Show: func(e *handlers.Env, s *handlers.State) string {
			if v := s.Get(stepDate); v != "" {
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

// textStep asks for a short optional text.
func textStep(id, label string, labels []string, minChars, maxChars int, prompt string) *handlers.Step {
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
			s.Set(id, v)
			return handlers.Answered("")
		},
		Show: func(e *handlers.Env, s *handlers.State) string {
			v := s.Get(id)
			if e.Group {
				return textparse.Preview(v, 50)
			}
			return v
		},
		Clear: func(s *handlers.State) { s.Set(id, "") },
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
			case handlers.CtlDone, handlers.CtlConfirm, handlers.CtlContinue:
				if handlers.Control(in.Text) == handlers.CtlContinue {
					return handlers.Bad("好的，请继续发送图片，发完回复“完成”。")
				}
				return handlers.Answered("")
			}
			return handlers.Bad("请直接发送图片；发完回复“完成”，没有照片回复“跳过”。")
		},
		Show: func(e *handlers.Env, s *handlers.State) string {
			saved, _ := handlers.ParseAmount(s.Get(valPhotosSaved))
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
	s := handlers.State{Units: []string{r.UnitID}, Values: map[string]string{}}
	s.Set(handlers.StepUnit, r.UnitID)
	s.Set(stepTask, r.TaskID)
	s.Set(stepDate, pay.Date)
	for k, v := range pay.Fields {
		s.Set(fieldKey(k), v)
	}
	s.Set(stepPlace, pay.Place)
	s.Set(stepDesc, pay.Description)
	s.Set(valAlso, strings.Join(pay.AlsoTasks, ","))
	if n := len(pay.Photos); n > 0 {
		s.Set(valPhotosSaved, strconv.Itoa(n))
	}
	return s, nil
}

// confirmValues is what the confirmation flow stores (state_stored.go).
type confirmValues struct {
	Unit        string            `json:"unit,omitempty"`
	Supplier    string            `json:"supplier,omitempty"`
	Task        string            `json:"task,omitempty"`
	Date        string            `json:"date,omitempty"` // 2006-01-02
	Fields      map[string]string `json:"fields,omitempty"`
	Proposed    map[string]string `json:"proposed,omitempty"` // large numbers awaiting confirmation
	Place       string            `json:"place,omitempty"`
	Desc        string            `json:"desc,omitempty"`
	Also        string            `json:"also,omitempty"`         // task ids, comma-separated
	PhotosSaved string            `json:"photos_saved,omitempty"` // photos the edited record has
	Hint        string            `json:"hint,omitempty"`         // the free text the report began with
	Cand        string            `json:"cand,omitempty"`         // tied task ids, comma-separated
	Notes       map[string]string `json:"notes,omitempty"`        // by step id: what a value was read from
}

func (v *confirmValues) Slots() handlers.Slots {
	return handlers.Slots{
		Values: map[string]*string{
			handlers.StepUnit: &v.Unit, stepSupplier: &v.Supplier, stepTask: &v.Task, stepDate: &v.Date,
			stepPlace: &v.Place, stepDesc: &v.Desc, valAlso: &v.Also, valPhotosSaved: &v.PhotosSaved,
			valHint: &v.Hint, valCand: &v.Cand,
		},
		Prefixes: map[string]*map[string]string{valFieldPrefix: &v.Fields, valProposedPrefix: &v.Proposed, handlers.NoteKey(""): &v.Notes},
	}
}
