package bot

import (
	"encoding/json"
	"errors"
)

// outcome is what a processed message answered, kept in the dedupe memory
// so that re-sends get the same answer.
type outcome struct {
	Plaintext []byte `json:"p,omitempty"` // passive reply; nil = 200 empty
	Pushed    bool   `json:"pushed,omitempty"`
}

// Stored form: one flags byte, then the plaintext as is (no JSON, no
// base64: the entry is written on every callback, and its size is most of
// what a callback's commit writes). Entries written as JSON by earlier
// versions start with '{' and are still read.
const (
	outcomeVersion   = 0x80 // set in every binary entry; '{' (0x7b) lacks it
	outcomePushed    = 0x01
	outcomePlaintext = 0x02
)

func (o outcome) marshal() []byte {
	flags := byte(outcomeVersion)
	if o.Pushed {
		flags |= outcomePushed
	}
	if o.Plaintext != nil {
		flags |= outcomePlaintext
	}
	return append([]byte{flags}, o.Plaintext...)
}

var errBadOutcome = errors.New("bot: unreadable stored outcome")

func unmarshalOutcome(b []byte) (outcome, error) {
	var o outcome
	switch {
	case len(b) > 0 && b[0] == '{':
		err := json.Unmarshal(b, &o)
		return o, err
	case len(b) == 0 || b[0]&outcomeVersion == 0:
		return o, errBadOutcome
	}
	o.Pushed = b[0]&outcomePushed != 0
	if b[0]&outcomePlaintext != 0 {
		o.Plaintext = append([]byte{}, b[1:]...)
	}
	return o, nil
}
