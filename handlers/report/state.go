package report

import (
	"maps"

	"firebot/handlers"
)

// The names a report's handlers.State is made of: its step ids
// (handlers.StepUnit and handlers.StepSummary besides), and the names its
// values had in the bag of strings earlier releases stored
// (confirmData.Slots). They are stored: changing one loses the dialogs in
// progress.

// handlers.Step ids.
const (
	stepSupplier = "supplier"
	stepTask     = "task"
	stepDate     = "date"
	stepPlace    = "place"
	stepDesc     = "desc"
	stepPhotos   = "photos"
	// stepFieldPrefix + field id: a task's own field (fieldStepID).
	stepFieldPrefix = "f:"
)

// The names of the values that are not a step's own, and the prefixes of
// a field's value and of its unconfirmed value.
const (
	valFieldPrefix    = "f."
	valProposedPrefix = "p."
	valHint           = "hint.text"
	valCand           = "cand"
	valAlso           = "also"
	valPhotosSaved    = "photos.saved"
	valDupOf          = "dup.of"
	valDupOK          = "dup.ok"
	valEnteredBy      = "entered_by"
)

// confirmData is what the confirmation flow collects (handlers.Data); the
// unit, and the notes on what a value was read from, are the State's.
type confirmData struct {
	// Supplier is who at the unit supplied the material (代录).
	Supplier string `json:"supplier,omitempty"`
	Task     string `json:"task,omitempty"`
	Date     string `json:"date,omitempty"` // 2006-01-02
	// Fields are the task's own fields by id, normalised; a number above
	// the field's confirm_above waits in Proposed until it is confirmed.
	Fields   map[string]string `json:"fields,omitempty"`
	Proposed map[string]string `json:"proposed,omitempty"`
	Place    string            `json:"place,omitempty"`
	Desc     string            `json:"desc,omitempty"`
	// Also lists the task ids ticked as also done, comma-separated.
	Also string `json:"also,omitempty"`
	// PhotosSaved counts the photos a record edited (修改) already has.
	PhotosSaved int `json:"photos_saved,omitempty,string"`
	// Hint is the free text the report started with, read again once the
	// unit or the task is known; Cand the task ids that fit it equally,
	// comma-separated.
	Hint string `json:"hint,omitempty"`
	Cand string `json:"cand,omitempty"`
	// DupOf is the record a duplicate report is asked about; DupOK says
	// the user answered that it is another activity.
	DupOf string `json:"dup_of,omitempty"`
	DupOK bool   `json:"dup_ok,omitempty"`
	// EnteredBy marks a report entered on the unit's behalf (代录): who
	// at the office entered it.
	EnteredBy string `json:"entered_by,omitempty"`
}

// data is s's report.
func data(s *handlers.State) *confirmData { return handlers.DataOf[confirmData](s) }

func (v *confirmData) Clone() handlers.Data {
	c := *v
	c.Fields = maps.Clone(v.Fields)
	c.Proposed = maps.Clone(v.Proposed)
	return &c
}

func (v *confirmData) Slots() handlers.Slots {
	return handlers.Slots{
		Values: map[string]*string{
			stepSupplier: &v.Supplier, stepTask: &v.Task, stepDate: &v.Date, stepPlace: &v.Place, stepDesc: &v.Desc,
			valAlso: &v.Also, valHint: &v.Hint, valCand: &v.Cand, valDupOf: &v.DupOf, valEnteredBy: &v.EnteredBy,
		},
		Ints:     map[string]*int{valPhotosSaved: &v.PhotosSaved},
		Flags:    map[string]*bool{valDupOK: &v.DupOK},
		Prefixes: map[string]*map[string]string{valFieldPrefix: &v.Fields, valProposedPrefix: &v.Proposed},
	}
}

// setField keeps field id's value ("" forgets it).
func (v *confirmData) setField(id, value string) { setIn(&v.Fields, id, value) }

// propose keeps field id's unconfirmed number ("" forgets it).
func (v *confirmData) propose(id, value string) { setIn(&v.Proposed, id, value) }

func setIn(m *map[string]string, k, v string) {
	if v == "" {
		delete(*m, k)
		return
	}
	if *m == nil {
		*m = map[string]string{}
	}
	(*m)[k] = v
}

// pauseMinAnswers is how many answered steps (the unit, often answered
// without asking, included) make a report worth pausing.
const pauseMinAnswers = 4

// fieldStepID is the id of the step asking for field id of a task.
func fieldStepID(id string) string { return stepFieldPrefix + id }
