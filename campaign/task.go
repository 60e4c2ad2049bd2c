package campaign

import (
	"slices"
	"time"
)

// DefaultTaskDeadline is the deadline id a task uses when it names none.
const DefaultTaskDeadline = "report"

// Task is one thing units must do and report (confirm), e.g. an evacuation drill.
type Task struct {
	ID          string    `yaml:"id"` // ASCII, stable: records refer to it
	Name        string    `yaml:"name"`
	Description string    `yaml:"description"`
	AppliesTo   AppliesTo `yaml:"applies_to"`
	// Required is how many times each unit must do it (default 1).
	Required int `yaml:"required"`
	// DateWindow is when the activity may take place (default: the period).
	DateWindow Period `yaml:"date_window"`
	// Fields are the facts a report collects, in dialog order.
	Fields []Field `yaml:"fields"`
	// Keywords recognise the task in free text (e.g. 疏散演练, 演练).
	Keywords []string `yaml:"keywords"`
	// Deadline is the id of the deadline reports are due by.
	Deadline string `yaml:"deadline"`
}

// AppliesToUnit reports whether u must do t.
func (t Task) AppliesToUnit(u Unit) bool { return t.AppliesTo.Matches(u) }

// Field returns the field with the given id.
func (t Task) Field(id string) (Field, bool) {
	for _, f := range t.Fields {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

// InWindow reports whether an activity at at falls inside the task's window.
// A zero window accepts any time.
func (t Task) InWindow(at time.Time) bool {
	if t.DateWindow.IsZero() {
		return true
	}
	return t.DateWindow.Contains(at)
}

// AppliesTo selects units. Empty Kinds means every community and organisation
// (not sectors); non-empty Categories further restricts to organisations of
// those categories.
type AppliesTo struct {
	Kinds      []Kind     `yaml:"kinds"`
	Categories []Category `yaml:"categories"`
}

// Matches reports whether u is selected.
func (a AppliesTo) Matches(u Unit) bool {
	if len(a.Kinds) == 0 {
		if u.Kind != KindCommunity && u.Kind != KindOrganisation {
			return false
		}
	} else if !slices.Contains(a.Kinds, u.Kind) {
		return false
	}
	return len(a.Categories) == 0 || slices.Contains(a.Categories, u.Category)
}

// FieldType is the type of a report field.
type FieldType string

// The field types.
const (
	FieldInt  FieldType = "int"  // a whole number, e.g. 人数
	FieldText FieldType = "text" // free text
	FieldList FieldType = "list" // several short items, e.g. 物料种类
)

// Valid reports whether t is a known field type.
func (t FieldType) Valid() bool {
	switch t {
	case FieldInt, FieldText, FieldList:
		return true
	}
	return false
}

// Field is one fact collected by a report.
type Field struct {
	ID   string    `yaml:"id"`
	Name string    `yaml:"name"` // Chinese label used in dialogs, e.g. 人数
	Type FieldType `yaml:"type"`
	// Required fields must be answered; others may be skipped.
	Required bool `yaml:"required"`
	// Min and Max bound an int's value, a text's length in characters or a
	// list's number of items. Max 0 means no upper bound.
	Min int `yaml:"min"`
	Max int `yaml:"max"`
	// ConfirmAbove asks the reporter to confirm an int above it (0: never).
	ConfirmAbove int `yaml:"confirm_above"`
	// Options are suggested values for a list, shown in the dialog.
	Options []string `yaml:"options"`
}
