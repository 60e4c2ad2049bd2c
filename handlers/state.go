package handlers

import (
	"errors"
	"fmt"
)

// The names a dialog's State is made of, in one place: the version of its
// stored shape, the ids of the steps (State.Step, Done, History) and every
// key of State.Values. A step that collects one value keeps it under its
// own id (s.get(stepPlace)); the keys below are the others.

// stateVersion is the shape of State this release writes (state_stored.go). Dialogs and
// paused drafts stored by the release before it carry no version (0) and
// are converted by decodeState when they are read; a state written by a
// newer release is refused rather than misread.
const stateVersion = 1

// Step ids the core and the features share (each feature names its own).
const (
	StepUnit    = "unit"
	StepSummary = "summary"
	StepConfirm = "confirm" // a final yes-or-no (撤回, 绑定)
	stepAnswer  = "answer"  // a Question's only step
)

// State.Values keys the core reads: a note on a step's value, and a
// Question's.
const (
	// valNotePrefix + step id: what a value was read from (NoteKey).
	valNotePrefix = "note."
	// A Question's prompt and answer, and the caller's values (prefixed).
	qPrompt    = "q.prompt"
	qAnswer    = "q.answer"
	qValPrefix = "v."
)

// NoteKey is the State.Values key of the note on step id's value (what it
// was read from, shown on the summary); editing the value clears it.
func NoteKey(stepID string) string { return valNotePrefix + stepID }

var errNewerState = errors.New("handlers: dialog stored by a newer release")

// upgrade converts s, as decoded from storage, to stateVersion.
func (s *State) upgrade() error {
	if s.Version > stateVersion {
		return fmt.Errorf("%w (version %d)", errNewerState, s.Version)
	}
	// Version 0, the previous release, kept every value in Values under
	// the same keys: decodeState has read it as it is. Empty maps
	// may be absent from either version.
	if s.Values == nil {
		s.Values = map[string]string{}
	}
	if s.Done == nil {
		s.Done = map[string]bool{}
	}
	s.Version = stateVersion
	return nil
}
