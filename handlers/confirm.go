package handlers

import (
	"fmt"
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers/textparse"
	"firebot/zhfmt"
)

// The activity-confirmation flow (上报): unit, task, date, the task's own
// fields, place, description, photos, summary. State.Values keys (named
// in state.go): the step ids unit, task, date (2006-01-02), place, desc;
// fieldKey and proposedKey (a large number awaiting confirmation) per
// field; valAlso; and those of reading.go (valHint, valCand, noteKey).

const flowConfirm = "confirm"

// Limits of the optional confirmation fields, in characters.
const (
	placeMax = 100
	descMax  = 500
)

func newConfirmFlow() *flow {
	f := &flow{ID: flowConfirm, Name: "上报", Photos: true, Submit: submitConfirmation}
	sum := summaryStep(f, "请核对上报内容：")
	f.Order = confirmOrder
	f.Extra = confirmNotes
	f.Step = func(e *env, s *State, id string) *step {
		switch {
		case id == stepUnit:
			return unitStep("单位", "为哪个单位上报？")
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
		case id == stepSummary:
			return sum
		}
		return nil
	}
	return f
}

func confirmOrder(e *env, s *State) []string {
	ids := []string{stepUnit, stepTask, stepDate}
	if s.get(valEnteredBy) != "" { // 代录: who at the unit supplied it
		ids = []string{stepUnit, stepSupplier, stepTask, stepDate}
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
	return append(ids, stepSummary)
}

// stepSupplier asks, in 代录, who at the unit supplied the material
// (ledger.Confirmation.SuppliedBy).

func supplierStep() *step {
	st := textStep(stepSupplier, "材料提供人", []string{"提供人", "联系人"}, 1, 30,
		"材料由单位的哪位提供？请回复姓名（可加电话，例如“王主任 13800000000”）。")
	st.Optional = false
	st.Help = "请回复提供材料的人的姓名，会记录在导出的活动明细中。"
	return st
}

func currentTask(e *env, s *State) (campaign.Task, bool) {
	id := s.get(stepTask)
	if id == "" {
		return campaign.Task{}, false
	}
	return e.Campaign.Task(id)
}

func currentUnit(e *env, s *State) (campaign.Unit, bool) { return e.unit(s.get(stepUnit)) }

// dateStep asks when the activity took place.
func dateStep() *step {
	return &step{
		ID:     stepDate,
		Label:  "日期",
		Labels: []string{"活动日期", "时间"},
		Help:   "请回复活动开展的日期，例如：今天、昨天、上周五、11月3日、11.3、2023-11-03。日期不能晚于今天，并且要在活动期内。",
		Ask: func(e *env, s *State) question {
			return question{
				Text: "活动是哪天开展的？例如：今天、昨天、11月3日。",
				Buttons: []bot.Button{
					{Text: "今天", Value: "今天"}, {Text: "昨天", Value: "昨天"}, {Text: "前天", Value: "前天"},
				},
			}
		},
		Answer: func(e *env, s *State, in input) answer {
			d, err := textparse.ParseDate(in.Text, e.Today)
			if err != nil {
				return bad(userMessage(err))
			}
			if textparse.IsFuture(d, e.Today) {
				return bad(fmt.Sprintf("活动日期不能晚于今天（%s），请填写已经开展的活动的日期。", zhfmt.Day(e.Today, e.Now)))
			}
			v := d.Format(zhfmt.DayLayout)
			if t, ok := currentTask(e, s); ok {
				if msg := checkWindow(e, t, v); msg != "" {
					return bad(msg)
				}
			} else if p := e.Campaign.Period; !p.IsZero() && !p.Contains(d) {
				return bad(windowMsg("活动", p, d))
			}
			s.set(stepDate, v)
			return answered("")
		},
		Show: func(e *env, s *State) string {
			if v := s.get(stepDate); v != "" {
				return zhfmt.StoredDay(v, e.Now)
			}
			return ""
		},
	}
}

// checkWindow explains why a stored date is outside the task's window, or
// returns "".
func checkWindow(e *env, t campaign.Task, v string) string {
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

func parseStoredDay(v string, e *env) (time.Time, error) {
	return time.ParseInLocation(zhfmt.DayLayout, v, e.Now.Location())
}

// textStep asks for a short optional text.
func textStep(id, label string, labels []string, minChars, maxChars int, prompt string) *step {
	return &step{
		ID:       id,
		Label:    label,
		Labels:   labels,
		Optional: true,
		Help:     fmt.Sprintf("这一项可以不填，回复“跳过”即可；填写的话不超过%d字。", maxChars),
		Ask:      func(e *env, s *State) question { return question{Text: prompt} },
		Answer: func(e *env, s *State, in input) answer {
			v := strings.TrimSpace(in.Text)
			n := textparse.CountChars(v)
			switch {
			case n < minChars:
				return bad("内容是空的。请填写，或回复“跳过”。")
			case n > maxChars:
				return bad(fmt.Sprintf("%s最多%d字，现在有%d字，请精简后重新发送。", label, maxChars, n))
			}
			s.set(id, v)
			return answered("")
		},
		Show: func(e *env, s *State) string {
			v := s.get(id)
			if e.Group {
				return textparse.Preview(v, 50)
			}
			return v
		},
		Clear: func(s *State) { s.set(id, "") },
	}
}

// photoStep collects photos in a chat where they can arrive.
func photoStep() *step {
	return &step{
		ID:          stepPhotos,
		Label:       "照片",
		Optional:    true,
		Controls:    true,
		TakesPhotos: true,
		Help:        "直接发送图片即可，可以发多张；发完回复“完成”。没有照片回复“跳过”，提交后也可以再补发。",
		Ask: func(e *env, s *State) question {
			return question{
				Text:    "有活动照片吗？直接发送图片（可多张），发完回复“完成”；没有请回复“跳过”。",
				Buttons: []bot.Button{{Text: ctlDone, Value: ctlDone}},
			}
		},
		Answer: func(e *env, s *State, in input) answer {
			if len(in.Photos) > 0 {
				s.Photos = append(s.Photos, in.Photos...)
				return bad(fmt.Sprintf("已收到照片，共%d张。还有请继续发送，发完回复“完成”。", len(s.Photos)))
			}
			switch control(in.Text) {
			case ctlDone, ctlConfirm, ctlContinue:
				if control(in.Text) == ctlContinue {
					return bad("好的，请继续发送图片，发完回复“完成”。")
				}
				return answered("")
			}
			return bad("请直接发送图片；发完回复“完成”，没有照片回复“跳过”。")
		},
		Show: func(e *env, s *State) string {
			saved, _ := parseAmount(s.get(valPhotosSaved))
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
		Clear: func(s *State) {},
	}
}
