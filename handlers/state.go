package handlers

import (
	"errors"
	"fmt"
	"strings"
)

// The names a dialog's State is made of, in one place: the version of its
// stored shape, the ids of the steps (State.Step, Done, History), and the
// names its values had before they were typed (Named, SetNamed).

// stateVersion is the newest shape of State this release reads
// (state_stored.go): the unit and the notes beside the engine's fields, and
// the flow's values as its struct (Flow.Data). Version 1 kept the unit and
// the notes in the flow's struct, and the values no struct held in a bag of
// strings; version 0 kept every value in that bag. Both are converted when
// they are read (decodeState); a state written by a newer release is
// refused rather than misread.
//
// This release writes writeVersion: version 1, which the release before it
// reads too, so replicas of both can share a store during a rolling
// upgrade, and a rollback loses no dialog. The next release writes
// version 2, once every replica reads it.
const (
	stateVersion = 2
	writeVersion = 1
)

// Step ids the core and the features share (each feature names its own).
const (
	StepUnit    = "unit"
	StepSummary = "summary"
	StepConfirm = "confirm" // a final yes-or-no (撤回, 绑定)
	stepAnswer  = "answer"  // a Question's only step
)

// valNotePrefix + step id: the name of the note on a step's value
// (NoteKey), as earlier releases stored it.
const valNotePrefix = "note."

// NoteKey is the name of the note on step id's value in the named view of
// a state (Named): State.Notes[id].
func NoteKey(stepID string) string { return valNotePrefix + stepID }

// Data is what a flow collects: one struct per flow (Flow.Data), held in
// State.Data and stored whole. A feature reads and writes its fields
// directly (DataOf).
type Data interface {
	// Clone is a deep copy: the engine is pure and never shares a
	// state's values between two turns.
	Clone() Data
	// Slots name the struct's fields: the bag of strings earlier releases
	// stored is read through them, and table tests write values by name
	// (State.SetNamed).
	Slots() Slots
}

// Slots tie names to the fields of a flow's struct: Values a name to a
// string field; Ints to a whole number (named in digits, 0 unnamed);
// Flags to a bool (named "1" when true); Prefixes the names starting with
// a prefix to a map, by the rest of the name; Lists a name holding a JSON
// list of strings to a list field.
type Slots struct {
	Values   map[string]*string
	Ints     map[string]*int
	Flags    map[string]*bool
	Prefixes map[string]*map[string]string
	Lists    map[string]*[]string
}

// DataOf is s's values as the flow's struct *T. A state that has none yet
// (built by a feature before its flow begins, or by a test) is given an
// empty one.
func DataOf[T any, P interface {
	*T
	Data
}](s *State) P {
	if s.Data == nil {
		d := P(new(T))
		s.Data = d
		return d
	}
	d, ok := s.Data.(P)
	if !ok {
		panic(fmt.Sprintf("handlers: dialog of flow %q holds %T, not %T", s.Flow, s.Data, d))
	}
	return d
}

// Named is the state's values by name: StepUnit, NoteKey(step) for each
// note, and the names of the flow struct's Slots. It is the bag of strings
// earlier releases stored, which held no empty value.
func (s *State) Named() map[string]string {
	out := map[string]string{}
	if s.Unit != "" {
		out[StepUnit] = s.Unit
	}
	for id, n := range s.Notes {
		if n != "" {
			out[NoteKey(id)] = n
		}
	}
	if s.Data != nil {
		put(out, s.Data.Slots())
	}
	return out
}

// SetNamed stores v under a name of the named view (Named); "" clears it.
// It reports false for a name the state has no place for.
func (s *State) SetNamed(name, v string) bool {
	if name == StepUnit {
		s.Unit = v
		return true
	}
	if id, ok := strings.CutPrefix(name, valNotePrefix); ok {
		s.SetNote(id, v)
		return true
	}
	if s.Data == nil {
		return false
	}
	return setSlot(s.Data.Slots(), name, v)
}

// SetNote keeps what step id's value was read from, shown on the summary
// ("" clears it).
func (s *State) SetNote(id, note string) {
	if note == "" {
		delete(s.Notes, id)
		return
	}
	if s.Notes == nil {
		s.Notes = map[string]string{}
	}
	s.Notes[id] = note
}

var errNewerState = errors.New("handlers: dialog stored by a newer release")
