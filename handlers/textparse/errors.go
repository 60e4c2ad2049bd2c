package textparse

import "errors"

// Sentinels wrapped by every *InputError, one per kind of input.
var (
	ErrInvalidDate   = errors.New("textparse: invalid date")
	ErrInvalidCount  = errors.New("textparse: invalid count")
	ErrInvalidPhone  = errors.New("textparse: invalid phone number")
	ErrInvalidChoice = errors.New("textparse: invalid choice")
	// ErrBadCommandTable is returned by NewMatcher for an empty name,
	// an empty word or a word claimed by two commands.
	ErrBadCommandTable = errors.New("textparse: bad command table")
)

// InputError reports input a user typed that could not be understood.
// Error returns a simplified-Chinese message that can be shown to the user
// unchanged; Unwrap returns the sentinel naming the kind of input.
type InputError struct {
	Kind error  // one of the ErrInvalid… sentinels
	Msg  string // user-facing text, simplified Chinese
}

func (e *InputError) Error() string { return e.Msg }

// Unwrap lets errors.Is match the sentinel.
func (e *InputError) Unwrap() error { return e.Kind }

// UserMessage returns the user-facing text of an *InputError anywhere in
// err's chain, and false when err carries none.
func UserMessage(err error) (string, bool) {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Msg, true
	}
	return "", false
}

func inputErr(kind error, msg string) error { return &InputError{Kind: kind, Msg: msg} }
