package report

import "firebot/handlers"

// The names a report's handlers.State is made of: its step ids (handlers.StepUnit
// and handlers.StepSummary besides) and the handlers.State.Values keys besides the
// steps' own. They are stored: changing one loses the dialogs in progress.

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

// handlers.State.Values keys besides the steps' own.
const (
	// valFieldPrefix + field id: the value of a task's field (fieldKey).
	valFieldPrefix = "f."
	// valProposedPrefix + field id: a large number awaiting confirmation.
	valProposedPrefix = "p."
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
)

// pauseMinAnswers is how many answered steps (the unit, often answered
// without asking, included) make a report worth pausing.
const pauseMinAnswers = 4

// fieldStepID is the id of the step asking for field id of a task.
func fieldStepID(id string) string { return stepFieldPrefix + id }

// fieldKey is the handlers.State.Values key of field id's value.
func fieldKey(id string) string { return valFieldPrefix + id }

// proposedKey is the handlers.State.Values key of field id's unconfirmed value.
func proposedKey(id string) string { return valProposedPrefix + id }

// noteKey is the handlers.State.Values key of the note on step id's value.
func noteKey(stepID string) string { return handlers.NoteKey(stepID) }
