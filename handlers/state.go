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

// Step ids.
const (
	StepUnit     = "unit"
	stepSupplier = "supplier"
	stepTask     = "task"
	stepDate     = "date"
	stepPlace    = "place"
	stepDesc     = "desc"
	stepPhotos   = "photos"
	StepSummary  = "summary"
	StepConfirm  = "confirm" // a final yes-or-no (撤回, 绑定)
	stepAnswer   = "answer"  // a Question's only step
	// stepFieldPrefix + field id: a task's own field (fieldStepID).
	stepFieldPrefix = "f:"
)

// State.Values keys besides the steps' own.
const (
	// valFieldPrefix + field id: the value of a task's field (fieldKey).
	valFieldPrefix = "f."
	// valProposedPrefix + field id: a large number awaiting confirmation.
	valProposedPrefix = "p."
	// valNotePrefix + step id: what a value was read from (noteKey).
	valNotePrefix = "note."
	// valHint is the free text a report started with, read again once the
	// unit or task is known.
	valHint = "hint.text"
	// valCand lists task ids that fit the text equally, comma-separated.
	valCand = "cand"
	// valAlso lists the task ids ticked as also done, comma-separated.
	valAlso = "also"
	// valPhotosSaved counts the photos a record edited (修改) already has.
	valPhotosSaved = "photos.saved"
	// valDupOf is the record a duplicate report was asked about.
	valDupOf = "dup.of"
	// valDupOK is "1" once the user said it is another activity.
	valDupOK = "dup.ok"
	// valEnteredBy marks a confirmation entered on a unit's behalf (hooks.go).
	valEnteredBy = "entered_by"
	// A Question's prompt and answer, and the caller's values (prefixed).
	qPrompt    = "q.prompt"
	qAnswer    = "q.answer"
	qValPrefix = "v."
)

// fieldStepID is the id of the step asking for field id of a task.
func fieldStepID(id string) string { return stepFieldPrefix + id }

// fieldKey is the State.Values key of field id's value.
func fieldKey(id string) string { return valFieldPrefix + id }

// proposedKey is the State.Values key of field id's unconfirmed value.
func proposedKey(id string) string { return valProposedPrefix + id }

// noteKey is the State.Values key of the note on step id's value.
func noteKey(stepID string) string { return valNotePrefix + stepID }

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
