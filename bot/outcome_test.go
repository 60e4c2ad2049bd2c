package bot

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOutcomeStoredForm(t *testing.T) {
	for _, o := range []outcome{{}, {Pushed: true}, {Plaintext: []byte{}}, {Plaintext: []byte("<xml>答复</xml>"), Pushed: true}} {
		b := o.marshal()
		got, err := unmarshalOutcome(b)
		if err != nil || !cmp.Equal(got, o) {
			t.Errorf("round trip of %+v: %+v, %v", o, got, err)
		}
		if len(b) != 1+len(o.Plaintext) {
			t.Errorf("stored form of %+v is %d bytes, want %d", o, len(b), 1+len(o.Plaintext))
		}
	}
	// Entries written by earlier versions (JSON) are still read.
	got, err := unmarshalOutcome([]byte(`{"p":"PHhtbD4=","pushed":true}`))
	if want := (outcome{Plaintext: []byte("<xml>"), Pushed: true}); err != nil || !cmp.Equal(got, want) {
		t.Errorf("legacy entry: %+v, %v; want %+v", got, err, want)
	}
	for _, bad := range [][]byte{nil, {0x01, 'x'}, []byte(`{"p":`)} {
		if _, err := unmarshalOutcome(bad); err == nil {
			t.Errorf("unmarshalOutcome(%q) accepted", bad)
		} else if bad != nil && bad[0] != '{' && !errors.Is(err, errBadOutcome) {
			t.Errorf("unmarshalOutcome(%q): %v", bad, err)
		}
	}
}
